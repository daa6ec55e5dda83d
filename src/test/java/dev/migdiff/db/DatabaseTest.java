package dev.migdiff.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.PostgresServer;
import dev.migdiff.testing.RepoBuilder;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database layer against real SQLite files and a real PostgreSQL server: connections cannot
 * write, URLs are read as dj-database-url reads them, and every failure is one clear line
 * (exit 2) that never shows a password.
 */
class DatabaseTest {
  @TempDir Path tmp;

  @Test
  void urlsAreReadLikeDjDatabaseUrl() throws DatabaseException {
    Path base = Path.of("/srv/app");
    assertEquals(Path.of("/srv/app/db.sqlite3"), DatabaseUrl.parse("sqlite:///db.sqlite3", base).path());
    assertEquals(Path.of("/var/db/x.sqlite3"), DatabaseUrl.parse("sqlite:////var/db/x.sqlite3", base).path());
    DatabaseUrl pg = DatabaseUrl.parse(
        "postgres://app%40corp:p%40ss:w@db.internal:6543/shop?sslmode=require", base);
    assertEquals(DatabaseUrl.Engine.POSTGRESQL, pg.engine());
    assertEquals("app@corp", pg.user());
    assertEquals("p@ss:w", pg.password());
    assertEquals("db.internal", pg.host());
    assertEquals(6543, pg.port());
    assertEquals("shop", pg.name());
    assertEquals("require", pg.options().get("sslmode"));
    assertEquals("postgres://app@corp:***@db.internal:6543/shop", pg.toString());
    assertEquals(5432, DatabaseUrl.parse("postgresql://u@localhost/n", base).port());
    assertEquals("::1", DatabaseUrl.parse("postgres://u:p@[::1]:5433/n", base).host());
    assertEquals("postgres://u:***@[::1]:5433/n",
        DatabaseUrl.parse("postgres://u:p@[::1]:5433/n", base).toString());
    assertEquals("unknown database scheme 'redis'", assertThrows(DatabaseException.class,
        () -> DatabaseUrl.parse("redis://localhost", base)).getMessage());
    assertEquals("PostgreSQL over a Unix socket (/var/run/postgresql) is not supported",
        assertThrows(DatabaseException.class,
            () -> DatabaseUrl.parse("postgres://u@%2Fvar%2Frun%2Fpostgresql/n", base)).getMessage());
    assertEquals("the database URL names no database", assertThrows(DatabaseException.class,
        () -> DatabaseUrl.parse("postgres://u:p@h:5432/", base)).getMessage());
    assertEquals("not a database URL: 'db.sqlite3'", assertThrows(DatabaseException.class,
        () -> DatabaseUrl.parse("db.sqlite3", base)).getMessage());
    assertEquals("bad port in database URL: 'port'", assertThrows(DatabaseException.class,
        () -> DatabaseUrl.parse("postgres://u:hunter2@h:port/n", base)).getMessage());
  }

