package dev.migdiff.db;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Reads Django's {@code django_migrations} table over a read-only connection: SQLite files are
 * opened with {@code SQLITE_OPEN_READONLY}, PostgreSQL sessions with
 * {@code default_transaction_read_only}. Nothing is ever written.
 */
public final class MigrationTable {
  private static final int SQLITE_OPEN_READONLY = 1;
  private static final DateTimeFormatter SQLITE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd")
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendLiteral('T').optionalEnd()
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);

  private MigrationTable() {}

  /**
   * All rows, in the order Django applied them.
   *
   * @param naiveZone the zone of timestamps stored without one (UTC when {@code USE_TZ}, else
   *     {@code TIME_ZONE})
   */
  public static List<AppliedRow> read(DatabaseUrl url, Duration timeout, ZoneId naiveZone)
      throws DatabaseException {
    try (Connection c = open(url, timeout);
        Statement st = c.createStatement()) {
      st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      List<AppliedRow> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(
          "SELECT app, name, applied FROM django_migrations ORDER BY id")) {
        ResultSetMetaData md = rs.getMetaData();
        String type = md.getColumnTypeName(3).toLowerCase(Locale.ROOT);
        while (rs.next()) {
          rows.add(new AppliedRow(rs.getString(1), rs.getString(2),
              applied(rs, url.engine(), type, naiveZone)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw explain(e, url);
    }
  }

  private static Instant applied(ResultSet rs, DatabaseUrl.Engine engine, String type,
      ZoneId naiveZone) throws SQLException {
    if (engine == DatabaseUrl.Engine.POSTGRESQL) {
      if (type.equals("timestamptz")) {
        OffsetDateTime t = rs.getObject(3, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
      }
      LocalDateTime t = rs.getObject(3, LocalDateTime.class);
      return t == null ? null : t.atZone(naiveZone).toInstant();
    }
    String text = rs.getString(3);
    if (text == null) {
      return null;
    }
    try {
      var parsed = SQLITE_TIME.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
      return parsed instanceof OffsetDateTime o ? o.toInstant()
          : ((LocalDateTime) parsed).atZone(naiveZone).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A read-only connection (package-private: the tests prove that it cannot write). */
  static Connection open(DatabaseUrl url, Duration timeout) throws DatabaseException {
    try {
      return switch (url.engine()) {
        case SQLITE -> openSqlite(url, timeout);
        case POSTGRESQL -> openPostgres(url, timeout);
      };
    } catch (SQLException e) {
      throw explain(e, url);
    }
  }

  private static Connection openSqlite(DatabaseUrl url, Duration timeout)
      throws SQLException, DatabaseException {
    if (!Files.isRegularFile(url.path())) {
      throw new DatabaseException("no SQLite database at " + url.path(),
          "run 'python manage.py migrate' once, or point --database at the right file");
    }
    if (!Files.isReadable(url.path())) {
      throw new DatabaseException("cannot read the SQLite database " + url.path()
          + ": permission denied", "check the file's permissions");
    }
    Properties p = new Properties();
    p.setProperty("open_mode", Integer.toString(SQLITE_OPEN_READONLY));
    p.setProperty("busy_timeout", Long.toString(timeout.toMillis()));
    Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + url.path(), p);
    // SQLite opens lazily; touch the schema now so a non-database or locked file fails here.
    try (Statement st = c.createStatement()) {
      st.execute("SELECT count(*) FROM sqlite_master");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Connection openPostgres(DatabaseUrl url, Duration timeout) throws SQLException {
    Properties p = url.postgresLogin(timeout);
    if (url.options().containsKey("application_name")) {
      p.setProperty("application_name", url.options().get("application_name"));
    }
    int seconds = (int) Math.max(1, timeout.toSeconds());
    p.setProperty("socketTimeout", Integer.toString(seconds + 5));
    p.setProperty("readOnly", "true");
    p.setProperty("readOnlyMode", "always");
    p.setProperty("options", "-c default_transaction_read_only=on");
    p.setProperty("ApplicationName", "migdiff");
    String jdbc = "jdbc:postgresql://" + (url.host().contains(":") ? "[" + url.host() + "]"
        : url.host()) + ":" + url.port() + "/" + url.name();
    Connection c = new org.postgresql.Driver().connect(jdbc, p);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver refused the URL");
    }
    c.setReadOnly(true);
    return c;
  }

  /** One line for each way a database can fail, never with the password in it. */
  static DatabaseException explain(SQLException e, DatabaseUrl url) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String msg = String.valueOf(e.getMessage());
    if (url.password() != null && !url.password().isEmpty()) {
      msg = msg.replace(url.password(), "***");
    }
    String lower = msg.toLowerCase(Locale.ROOT);
    String where = url.toString();
    if (lower.contains("no such table") || state.equals("42P01")) {
      return new DatabaseException("no django_migrations table in " + where
          + ": this database was never migrated",
          "run 'python manage.py migrate', or point --database at the right database");
    }
    if (lower.contains("database is locked") || lower.contains("sqlite_busy")) {
      return new DatabaseException("the SQLite database " + where
          + " is locked by another process", "wait for the running migrate to finish, then retry");
    }
    if (lower.contains("not a database") || lower.contains("sqlite_notadb")
        || lower.contains("file is encrypted")) {
      return new DatabaseException(where + " is not a SQLite database",
          "point --database at the file Django uses");
    }
    if (state.equals("28P01") || state.equals("28000")) {
      return new DatabaseException("PostgreSQL at " + url.host() + ":" + url.port()
          + " rejected the login of user '" + url.user() + "'",
          "check the user and password in --database or DATABASE_URL");
    }
    if (state.equals("3D000")) {
      return new DatabaseException("PostgreSQL at " + url.host() + ":" + url.port()
          + " has no database '" + url.name() + "'", "check the database name");
    }
    if (state.startsWith("08")) {
      String why = lower.contains("refused") ? "connection refused"
          : lower.contains("timed out") || lower.contains("timeout") ? "timed out" : firstLine(msg);
      return new DatabaseException("cannot connect to PostgreSQL at " + url.host() + ":"
          + url.port() + ": " + why, "is the server running? check host and port");
    }
    return new DatabaseException("cannot read " + where + ": " + firstLine(msg),
        "pass --no-database to plan from the files alone");
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
