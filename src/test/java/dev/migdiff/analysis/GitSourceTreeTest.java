package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.django.SourceTree;
import dev.migdiff.git.GitRepository;
import dev.migdiff.testing.MemoryCache;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listings kept between runs by root tree id, and the source roots kept by blob ids. */
class GitSourceTreeTest {
  @TempDir Path dir;

  @Test
  void aSecondRunListsFromTheStoredEntryAndAgrees() throws Exception {
    String commit;
    try (RepoBuilder b = RepoBuilder.init(dir)) {
      b.file("manage.py", "x = 1\n").file("shop/__init__.py", "")
          .file("shop/migrations/0001_initial.py", "a = 1\n")
          .file("shop/migrations/__init__.py", "").file("pyproject.toml", "[tool.x]\n");
      commit = b.commit("one");
    }
    MemoryCache store = new MemoryCache();
    try (GitRepository git = GitRepository.discover(dir)) {
      GitSourceTree first = new GitSourceTree(git.tree(git.resolve(commit)), new HashMap<>(),
          store);
      List<SourceTree.Entry> root = first.list("");
      List<SourceTree.Entry> migrations = first.list("shop/migrations");
      assertEquals(List.of("0001_initial.py", "__init__.py"),
          migrations.stream().map(SourceTree.Entry::name).sorted().toList());
      store.end();
      byte[] stored = store.values.get("listings/" + git.tree(git.resolve(commit)).id());
      assertNotNull(stored, "one entry for the revision's root tree");
      Map<String, List<SourceTree.Entry>> decoded = GitSourceTree.decode(stored);
      assertEquals(root, decoded.get(""));
      assertEquals(migrations, decoded.get("shop/migrations"));
      assertEquals(first.list("shop"), decoded.get("shop"), "walked through on the way");

      GitSourceTree second = new GitSourceTree(git.tree(git.resolve(commit)), new HashMap<>(),
          store);
      assertEquals(root, second.list(""));
      assertEquals(migrations, second.list("shop/migrations"));
      assertEquals(first.entry("shop/migrations/0001_initial.py"),
          second.entry("shop/migrations/0001_initial.py"));

      // A directory's stored listing is used only under its own tree id, and only when no other
      // tree of the run (sharing listings by tree id) has it.
      String rootId = git.tree(git.resolve(commit)).id();
      String key = "listings/" + rootId;
      List<SourceTree.Entry> fake = List.of(
          new SourceTree.Entry("0009_fake.py", SourceTree.Kind.FILE, "9".repeat(40)));
      Map<String, List<SourceTree.Entry>> forged = new java.util.TreeMap<>(decoded);
      forged.put("shop/migrations", fake);
      store.values.put(key, GitSourceTree.encode(forged, rootId));
      assertEquals(fake, new GitSourceTree(git.tree(git.resolve(commit)), new HashMap<>(), store)
          .list("shop/migrations"), "read from the store");
      Map<String, List<SourceTree.Entry>> shared = new HashMap<>();
      new GitSourceTree(git.tree(git.resolve(commit)), shared).list("shop/migrations");
      assertEquals(migrations, new GitSourceTree(git.tree(git.resolve(commit)), shared, store)
          .list("shop/migrations"), "another tree of the run had it");
      store.values.put(key, GitSourceTree.encode(forged, "7".repeat(40)));
      assertEquals(root, new GitSourceTree(git.tree(git.resolve(commit)), new HashMap<>(), store)
          .list(""), "a root listing under another id is not this tree's");
    }
  }

  @Test
  void damagedListingsAreAMiss() {
    Map<String, List<SourceTree.Entry>> one = Map.of("a", List.of(
        new SourceTree.Entry("b.py", SourceTree.Kind.FILE, "0".repeat(40))));
    byte[] good = GitSourceTree.encode(one, "f".repeat(40));
    assertEquals(one, GitSourceTree.decode(good));
    for (int cut = 0; cut < good.length; cut++) {
      assertTrue(GitSourceTree.decode(java.util.Arrays.copyOf(good, cut)).isEmpty(), "cut " + cut);
    }
    byte[] noise = good.clone();
    noise[9] = (byte) 0x7f;
    assertTrue(GitSourceTree.decode(noise).size() <= 1);
  }

  @Test
  void sourceRootsAreKeptByThePackagingFilesBlobIds() throws Exception {
    String commit;
    try (RepoBuilder b = RepoBuilder.init(dir)) {
      b.file("pyproject.toml", "[tool.setuptools.package-dir]\n\"\" = \"src\"\n")
          .file("src/pkg/__init__.py", "");
      commit = b.commit("one");
    }
    MemoryCache store = new MemoryCache();
    try (GitRepository git = GitRepository.discover(dir)) {
      GitSourceTree tree = new GitSourceTree(git.tree(git.resolve(commit)), new HashMap<>());
      List<String> plain = SourceRoots.detect(tree);
      assertEquals(List.of("src"), plain);
      assertEquals(plain, SourceRoots.detect(tree, store, new HashMap<>()));
      assertEquals(1, store.values.keySet().stream().filter(k -> k.startsWith("sourceroots/"))
          .count());
      // a later run reads the declaration back instead of parsing pyproject.toml again
      String key = store.values.keySet().iterator().next();
      store.values.put(key, "source-roots 1\nlib\nsrc/pkg\nsrc"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(List.of("src/pkg", "src"), SourceRoots.detect(tree, store, new HashMap<>()),
          "the stored declaration is used; a root that is no directory here (lib) is dropped");
      // what this class did not store (no header, a root that is no relative directory) is a
      // miss: the files are read again
      for (String bad : List.of("lib\nsrc/pkg", "source-roots 1\n../up", "source-roots 1\n/abs")) {
        store.values.put(key, bad.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(plain, SourceRoots.detect(tree, store, new HashMap<>()), bad);
      }
    }
  }
}