  @Test
  void sqliteConnectionsCannotWrite() throws Exception {
    Path db = tmp.resolve("db.sqlite3");
    try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + db, new Properties());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE django_migrations (id integer PRIMARY KEY AUTOINCREMENT, "
          + "app varchar(255), name varchar(255), applied datetime)");
      st.execute("INSERT INTO django_migrations (app, name, applied) "
          + "VALUES ('blog', '0001_initial', '2026-01-02 03:04:05.678901')");
    }
    String before = sha256(db);
    try (Connection c = MigrationTable.open(DatabaseUrl.sqlite(db), Duration.ofSeconds(2));
        Statement st = c.createStatement()) {
      SQLException insert = assertThrows(SQLException.class, () -> st.executeUpdate(
          "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', 'z')"));
      assertTrue(insert.getMessage().contains("readonly"), insert.getMessage());
      assertThrows(SQLException.class, () -> st.execute("CREATE TABLE t (id integer)"));
      assertThrows(SQLException.class, () -> st.execute("DELETE FROM django_migrations"));
    }
    List<AppliedRow> rows = MigrationTable.read(DatabaseUrl.sqlite(db), Duration.ofSeconds(2),
        ZoneOffset.UTC);
    assertEquals(List.of(new AppliedRow("blog", "0001_initial",
        java.time.Instant.parse("2026-01-02T03:04:05.678901Z"))), rows);
    assertEquals(before, sha256(db), "the SQLite file changed");
    assertFalse(Files.exists(tmp.resolve("db.sqlite3-journal")));
  }

  @Test
  void postgresConnectionsCannotWrite() throws Exception {
    PostgresServer pg = PostgresServer.get();
    Assumptions.assumeTrue(pg != null, "PostgreSQL not installed");
    pg.createDatabase("readonly_check");
    try (Connection c = pg.connect("readonly_check"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255), "
          + "name varchar(255), applied timestamptz)");
      st.execute("INSERT INTO django_migrations (app, name, applied) "
          + "VALUES ('blog', '0001_initial', '2026-01-02 03:04:05+00')");
    }
    DatabaseUrl url = DatabaseUrl.parse(pg.url("readonly_check"), tmp);
    try (Connection c = MigrationTable.open(url, Duration.ofSeconds(5));
        Statement st = c.createStatement()) {
      SQLException insert = assertThrows(SQLException.class, () -> st.executeUpdate(
          "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())"));
      assertEquals("25006", insert.getSQLState(), insert.getMessage()); // read_only_sql_transaction
      assertThrows(SQLException.class, () -> st.execute("CREATE TABLE t (id integer)"));
    }
    try (Connection c = pg.connect("readonly_check"); Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM django_migrations")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
    assertEquals(List.of(new AppliedRow("blog", "0001_initial",
        java.time.Instant.parse("2026-01-02T03:04:05Z"))),
        MigrationTable.read(url, Duration.ofSeconds(5), ZoneOffset.UTC));
  }

  @Test
  void postgresFailuresAreOneLineWithoutThePassword() throws Exception {
    PostgresServer pg = PostgresServer.get();
    Assumptions.assumeTrue(pg != null, "PostgreSQL not installed");
    Path repo = project();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    pg.createDatabase("never_migrated");
    String wrong = "postgres://migdiff:not-the-password@127.0.0.1:" + pg.port + "/postgres";
    assertEquals(List.of("exit 2", "migdiff: error: PostgreSQL at 127.0.0.1:" + pg.port
        + " rejected the login of user 'migdiff'",
        "hint: check the user and password in --database or DATABASE_URL"),
        status(repo, "--database", wrong));
    assertEquals(List.of("exit 2", "migdiff: error: cannot connect to PostgreSQL at 127.0.0.1:"
        + closed + ": connection refused", "hint: is the server running? check host and port"),
        status(repo, "--database", "postgres://migdiff:secret@127.0.0.1:" + closed + "/x"));
    assertEquals(List.of("exit 2", "migdiff: error: PostgreSQL at 127.0.0.1:" + pg.port
        + " has no database 'nope'", "hint: check the database name"),
        status(repo, "--database", pg.url("nope")));
    assertEquals(List.of("exit 2", "migdiff: error: no django_migrations table in "
        + "postgres://migdiff:***@127.0.0.1:" + pg.port + "/never_migrated: this database was "
        + "never migrated",
        "hint: run 'python manage.py migrate', or point --database at the right database"),
        status(repo, "--database", pg.url("never_migrated")));
    // DATABASE_URL from the environment: same answer, still no password.
    List<String> viaEnv = run(repo, Map.of("DATABASE_URL", wrong), "status");
    assertEquals("exit 2", viaEnv.get(0));
    for (List<String> out : List.of(viaEnv, status(repo, "--database", wrong),
        status(repo, "--database", pg.url("never_migrated")))) {
      String all = String.join("\n", out);
      assertFalse(all.contains("not-the-password") || all.contains(":secret@"), all);
    }
  }

  @Test
  void aLockedSqliteFileIsOneLine() throws Exception {
    Path repo = project();
    Path db = repo.resolve("db.sqlite3");
    try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + db, new Properties());
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE django_migrations (id integer PRIMARY KEY, app text, name text, "
          + "applied text)");
    }
    // Another process holds an exclusive lock, as a running migrate does while it commits.
    Process holder = new ProcessBuilder("/usr/bin/python3", "-c",
        "import sqlite3, sys\n"
            + "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            + "c.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.read()\n",
        db.toString()).start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(),
          StandardCharsets.UTF_8));
      assertEquals("locked", r.readLine());
      assertEquals(List.of("exit 2", "migdiff: error: the SQLite database sqlite://" + db
          + " is locked by another process",
          "hint: wait for the running migrate to finish, then retry"),
          status(repo, "--timeout", "1"));
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  private Path project() {
    Path dir = tmp.resolve("repo");
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", Django.migration(""));
      r.commit("initial");
    }
    return dir;
  }

  private static List<String> status(Path repo, String... args) {
    List<String> all = new ArrayList<>(List.of("status"));
    all.addAll(List.of(args));
    return run(repo, Map.of(), all.toArray(String[]::new));
  }

  private static List<String> run(Path repo, Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("-C", repo.toString()));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    List<String> lines = new ArrayList<>(List.of("exit " + code));
    String o = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    for (String l : o.split("\n")) {
      if (!l.isEmpty()) {
        lines.add(l);
      }
    }
    return lines;
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
