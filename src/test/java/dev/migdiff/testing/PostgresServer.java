package dev.migdiff.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for the tests, started once per test JVM by
 * {@code scripts/test-postgres} on a free loopback port, and stopped when the JVM exits.
 */
public final class PostgresServer {
  public static final String USER = "migdiff";
  public static final String PASSWORD = "secret";
  private static PostgresServer instance;

  public final int port;
  private final String dir;

  private PostgresServer(int port, String dir) {
    this.port = port;
    this.dir = dir;
  }

  /**
   * The server; fails the test when PostgreSQL is not installed, unless
   * {@code -Dmigdiff.allowNoPostgres=true}, in which case it returns null so the caller skips.
   */
  public static synchronized PostgresServer get() {
    if (instance != null) {
      return instance;
    }
    boolean installed = Files.isDirectory(Path.of("/usr/lib/postgresql"));
    if (!installed) {
      if (Boolean.getBoolean("migdiff.allowNoPostgres")) {
        return null;
      }
      fail("a real PostgreSQL server is needed: apt-get install postgresql python3-psycopg2 "
          + "(or -Dmigdiff.allowNoPostgres=true to skip)");
    }
    try {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process p = new ProcessBuilder("scripts/test-postgres", "start", Integer.toString(port))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String dir = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("scripts/test-postgres start failed");
      }
      instance = new PostgresServer(port, dir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          new ProcessBuilder("scripts/test-postgres", "stop", dir).inheritIO().start()
              .waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
          // the JVM is exiting
        }
      }));
      return instance;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("cannot start PostgreSQL", e);
    }
  }

  /** A URL for migdiff: {@code postgres://migdiff:secret@127.0.0.1:PORT/NAME}. */
  public String url(String database) {
    return "postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + database;
  }

  /** Django's connection settings for the scenario projects: host:port:user:password. */
  public String djangoSpec() {
    return "127.0.0.1:" + port + ":" + USER + ":" + PASSWORD;
  }

  /** Creates an empty database (the harness writes; migdiff never does). */
  public void createDatabase(String name) throws SQLException {
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name);
    }
  }

  /** A read-write connection for the test harness. */
  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("password", PASSWORD);
    return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + port + "/"
        + database, p);
  }
}
