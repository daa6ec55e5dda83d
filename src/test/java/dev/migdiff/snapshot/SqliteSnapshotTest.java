package dev.migdiff.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.DjangoOracle;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migdiff snapshot} on real SQLite files migrated by real Django: save at main, switch,
 * migrate the feature branch, restore, undo; a server holding the file open; concurrent saves;
 * names and databases that are refused.
 */
class SqliteSnapshotTest {
  @TempDir Path tmp;
  SnapshotProject p;

  @BeforeEach
  void project() {
    DjangoOracle.available(); // fails (not skips) when Django is missing, like the oracle suites
    p = SnapshotProject.create(tmp.resolve("proj"), SnapshotProject.SQLITE);
    p.manage("migrate");
    SnapshotProject.execute(p.sqlite(), "INSERT INTO blog_post (title) VALUES ('kept')");
  }

  private SnapshotRecord record(String name) throws SnapshotException {
    return new SnapshotStore(p.dir.resolve(".git")).find(name).orElseThrow();
  }

  @Test
  void saveSwitchMigrateRestoreThenUndo() throws Exception {
    List<String> mainRows = SnapshotProject.rows(p.sqlite());
    List<String> saved = p.ok("snapshot", "save");
    String name = "main@" + p.mainCommit.substring(0, 6);
    assertTrue(saved.get(1).startsWith("saved snapshot '" + name + "' of sqlite:///"), saved.get(1));
    SnapshotRecord r = record(name);
    assertEquals(mainRows, r.applied());
    assertEquals("main", r.branch());
    assertEquals(p.mainCommit, r.commit());
    assertTrue(Files.isRegularFile(p.dir.resolve(".git/migdiff/snapshots/" + name + ".sqlite3")));

    p.checkout("feature");
    p.manage("migrate");
    SnapshotProject.execute(p.sqlite(), "INSERT INTO blog_post (title) VALUES ('feature')");
    List<String> featureRows = SnapshotProject.rows(p.sqlite());
    assertTrue(featureRows.contains("blog.0003_feature"));

    List<String> restored = p.ok("snapshot", "restore", "main");
    assertTrue(restored.get(1).contains("saved the current state as 'undo'"), restored.get(1));
    assertTrue(restored.get(1).contains("restored '" + name + "'"), restored.get(1));
    assertEquals(mainRows, SnapshotProject.rows(p.sqlite()));
    p.checkout("main");
    // Django at main sees exactly what the snapshot recorded.
    TreeSet<String> recorded = new TreeSet<>(r.applied());
    assertEquals(recorded, p.showmigrations());
    assertEquals(List.of("kept"), SnapshotProject.query(p.sqlite(), "SELECT title FROM blog_post"));
    assertEquals(List.of(), SnapshotProject.query(p.sqlite(),
        "SELECT name FROM sqlite_master WHERE name = 'blog_tag'"));

    p.checkout("feature");
    p.ok("snapshot", "restore", "undo");
    assertEquals(featureRows, SnapshotProject.rows(p.sqlite()));
    assertEquals(List.of("kept", "feature"),
        SnapshotProject.query(p.sqlite(), "SELECT title FROM blog_post ORDER BY id"));
    assertEquals(new TreeSet<>(featureRows.stream().filter(x -> !x.equals("blog.0003_main"))
        .collect(Collectors.toList())), p.showmigrations());
    // ... and undo of the undo goes back to main's state.
    p.ok("snapshot", "restore", "undo");
    assertEquals(mainRows, SnapshotProject.rows(p.sqlite()));
    // Nothing in the work tree but the database itself.
    assertEquals("", git("status", "--porcelain", "--ignored=no"));
  }

