package dev.migdiff.snapshot;

import dev.migdiff.db.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fallback when PostgreSQL refuses a template copy (no CREATEDB, or the login does not own
 * the database): {@code pg_dump -Fc} into a file of the store, and {@code pg_restore
 * --single-transaction} back into a new database that then replaces the original. The password
 * goes through {@code PGPASSWORD}, never the command line.
 */
final class PostgresDump {
  private PostgresDump() {}

  static void dump(DatabaseUrl url, Path file, Duration timeout) throws SnapshotException {
    List<String> cmd = new ArrayList<>(List.of("pg_dump", "--format=custom", "--no-owner",
        "--file=" + file));
    run(cmd, url, timeout, "pg_dump");
  }

  /** Restores {@code file} into the new, empty database {@code database} of the same server. */
  static void restore(DatabaseUrl url, String database, Path file, Duration timeout)
      throws SnapshotException {
    List<String> cmd = new ArrayList<>(List.of("pg_restore", "--no-owner",
        "--single-transaction", "--exit-on-error"));
    cmd.add("--dbname=" + database);
    cmd.add(file.toString());
    run(cmd, url, timeout, "pg_restore");
  }

  private static void run(List<String> cmd, DatabaseUrl url, Duration timeout, String tool)
      throws SnapshotException {
    List<String> full = new ArrayList<>(cmd);
    full.add(1, "--host=" + url.host());
    full.add(2, "--port=" + url.port());
    if (url.user() != null) {
      full.add(3, "--username=" + url.user());
    }
    full.add(1, "--no-password");
    if (tool.equals("pg_dump")) {
      full.add(url.name());
    }
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("PGPASSWORD");
    if (url.password() != null) {
      env.put("PGPASSWORD", url.password());
    }
    env.put("PGCONNECT_TIMEOUT", Long.toString(Math.max(2, timeout.toSeconds())));
    if (url.options().containsKey("sslmode")) {
      env.put("PGSSLMODE", url.options().get("sslmode"));
    }
    try {
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new SnapshotException(tool + " did not finish in 10 minutes", "retry");
      }
      if (p.exitValue() != 0) {
        String msg = new String(out, StandardCharsets.UTF_8).strip();
        if (url.password() != null && !url.password().isEmpty()) {
          msg = msg.replace(url.password(), "***");
        }
        int nl = msg.indexOf('\n');
        throw new SnapshotException(tool + " failed: " + (nl < 0 ? msg : msg.substring(0, nl)),
            "the database is unchanged; check the message above");
      }
    } catch (IOException e) {
      throw new SnapshotException("cannot run " + tool + ": " + e.getMessage(),
          "install PostgreSQL's client programs (apt-get install postgresql-client)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnapshotException(tool + " was interrupted", "retry");
    }
  }
}
