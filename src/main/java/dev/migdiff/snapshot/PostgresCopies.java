package dev.migdiff.snapshot;

import dev.migdiff.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * PostgreSQL copies made by the server: {@code CREATE DATABASE copy TEMPLATE source}, which
 * PostgreSQL allows only while nobody else is connected to the source. Every statement names
 * databases as quoted identifiers built from checked names.
 */
final class PostgresCopies {
  /** SQLSTATE of "source database is being accessed by other users". */
  static final String IN_USE = "55006";
  /** SQLSTATE of "permission denied" (no CREATEDB, or not the owner of the template). */
  static final String DENIED = "42501";

  private final DatabaseUrl url;
  private final Duration timeout;

  PostgresCopies(DatabaseUrl url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
  }

  /** A writable connection to {@code database} on the same server, with the URL's login. */
  Connection connect(String database) throws SQLException {
    Properties p = url.postgresLogin(timeout);
    p.setProperty("ApplicationName", "migdiff snapshot");
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://" + host + ":"
        + url.port() + "/" + database, p);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver refused the URL");
    }
    return c;
  }

  /** A connection to the server's maintenance database (postgres, else template1). */
  Connection maintenance() throws SQLException {
    try {
      return connect("postgres");
    } catch (SQLException e) {
      if ("3D000".equals(e.getSQLState())) {
        return connect("template1");
      }
      throw e;
    }
  }

  /** The other sessions connected to {@code database}: "pid 123 (application, client)". */
  List<String> blockers(Connection c, String database) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT pid, coalesce(application_name, ''),"
        + " coalesce(host(client_addr), 'local socket'), coalesce(state, '') FROM "
        + "pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid() ORDER BY pid")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String app = rs.getString(2).isEmpty() ? "" : rs.getString(2) + ", ";
          out.add("pid " + rs.getInt(1) + " (" + app + rs.getString(3)
              + (rs.getString(4).isEmpty() ? "" : ", " + rs.getString(4)) + ")");
        }
      }
    }
    return out;
  }

  /** Ends the other sessions on {@code database} (a Django dev server reconnects). */
  void terminate(Connection c, String database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM "
        + "pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      ps.executeQuery().close();
    }
  }

  /**
   * {@code CREATE DATABASE target TEMPLATE source}; with {@code terminate}, other sessions on
   * the source are ended first (and again, a few times, when they reconnect in between).
   */
  void copy(Connection c, String source, String target, boolean terminate)
      throws SQLException, SnapshotException {
    for (int attempt = 0; ; attempt++) {
      if (terminate) {
        terminate(c, source);
      }
      try (Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + SnapshotName.quote(target) + " TEMPLATE "
            + SnapshotName.quote(source));
        return;
      } catch (SQLException e) {
        if (!IN_USE.equals(e.getSQLState())) {
          throw e;
        }
        if (!terminate || attempt >= 4) {
          throw inUse(c, source);
        }
      }
    }
  }

  /** Renames {@code from} to {@code to} (nobody may be connected to {@code from}). */
  void rename(Connection c, String from, String to) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + SnapshotName.quote(from) + " RENAME TO "
          + SnapshotName.quote(to));
    }
  }

  void drop(Connection c, String database) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + SnapshotName.quote(database));
    }
  }

  boolean exists(Connection c, String database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  long size(Connection c, String database) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_database_size(?)")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The applied migrations {@code database} holds ({@code app.name}, in order). */
  List<String> applied(String database) throws SQLException {
    try (Connection c = connect(database)) {
      return SqliteCopies.appliedRows(c);
    }
  }

  /** "the database X is in use by ..." with what to do, when a copy or rename is refused. */
  SnapshotException inUse(Connection c, String database) throws SQLException {
    List<String> who = blockers(c, database);
    return new SnapshotException("PostgreSQL cannot copy or rename '" + database
        + "' while other sessions are connected to it"
        + (who.isEmpty() ? "" : ": " + String.join(", ", who)),
        "stop the dev server (and other clients), or pass --terminate to end those sessions "
            + "(Django reconnects on the next request)");
  }
}