  @Test
  void aServerHoldingTheFileOpenSeesTheRestoredDatabase() throws Exception {
    p.ok("snapshot", "save", "before");
    SnapshotProject.execute(p.sqlite(), "INSERT INTO blog_post (title) VALUES ('later')");
    // A Django process with an open connection (as runserver keeps one per thread).
    String script = "import django, os, sys\n"
        + "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
        + "django.setup()\nfrom django.db import connection\n"
        + "def titles():\n    with connection.cursor() as c:\n"
        + "        c.execute('SELECT title FROM blog_post ORDER BY id')\n"
        + "        return ','.join(r[0] for r in c.fetchall())\n"
        + "print(titles(), flush=True)\nsys.stdin.readline()\nprint(titles(), flush=True)\n";
    Process server = new ProcessBuilder(DjangoOracle.PYTHON, "-c", script)
        .directory(p.dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
        StandardCharsets.UTF_8)); OutputStream in = server.getOutputStream()) {
      assertEquals("kept,later", out.readLine());
      // Saving while the server holds the file open: a consistent copy.
      p.ok("snapshot", "save", "while-open");
      assertEquals(List.of("kept", "later"), SnapshotProject.query(p.dir.resolve(
          ".git/migdiff/snapshots/while-open.sqlite3"), "SELECT title FROM blog_post ORDER BY id"));
      // Restoring while it holds the file open: its next query sees the restored data.
      p.ok("snapshot", "restore", "before");
      in.write("\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      assertEquals("kept", out.readLine());
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void concurrentSavesGetTheirOwnNamesAndConsistentCopies() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<String>>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(pool.submit(() -> p.migdiff("snapshot", "save")));
    }
    for (Future<List<String>> f : runs) {
      assertEquals("0", f.get(120, TimeUnit.SECONDS).get(0), f.get().toString());
    }
    pool.shutdown();
    String base = "main@" + p.mainCommit.substring(0, 6);
    List<SnapshotRecord> all = new SnapshotStore(p.dir.resolve(".git")).list();
    assertEquals(new TreeSet<>(List.of(base, base + ".2", base + ".3", base + ".4")),
        all.stream().map(SnapshotRecord::name).collect(Collectors.toCollection(TreeSet::new)));
    for (SnapshotRecord r : all) {
      Path f = p.dir.resolve(".git/migdiff/snapshots").resolve(r.storage());
      assertEquals("ok", SqliteCopies.check(f, java.time.Duration.ofSeconds(5)));
      assertEquals(SqliteCopies.sha256(f), r.sha256());
      assertEquals(SnapshotProject.rows(p.sqlite()), r.applied());
    }
    String list = p.ok("snapshot", "list").get(1);
    assertTrue(list.contains("4 snapshots"), list);
  }

  @Test
  void badNamesAreRefusedAndWriteNothing() throws Exception {
    for (String bad : List.of("../../etc/passwd", "a/b", "x\"; DROP DATABASE y; --", "..",
        "-rf", "", "a".repeat(41), "caf\u00e9", "a..b")) {
      List<String> r = p.migdiff("snapshot", "save", bad);
      assertEquals("2", r.get(0), bad + " -> " + r);
      assertTrue(r.get(2).startsWith("migdiff: error: invalid snapshot name")
          || r.get(2).contains("Unknown option"), r.get(2));
      List<String> restore = p.migdiff("snapshot", "restore", bad);
      assertEquals("2", restore.get(0), bad + " -> " + restore);
    }
    assertFalse(Files.exists(p.dir.resolve(".git/migdiff/snapshots"))
        && Files.list(p.dir.resolve(".git/migdiff/snapshots"))
            .anyMatch(f -> !f.getFileName().toString().equals(".lock")), "something was written");
    assertFalse(Files.exists(tmp.resolve("etc")));
  }

  @Test
  void aSnapshotOfAnotherDatabaseIsRestoredOnlyWhenForced() throws Exception {
    p.ok("snapshot", "save", "mine");
    Path other = tmp.resolve("other.sqlite3");
    SnapshotProject.execute(other, "CREATE TABLE django_migrations (id integer primary key, "
        + "app text, name text, applied text)");
    byte[] before = Files.readAllBytes(other);
    List<String> r = p.migdiff("snapshot", "restore", "mine", "--database",
        "sqlite:///" + other);
    assertEquals("2", r.get(0), r.toString());
    assertTrue(r.get(2).startsWith("migdiff: error: the snapshot 'mine' was taken from sqlite:///"),
        r.get(2));
    assertTrue(r.get(2).contains("hint: pass --force"), r.get(2));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(other)), "changed");
    p.ok("snapshot", "restore", "mine", "--database", "sqlite:///" + other, "--force");
    assertEquals(SnapshotProject.rows(p.sqlite()), SnapshotProject.rows(other));
  }

  @Test
  void dropForgetsTheSnapshotAndDeletesItsCopy() throws Exception {
    p.ok("snapshot", "save", "gone");
    assertTrue(Files.exists(p.dir.resolve(".git/migdiff/snapshots/gone.sqlite3")));
    assertEquals("dropped snapshot 'gone'\n", p.ok("snapshot", "drop", "gone").get(1));
    assertFalse(Files.exists(p.dir.resolve(".git/migdiff/snapshots/gone.sqlite3")));
    assertFalse(Files.exists(p.dir.resolve(".git/migdiff/snapshots/gone.properties")));
    List<String> again = p.migdiff("snapshot", "drop", "gone");
    assertEquals("2", again.get(0));
    assertEquals("migdiff: error: no snapshot called 'gone'\n"
        + "hint: list them with 'migdiff snapshot list'\n", again.get(2));
    assertEquals("no snapshots (migdiff snapshot save takes one)\n",
        p.ok("snapshot", "list").get(1));
  }

  @Test
  void anExistingNameIsReplacedOnlyWithForce() throws Exception {
    p.ok("snapshot", "save", "x");
    List<String> r = p.migdiff("snapshot", "save", "x");
    assertEquals("2", r.get(0));
    assertTrue(r.get(2).contains("a snapshot called 'x' exists"), r.get(2));
    SnapshotProject.execute(p.sqlite(), "INSERT INTO blog_post (title) VALUES ('newer')");
    p.ok("snapshot", "save", "x", "--force");
    assertEquals(List.of("kept", "newer"), SnapshotProject.query(
        p.dir.resolve(".git/migdiff/snapshots/x.sqlite3"), "SELECT title FROM blog_post ORDER BY id"));
    assertEquals(1, new SnapshotStore(p.dir.resolve(".git")).list().size());
  }

  @Test
  void everyLinkedWorktreeSeesTheSameSnapshots() throws Exception {
    p.ok("snapshot", "save", "shared");
    Path wt = tmp.resolve("linked");
    git("worktree", "add", "--detach", wt.toString(), "feature");
    List<String> full = new ArrayList<>(List.of("-C", wt.toString(), "snapshot", "list"));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int code = dev.migdiff.cli.Main.run(full.toArray(String[]::new), new java.io.PrintStream(out,
        true, StandardCharsets.UTF_8), System.err, java.util.Map.of());
    assertEquals(0, code);
    String list = out.toString(StandardCharsets.UTF_8);
    assertTrue(list.contains("shared ") && list.contains(p.sqlite().toString()), list);
    assertFalse(Files.exists(wt.resolve(".git/migdiff")), "a store in the worktree");
  }

  private String git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", p.dir.toString()));
    cmd.addAll(List.of(args));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    proc.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
