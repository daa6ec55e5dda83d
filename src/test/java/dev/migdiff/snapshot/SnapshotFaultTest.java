package dev.migdiff.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must never lose the user's database: a full disk (a size-limited tmpfs), a restore
 * killed midway, a damaged snapshot file, damaged metadata.
 */
class SnapshotFaultTest {
  @TempDir Path tmp;
  SnapshotProject p;
  final List<Path> mounts = new ArrayList<>();

  @BeforeEach
  void project() {
    p = SnapshotProject.create(tmp.resolve("proj"), SnapshotProject.SQLITE);
    p.manage("migrate");
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path m : mounts) {
      new ProcessBuilder("umount", m.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A tmpfs of {@code size} at {@code dir}; skips the test where mounting is not allowed. */
  private void tmpfs(Path dir, String size) throws Exception {
    Files.createDirectories(dir);
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs",
        dir.toString()).redirectErrorStream(true).start();
    String out = new String(m.getInputStream().readAllBytes());
    boolean ok = m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0;
    Assumptions.assumeTrue(ok, "cannot mount a tmpfs here (needs root): " + out);
    mounts.add(dir);
  }

  private static void filler(Path db, int kilobytes) {
    SnapshotProject.execute(db, "CREATE TABLE IF NOT EXISTS filler (b blob)");
    SnapshotProject.execute(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        + "WHERE i < " + kilobytes / 16 + ") INSERT INTO filler SELECT randomblob(16384) FROM n");
  }

  private static String sha(Path f) throws IOException {
    return SqliteCopies.sha256(f);
  }

  private List<String> storeFiles() throws IOException {
    Path dir = p.dir.resolve(".git/migdiff/snapshots");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> !n.equals(".lock")).sorted()
          .toList();
    }
  }

  @Test
  void saveOnAFullDiskFailsCleanly() throws Exception {
    filler(p.sqlite(), 1024);
    tmpfs(p.dir.resolve(".git/migdiff/snapshots"), "256k");
    String before = sha(p.sqlite());
    List<String> r = p.migdiff("snapshot", "save", "big");
    assertEquals("2", r.get(0), r.toString());
    assertTrue(r.get(2).startsWith("migdiff: error: cannot copy " + p.sqlite()), r.get(2));
    assertTrue(r.get(2).contains("full"), r.get(2));
    assertTrue(r.get(2).contains("hint: free some disk space, or drop old snapshots"), r.get(2));
    assertEquals(List.of(), storeFiles(), "a partial copy was left behind");
    assertEquals(before, sha(p.sqlite()));
    assertEquals("no snapshots (migdiff snapshot save takes one)\n",
        p.ok("snapshot", "list").get(1));
  }

  @Test
  void restoreOnAFullDiskLeavesTheDatabaseAsItWas() throws Exception {
    Path small = tmp.resolve("small");
    tmpfs(small, "1536k");
    Path db = small.resolve("db.sqlite3");
    Files.copy(p.sqlite(), db);
    String url = "sqlite:///" + db;
    filler(db, 1024);
    p.ok("snapshot", "save", "big", "--database", url);
    SnapshotProject.execute(db, "DROP TABLE filler");
    SnapshotProject.execute(db, "VACUUM");
    SnapshotProject.execute(db, "INSERT INTO blog_post (title) VALUES ('precious')");
    // Leave less room than the snapshot needs.
    long free = Files.getFileStore(small).getUsableSpace();
    Files.write(small.resolve("junk"), new byte[(int) Math.max(0, free - 256 * 1024)]);
    String before = sha(db);
    List<String> r = p.migdiff("snapshot", "restore", "big", "--database", url);
    assertEquals("2", r.get(0), r.toString());
    assertTrue(r.get(2).contains("(it is unchanged)") && r.get(2).contains("full"), r.get(2));
    assertEquals(before, sha(db));
    assertEquals(List.of("precious"), SnapshotProject.query(db, "SELECT title FROM blog_post"));
    assertEquals(List.of("ok"), SnapshotProject.query(db, "PRAGMA integrity_check"));
  }

  @Test
  void aKilledRestoreLeavesEitherTheOriginalOrTheSnapshotNeverAMix() throws Exception {
    filler(p.sqlite(), 48 * 1024);
    p.ok("snapshot", "save", "big");
    SnapshotProject.execute(p.sqlite(), "DROP TABLE filler");
    SnapshotProject.execute(p.sqlite(), "VACUUM");
    SnapshotProject.execute(p.sqlite(), "INSERT INTO blog_post (title) VALUES ('original')");
    List<String> original = SnapshotProject.query(p.sqlite(), "SELECT title FROM blog_post");
    Path undo = p.dir.resolve(".git/migdiff/snapshots/undo.properties");
    int killedMidway = 0;
    for (int delay : new int[] {0, 20, 60}) {
      Files.deleteIfExists(undo);
      Process child = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
          "-cp", System.getProperty("java.class.path"), "dev.migdiff.cli.Main", "-C",
          p.dir.toString(), "snapshot", "restore", "big")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.exists(undo) && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      Thread.sleep(delay);
      boolean alive = child.isAlive();
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      if (alive && Files.exists(p.dir.resolve("db.sqlite3-journal"))) {
        killedMidway++;
      }
      // Whatever the moment, SQLite finds one whole database: the original or the snapshot.
      assertEquals(List.of("ok"), SnapshotProject.query(p.sqlite(), "PRAGMA integrity_check"));
      List<String> now = SnapshotProject.query(p.sqlite(), "SELECT title FROM blog_post");
      boolean isOriginal = now.equals(original);
      boolean isSnapshot = now.isEmpty() && SnapshotProject.query(p.sqlite(),
          "SELECT count(*) FROM sqlite_master WHERE name = 'filler'").equals(List.of("1"));
      assertTrue(isOriginal || isSnapshot, "a mix after a kill " + delay + " ms in: " + now);
      if (isSnapshot) {
        p.ok("snapshot", "restore", "undo");
        assertEquals(original, SnapshotProject.query(p.sqlite(), "SELECT title FROM blog_post"));
      }
    }
    System.out.println("killed restores with a hot journal left behind: " + killedMidway + " of 3");
  }

  @Test
  void aDamagedSnapshotIsRefusedBeforeAnythingIsWritten() throws Exception {
    p.ok("snapshot", "save", "damaged");
    SnapshotProject.execute(p.sqlite(), "INSERT INTO blog_post (title) VALUES ('mine')");
    String before = sha(p.sqlite());
    Path copy = p.dir.resolve(".git/migdiff/snapshots/damaged.sqlite3");
    try (var ch = java.nio.channels.FileChannel.open(copy, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 5000);
    }
    List<String> r = p.migdiff("snapshot", "restore", "damaged");
    assertEquals("2", r.get(0));
    assertEquals("migdiff: error: the snapshot 'damaged' cannot be restored: its file " + copy
        + " changed since it was saved (checksum mismatch)\n"
        + "hint: nothing was changed; drop it (migdiff snapshot drop damaged) and restore "
        + "another\n", r.get(2));
    // A file that is not a database at all, with a matching checksum: SQLite's check refuses it.
    Files.writeString(copy, "not a database ".repeat(100));
    Path meta = p.dir.resolve(".git/migdiff/snapshots/damaged.properties");
    Files.writeString(meta, Files.readString(meta).replaceAll("sha256=\\w+",
        "sha256=" + sha(copy)));
    r = p.migdiff("snapshot", "restore", "damaged");
    assertEquals("2", r.get(0));
    assertTrue(r.get(2).startsWith("migdiff: error: the snapshot 'damaged' cannot be restored: "
        + "SQLite finds it damaged: "), r.get(2));
    assertEquals(before, sha(p.sqlite()));
    assertFalse(Files.exists(p.dir.resolve(".git/migdiff/snapshots/undo.properties")));
  }

  @Test
  void damagedMetadataIsSkippedNotFatal() throws Exception {
    p.ok("snapshot", "save", "good");
    Files.writeString(p.dir.resolve(".git/migdiff/snapshots/bad.properties"),
        "name=bad\ntaken=yesterday\n");
    Files.writeString(p.dir.resolve(".git/migdiff/snapshots/evil.properties"),
        "name=evil\nengine=sqlite\nsource=/x\nurl=sqlite:///x\ntaken=2026-01-01T00:00:00Z\n"
            + "size=1\nstorage=../../../etc/passwd\nmethod=backup\n");
    String list = p.ok("snapshot", "list").get(1);
    assertTrue(list.contains("good") && !list.contains("bad") && !list.contains("evil"), list);
    assertEquals("2", p.migdiff("snapshot", "restore", "evil").get(0));
    assertEquals(0, SnapshotProject.query(p.sqlite(), "SELECT count(*) FROM blog_post")
        .stream().mapToInt(Integer::parseInt).sum());
  }
}
