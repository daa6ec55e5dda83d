package dev.migdiff.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.sqlite.SQLiteConnection;

/**
 * SQLite copies through SQLite's online backup API, in both directions. Saving reads the file
 * under a shared lock (a dev server may keep it open and even write: the copy is one consistent
 * state). Restoring writes the snapshot into the database file through SQLite's own locking and
 * journal, in one transaction: a server holding the file open sees the restored data on its next
 * query, and a restore that fails or is killed midway is rolled back by SQLite, leaving the
 * original as it was. (Renaming a copy over the file would be atomic too, but a running server
 * would keep writing to the old, unlinked file and lose those writes silently.)
 */
final class SqliteCopies {
  private static final int SQLITE_OPEN_READONLY = 1;

  private SqliteCopies() {}

  /** Copies {@code source} into the new file {@code target}. */
  static void backup(Path source, Path target, Duration timeout) throws SnapshotException {
    if (!Files.isRegularFile(source)) {
      throw new SnapshotException("no SQLite database at " + source,
          "run 'python manage.py migrate' once, or point --database at the right file");
    }
    try (Connection c = open(source, SQLITE_OPEN_READONLY, timeout)) {
      int rc = ((SQLiteConnection) c).getDatabase().backup("main", target.toString(), null,
          100, (int) Math.max(1, timeout.toMillis() / 100), -1);
      if (rc != 0) {
        throw new SQLException(code(rc));
      }
    } catch (SQLException e) {
      throw explain("cannot copy " + source, e);
    }
  }

  /**
   * Writes {@code snapshot} into {@code database}, in one SQLite transaction. This is a backup
   * from the snapshot into the database file, not sqlite-jdbc's {@code restore}: that one reports
   * the error code of the file it reads from, so a write that fails (a full disk) would pass
   * for success; a backup reports the destination's.
   */
  static void restore(Path snapshot, Path database, Duration timeout) throws SnapshotException {
    try (Connection c = open(snapshot, SQLITE_OPEN_READONLY, timeout)) {
      int rc = ((SQLiteConnection) c).getDatabase().backup("main", database.toString(), null,
          100, (int) Math.max(1, timeout.toMillis() / 100), -1);
      if (rc != 0) {
        throw new SQLException(code(rc));
      }
    } catch (SQLException e) {
      throw explain("cannot restore into " + database + " (it is unchanged)", e);
    }
  }

  /** {@code PRAGMA quick_check} on a copy: "ok", or what is wrong. */
  static String check(Path file, Duration timeout) {
    try (Connection c = open(file, SQLITE_OPEN_READONLY, timeout);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
      return rs.next() ? rs.getString(1) : "no answer";
    } catch (SQLException e) {
      return String.valueOf(e.getMessage());
    }
  }

  /** The applied migrations a SQLite file holds ({@code app.name}, in order). */
  static List<String> applied(Path file, Duration timeout) throws SnapshotException {
    try (Connection c = open(file, SQLITE_OPEN_READONLY, timeout)) {
      return appliedRows(c);
    } catch (SQLException e) {
      throw explain("cannot read django_migrations in " + file, e);
    }
  }

  /** {@code app.name} of every row of django_migrations, or none when there is no table. */
  static List<String> appliedRows(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT app, name FROM django_migrations ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "." + rs.getString(2));
      }
    } catch (SQLException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (!m.contains("no such table") && !"42P01".equals(e.getSQLState())) {
        throw e;
      }
    }
    return out;
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection open(Path file, int mode, Duration timeout) throws SQLException {
    Properties p = new Properties();
    p.setProperty("open_mode", Integer.toString(mode));
    p.setProperty("busy_timeout", Long.toString(timeout.toMillis()));
    return new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, p);
  }

  private static String code(int rc) {
    return switch (rc & 0xff) {
      case 5 -> "database is locked (SQLITE_BUSY)";
      case 6 -> "database table is locked (SQLITE_LOCKED)";
      case 8 -> "attempt to write a readonly database";
      case 10 -> "disk I/O error";
      case 11 -> "the database disk image is malformed";
      case 13 -> "database or disk is full";
      case 14 -> "unable to open the database file";
      case 26 -> "file is not a database";
      default -> "SQLite error " + rc;
    };
  }

  private static SnapshotException explain(String what, SQLException e) {
    String m = String.valueOf(e.getMessage());
    String lower = m.toLowerCase(Locale.ROOT);
    String hint = lower.contains("full") ? "free some disk space, or drop old snapshots "
        + "(migdiff snapshot list, migdiff snapshot drop NAME)"
        : lower.contains("locked") || lower.contains("busy")
            ? "another process holds a write lock for too long: stop it (or pass a longer "
                + "--timeout) and retry"
        : lower.contains("not a database") || lower.contains("malformed")
            ? "the file is damaged; restore another snapshot"
        : "check the file and its directory's permissions";
    int nl = m.indexOf('\n');
    return new SnapshotException(what + ": " + (nl < 0 ? m : m.substring(0, nl)).trim(), hint, e);
  }
}
