package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DeflaterOutputStream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loose objects read without JGit ({@link LooseObjects}) are what JGit reads from the same
 * objects packed: every revision's tree, every listing and every blob of a repository made by git
 * itself, with an executable, a symbolic link, a submodule, a name that is not ASCII, an empty file
 * and an annotated tag. A loose object that is damaged, of another type, longer or shorter than
 * its header says, or not the object its name says is not answered (JGit reads it, as before).
 */
class LooseObjectsTest {
  @TempDir Path tmp;

  @Test
  void readsWhatJGitReadsFromTheSameObjectsPacked() throws Exception {
    Path r = tmp.resolve("loose");
    Files.createDirectories(r);
    git(r, "init", "-q", "-b", "main");
    Files.createDirectories(r.resolve("shop/migrations"));
    Files.writeString(r.resolve("shop/migrations/0001_initial.py"), "# one\n");
    Files.writeString(r.resolve("shop/migrations/__init__.py"), "");
    Files.writeString(r.resolve("run.sh"), "#!/bin/sh\n");
    r.resolve("run.sh").toFile().setExecutable(true);
    Files.createSymbolicLink(r.resolve("link"), Path.of("run.sh"));
    Files.createDirectories(r.resolve("docs"));
    Files.writeString(r.resolve("docs/caf\u00e9.txt"), "non-ASCII name\n");
    commit(r, "one");
    Files.writeString(r.resolve("shop/migrations/0002_b.py"), "# two\n".repeat(5000));
    git(r, "add", "-A");
    git(r, "update-index", "--add", "--cacheinfo",
        "160000,1111111111111111111111111111111111111111,vendor/lib");
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "two");
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", "-m", "annotated", "v2");
    Path packed = tmp.resolve("packed");
    copy(r, packed);
    git(packed, "gc", "-q", "--prune=now");

