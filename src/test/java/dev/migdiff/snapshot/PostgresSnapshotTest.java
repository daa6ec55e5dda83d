package dev.migdiff.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migdiff snapshot} on the real PostgreSQL server the tests start, migrated by real
 * Django through psycopg2: template copies, sessions that block them, --terminate, and the
 * pg_dump fallback when the login may not use the database as a template.
 */
class PostgresSnapshotTest {
  @TempDir Path tmp;
  PostgresServer pg;
  String db;
  SnapshotProject p;
  List<String> before;

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    DjangoOracle.available();
    pg = PostgresServer.get();
    Assumptions.assumeTrue(pg != null, "PostgreSQL not installed");
    db = "snap_" + info.getTestMethod().orElseThrow().getName().toLowerCase();
    before = databases();
  }

  /** Databases made by migdiff during this test (the server is shared by the test classes). */
  private List<String> ours() throws SQLException {
    return databases().stream().filter(d -> d.startsWith("migdiff_snap_") && !before.contains(d))
        .toList();
  }

  private void project() throws Exception {
    p = SnapshotProject.create(tmp.resolve("proj"), "{\"default\": {\"ENGINE\": "
        + "\"django.db.backends.postgresql\", \"NAME\": \"" + db + "\", \"HOST\": \"127.0.0.1\", "
        + "\"PORT\": " + pg.port + ", \"USER\": \"migdiff\", \"PASSWORD\": \"secret\"}}");
    Files.writeString(p.dir.resolve(".env"), "DATABASE_URL=" + pg.url(db) + "\n");
    p.manage("migrate");
    sql(db, "INSERT INTO blog_post (title) VALUES ('kept')");
  }

  @Test
  void saveSwitchMigrateRestoreThenUndo() throws Exception {
    pg.createDatabase(db);
    project();
    List<String> mainRows = rows(db);
    String name = "main@" + p.mainCommit.substring(0, 6);
    p.ok("snapshot", "save");
    SnapshotRecord r = new SnapshotStore(p.dir.resolve(".git")).find("main").orElseThrow();
    assertEquals(name, r.name());
    assertEquals("template", r.method());
    assertTrue(r.storage().startsWith("migdiff_snap_main_"), r.storage());
    assertEquals(mainRows, r.applied());
    assertTrue(databases().contains(r.storage()));
    assertTrue(p.ok("snapshot", "list").get(1).contains("(template)"));

    p.checkout("feature");
    p.manage("migrate");
    sql(db, "INSERT INTO blog_post (title) VALUES ('feature')");
    List<String> featureRows = rows(db);

    p.ok("snapshot", "restore", "main");
    assertEquals(mainRows, rows(db));
    p.checkout("main");
    assertEquals(new TreeSet<>(r.applied()), p.showmigrations());
    assertEquals(List.of("kept"), query(db, "SELECT title FROM blog_post ORDER BY id"));

    p.ok("snapshot", "restore", "undo");
    assertEquals(featureRows, rows(db));
    assertEquals(List.of("kept", "feature"), query(db, "SELECT title FROM blog_post ORDER BY id"));
    // No stray databases: the snapshot, the undo (the replaced original), the database itself.
    List<String> ours = ours();
    assertEquals(2, ours.size(), ours.toString());
    p.ok("snapshot", "drop", name);
    p.ok("snapshot", "drop", "undo");
    assertEquals(List.of(), ours());
  }

  @Test
  void anOpenSessionBlocksTheCopyUntilTerminated() throws Exception {
    pg.createDatabase(db);
    project();
    try (Connection server = pg.connect(db)) {
      query(server, "SELECT 1");
      int pid = Integer.parseInt(query(server, "SELECT pg_backend_pid()").get(0));
      List<String> r = p.migdiff("snapshot", "save", "blocked");
      assertEquals("2", r.get(0), r.toString());
      assertTrue(r.get(2).startsWith("migdiff: error: PostgreSQL cannot copy or rename '" + db
          + "' while other "
          + "sessions are connected to it: pid " + pid + " ("), r.get(2));
      assertTrue(r.get(2).contains("hint: stop the dev server (and other clients), or pass "
          + "--terminate"), r.get(2));
      assertFalse(r.get(2).contains("secret"), "password shown");
      assertTrue(new SnapshotStore(p.dir.resolve(".git")).list().isEmpty());
      p.ok("snapshot", "save", "blocked", "--terminate");
      assertThrowsSql(() -> query(server, "SELECT 1"));
    }
    assertEquals(rows(db), new SnapshotStore(p.dir.resolve(".git")).find("blocked")
        .orElseThrow().applied());
    // Restoring under an open session: refused with the session named, nothing changed, no
    // stray copy; with --terminate it goes through.
    sql(db, "INSERT INTO blog_post (title) VALUES ('after')");
    try (Connection server = pg.connect(db)) {
      query(server, "SELECT 1");
      List<String> r = p.migdiff("snapshot", "restore", "blocked");
      assertEquals("2", r.get(0), r.toString());
      assertTrue(r.get(2).contains("while other sessions are connected to it: pid "), r.get(2));
      assertEquals(List.of("kept", "after"), query(db, "SELECT title FROM blog_post ORDER BY id"));
      assertEquals(List.of("migdiff_snap_blocked_"), ours().stream()
          .map(d -> d.substring(0, 21)).toList());
      p.ok("snapshot", "restore", "blocked", "--terminate");
    }
    assertEquals(List.of("kept"), query(db, "SELECT title FROM blog_post ORDER BY id"));
  }

  @Test
  void withoutTheRightToUseItAsATemplateItIsDumped() throws Exception {
    // A database owned by another role: migdiff may read and write its tables, not copy it.
    try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db);
      st.execute("CREATE DATABASE " + db);
    }
    try (Connection c = superuser(db); Statement st = c.createStatement()) {
      st.execute("GRANT ALL ON SCHEMA public TO migdiff");
    }
    project();
    List<String> before = rows(db);
    List<String> saved = p.ok("snapshot", "save", "dumped");
    SnapshotRecord r = new SnapshotStore(p.dir.resolve(".git")).find("dumped").orElseThrow();
    assertEquals("pg_dump", r.method(), saved.toString());
    assertEquals(before, r.applied());
    assertTrue(Files.size(p.dir.resolve(".git/migdiff/snapshots").resolve(r.storage())) > 0);
    // Restoring needs the database to be replaced, which only its owner may do: refused, and
    // the original is untouched (no half-restored database, no stray copy).
    p.checkout("feature");
    p.manage("migrate");
    List<String> feature = rows(db);
    List<String> restore = p.migdiff("snapshot", "restore", "dumped");
    assertEquals("2", restore.get(0), restore.toString());
    assertTrue(restore.get(2).startsWith("migdiff: error: cannot restore over postgres://"),
        restore.get(2));
    assertTrue(restore.get(2).contains("(it is unchanged)"), restore.get(2));
    assertEquals(feature, rows(db));
    assertEquals(List.of(), ours());
  }

  @Test
  void aRemoteServerIsNeverOverwrittenWithoutAllowRemote() throws Exception {
    pg.createDatabase(db);
    project();
    p.ok("snapshot", "save", "here");
    // The same server under a name that is not this machine's: refused before any connection.
    String remote = "postgres://migdiff:secret@db.example.com:" + pg.port + "/" + db;
    List<String> r = p.migdiff("snapshot", "restore", "here", "--database", remote, "--force");
    assertEquals("2", r.get(0), r.toString());
    assertEquals("migdiff: error: refusing to restore over postgres://migdiff:***@db.example.com:"
        + pg.port + "/" + db + ": it is not on this machine\n"
        + "hint: pass --allow-remote if you really mean to overwrite it\n", r.get(2));
  }

  private interface Sql {
    void run() throws Exception;
  }

  private static void assertThrowsSql(Sql s) {
    try {
      s.run();
    } catch (Exception e) {
      return;
    }
    throw new AssertionError("the session survived --terminate");
  }

  private Connection superuser(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", "secret-postgres");
    return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + pg.port + "/"
        + database, props);
  }

  private List<String> databases() throws SQLException {
    try (Connection c = pg.connect("postgres")) {
      return query(c, "SELECT datname FROM pg_database ORDER BY datname");
    }
  }

  private List<String> rows(String database) throws SQLException {
    return query(database, "SELECT app || '.' || name FROM django_migrations ORDER BY id");
  }

  private List<String> query(String database, String q) throws SQLException {
    try (Connection c = pg.connect(database)) {
      return query(c, q);
    }
  }

  private void sql(String database, String q) throws SQLException {
    try (Connection c = pg.connect(database); Statement st = c.createStatement()) {
      st.execute(q);
    }
  }

  private static List<String> query(Connection c, String q) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
