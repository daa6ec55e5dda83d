package dev.migdiff.snapshot;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What a snapshot holds and where it came from: its name, the database it copies (without a
 * password), the branch and commit it was taken on, when, its size, and the applied migrations
 * ({@code app.name}, in the order of {@code django_migrations}) it holds.
 *
 * @param source the database's identity: a SQLite file's absolute path, or PostgreSQL's
 *     {@code host:port/name}
 * @param storage the copy: a file name in the store, or a PostgreSQL database name
 * @param method how it was copied: {@code backup} (SQLite's online backup), {@code template}
 *     (CREATE DATABASE ... TEMPLATE) or {@code pg_dump} (a dump file in the store)
 * @param kind {@code manual}, {@code auto} (the hook) or {@code undo} (before a restore)
 * @param sha256 of a SQLite copy, checked before it is restored (else empty)
 */
public record SnapshotRecord(String name, String engine, String source, String url,
    String branch, String commit, Instant taken, long size, String sha256, String storage,
    String method, String kind, List<String> applied) {

  public SnapshotRecord {
    applied = List.copyOf(applied);
  }

  /** {@code main@3f2e17}: the branch (or name) and a short commit. */
  public String label() {
    String c = commit == null || commit.length() < 6 ? "" : "@" + commit.substring(0, 6);
    return (branch == null || branch.isEmpty() ? name : branch) + c;
  }

  String toProperties() {
    Properties p = new Properties();
    p.setProperty("format", "1");
    p.setProperty("name", name);
    p.setProperty("engine", engine);
    p.setProperty("source", source);
    p.setProperty("url", url);
    p.setProperty("branch", branch == null ? "" : branch);
    p.setProperty("commit", commit == null ? "" : commit);
    p.setProperty("taken", taken.toString());
    p.setProperty("size", Long.toString(size));
    p.setProperty("sha256", sha256 == null ? "" : sha256);
    p.setProperty("storage", storage);
    p.setProperty("method", method);
    p.setProperty("kind", kind);
    p.setProperty("applied", String.join("\n", applied));
    StringWriter w = new StringWriter();
    try {
      p.store(w, "migdiff snapshot");
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringWriter does not fail
    }
    // Properties.store writes the current date as a comment; drop it (deterministic files).
    return w.toString().lines().filter(l -> !l.startsWith("#") || l.startsWith("#migdiff"))
        .reduce("", (a, b) -> a + b + "\n");
  }

  /** Parses a metadata file; null when it is not one (truncated, edited, another format). */
  static SnapshotRecord parse(String text) {
    Properties p = new Properties();
    try (Reader r = new StringReader(text)) {
      p.load(r);
      String applied = p.getProperty("applied", "");
      SnapshotRecord rec = new SnapshotRecord(req(p, "name"), req(p, "engine"), req(p, "source"),
          req(p, "url"), p.getProperty("branch", ""), p.getProperty("commit", ""),
          Instant.parse(req(p, "taken")), Long.parseLong(req(p, "size")),
          p.getProperty("sha256", ""), req(p, "storage"), req(p, "method"),
          p.getProperty("kind", "manual"),
          applied.isEmpty() ? List.of() : Arrays.asList(applied.split("\n")));
      if (!SnapshotName.PATTERN.matcher(rec.name()).matches()
          || rec.storage().contains("/") || rec.storage().contains("..")) {
        return null;
      }
      return rec;
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      return null;
    }
  }

  private static String req(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }
}