    for (String rev : List.of("main", "main~1", "v2")) {
      Map<String, String> fromLoose = readAll(r, rev);
      Map<String, String> fromPacks = readAll(packed, rev);
      assertEquals(fromPacks, fromLoose, rev);
    }
    // and the loose reader answered them (they were loose): it is no JGit reading twice
    try (GitRepository g = GitRepository.discover(r)) {
      Revision main = g.resolve("main");
      LooseObjects loose = g.loose();
      assertNotNull(loose);
      String tree = loose.commit(ObjectId.fromString(main.commit())).tree();
      assertEquals(g.tree(main).id(), tree);
      List<TreeEntry> root = loose.tree(ObjectId.fromString(tree));
      assertEquals(g.tree(main).list(""), root);
      assertEquals(List.of(TreeEntry.Kind.TREE, TreeEntry.Kind.SYMLINK, TreeEntry.Kind.FILE,
          TreeEntry.Kind.TREE, TreeEntry.Kind.TREE),
          root.stream().map(TreeEntry::kind).toList(), root.toString());
      String docs = g.tree(main).entry("docs").orElseThrow().id();
      assertNull(loose.tree(ObjectId.fromString(docs)), "a name that is not ASCII is left to JGit");
    }
  }

  @Test
  void aDamagedOrMislabelledObjectIsNotAnswered() throws Exception {
    Path objects = Files.createDirectories(tmp.resolve("objects"));
    LooseObjects loose = new LooseObjects(objects);
    byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
    ObjectId id = write(objects, "blob", hello, null);
    assertArrayEquals(hello, loose.read(id, "blob", 100));
    assertNull(loose.read(id, "tree", 100), "another type");
    assertNull(loose.read(id, "blob", 5), "larger than asked");
    assertNull(loose.read(ObjectId.fromString("2222222222222222222222222222222222222222"),
        "blob", 100), "not there");

    // an object filed under another's id (git does not check; this reader does)
    ObjectId other = write(objects, "blob", "other\n".getBytes(StandardCharsets.US_ASCII), null);
    Files.copy(file(objects, other), file(objects, id), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertNull(loose.read(id, "blob", 100), "content that is not its id");

    ObjectId empty = write(objects, "blob", new byte[0], null);
    assertArrayEquals(new byte[0], loose.read(empty, "blob", 100));

    // a header that says more or less than there is
    ObjectId longer = write(objects, "blob", hello, "blob 3\0hello\n");
    assertNull(loose.read(longer, "blob", 100), "longer than its header");
    ObjectId shorter = write(objects, "blob", hello, "blob 9\0hello\n");
    assertNull(loose.read(shorter, "blob", 100), "shorter than its header");

    // cut short
    ObjectId cut = write(objects, "blob", "x".repeat(10_000).getBytes(StandardCharsets.US_ASCII),
        null);
    byte[] whole = Files.readAllBytes(file(objects, cut));
    Files.write(file(objects, cut), java.util.Arrays.copyOf(whole, whole.length / 2));
    assertNull(loose.read(cut, "blob", 100_000), "truncated");
    Files.write(file(objects, cut), "not zlib".getBytes(StandardCharsets.US_ASCII));
    assertNull(loose.read(cut, "blob", 100_000), "not deflated");
  }

  /** Writes a loose object (its raw form {@code raw}, else the canonical one); returns its id. */
  private static ObjectId write(Path objects, String type, byte[] content, String raw)
      throws Exception {
    ByteArrayOutputStream canonical = new ByteArrayOutputStream();
    canonical.write((type + " " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
    canonical.write(content);
    byte[] body = raw == null ? canonical.toByteArray() : raw.getBytes(StandardCharsets.US_ASCII);
    ObjectId id = ObjectId.fromRaw(MessageDigest.getInstance("SHA-1").digest(body));
    Path f = file(objects, id);
    Files.createDirectories(f.getParent());
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
      out.write(body);
    }
    Files.write(f, deflated.toByteArray());
    return id;
  }

  private static Path file(Path objects, ObjectId id) {
    return objects.resolve(id.name().substring(0, 2)).resolve(id.name().substring(2));
  }

  /** Every path of {@code rev}'s tree with its kind and id, and every blob's content. */
  private static Map<String, String> readAll(Path repo, String rev) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (GitRepository g = GitRepository.discover(repo)) {
      Revision at = g.resolve(rev);
      out.put("commit", at.commit());
      GitTree tree = g.tree(at);
      out.put("root", tree.id());
      List<String> dirs = new ArrayList<>(List.of(""));
      while (!dirs.isEmpty()) {
        String dir = dirs.remove(0);
        List<TreeEntry> listed = dir.isEmpty() ? tree.list("") : tree.listTree(
            tree.entry(dir).orElseThrow().id());
        assertEquals(listed, tree.list(dir), dir);
        for (TreeEntry e : listed) {
          String path = dir.isEmpty() ? e.name() : dir + "/" + e.name();
          out.put(path, e.kind() + " " + e.id());
          if (e.kind() == TreeEntry.Kind.TREE) {
            dirs.add(path);
          } else if (e.kind() != TreeEntry.Kind.SUBMODULE) {
            out.put(path + " content", new String(tree.read(e.id()), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return out;
  }

  /**
   * Merge bases of commits just made on top of others (loose, one parent each) are found without
   * JGit, and are git's: in both orders, a chain of several, a side branch, a loose merge commit
   * (JGit answers), and revisions that are equal.
   */
  @Test
  void mergeBasesThroughLooseCommitsAreGits() throws Exception {
    Path r = tmp.resolve("bases");
    Files.createDirectories(r);
    git(r, "init", "-q", "-b", "main");
    for (int i = 0; i < 3; i++) {
      Files.writeString(r.resolve("f" + i), "packed " + i + "\n");
      commit(r, "packed " + i);
    }
    git(r, "gc", "-q", "--prune=now");
    git(r, "branch", "side", "main~1");
    git(r, "checkout", "-q", "-b", "feature");
    for (int i = 0; i < 3; i++) {
      Files.writeString(r.resolve("g" + i), "loose " + i + "\n");
      commit(r, "loose " + i);
    }
    git(r, "checkout", "-q", "side");
    Files.writeString(r.resolve("s"), "side\n");
    commit(r, "side");
    git(r, "checkout", "-q", "-b", "merged", "feature");
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "merge", "-q", "--no-edit", "side");
    List<String> revs = List.of("main", "feature", "feature~1", "side", "merged", "main~2");
    try (GitRepository g = GitRepository.discover(r)) {
      for (String a : revs) {
        for (String b : revs) {
          String expected = FastRefsTest.git(r, "merge-base", a, b).strip();
          assertEquals(expected, g.mergeBase(g.resolve(a), g.resolve(b)).orElseThrow(),
              a + " " + b);
          long bases = FastRefsTest.git(r, "merge-base", "--all", a, b).strip().lines().count();
          assertEquals(bases == 1, g.oneMergeBase(g.resolve(a), g.resolve(b)), a + " " + b);
        }
      }
    }
  }

  private static void commit(Path r, String message) throws Exception {
    git(r, "add", "-A");
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(q, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed");
    }
  }
}
