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
  void aBranchStoresOnlyTheListingsItDoesNotShareWithARevisionOfItsRun() throws Exception {
    String a;
    String b;
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      r.file("manage.py", "x = 1\n");
      for (String app : List.of("shop", "blog", "news", "cart", "auth2", "pay", "ship", "tax",
          "mail", "cms")) {
        r.file(app + "/__init__.py", "").file(app + "/migrations/__init__.py", "");
        for (int i = 1; i <= 20; i++) {
          r.file(app + "/migrations/" + String.format("%04d_m.py", i), app + i + "\n");
        }
      }
      a = r.commit("a");
      b = r.file("blog/migrations/0003_m.py", "changed\n").commit("b");
    }
    MemoryCache store = new MemoryCache();
    try (GitRepository git = GitRepository.discover(dir)) {
      dev.migdiff.git.GitTree ta = git.tree(git.resolve(a));
      dev.migdiff.git.GitTree tb = git.tree(git.resolve(b));
      Map<String, List<SourceTree.Entry>> fromGit = listAll(new GitSourceTree(tb, new HashMap<>()));
      // one run reads A, then B
      GitSourceTree.Bases bases = new GitSourceTree.Bases();
      Map<String, List<SourceTree.Entry>> shared = new HashMap<>();
      listAll(new GitSourceTree(ta, shared, store, bases));
      listAll(new GitSourceTree(tb, shared, store, bases));
      store.end();
      byte[] full = store.values.get("listings/" + ta.id());
      byte[] delta = store.values.get("listings/" + tb.id());
      assertEquals("", GitSourceTree.index(full).base());
      assertEquals(ta.id(), GitSourceTree.index(delta).base(), "B's entry takes A's listings");
      // B holds only the listings whose tree ids changed: the root, blog, blog/migrations
      assertEquals(java.util.Set.of("", "blog", "blog/migrations"),
          GitSourceTree.decode(delta).keySet());
      assertTrue(delta.length * 4 < full.length, delta.length + " vs " + full.length);

      // a later run that reads B alone lists it from the two entries, as Git does
      Map<String, List<SourceTree.Entry>> again =
          listAll(new GitSourceTree(tb, new HashMap<>(), store, new GitSourceTree.Bases()));
      assertEquals(fromGit, again);
      assertEquals(fromGit.keySet(), new GitSourceTree(tb, new HashMap<>(), store)
          .storedPaths(), "every listing from the store");

      // A's entry gone, or damaged, or itself taking listings from another: B's is no entry
      // (listed from Git again, and written again at the end of that run)
      for (byte[] baseEntry : new byte[][] {null, java.util.Arrays.copyOf(full, full.length / 2),
          GitSourceTree.encode(Map.of("", List.of()), ta.id(), "1".repeat(40),
              java.util.Set.of())}) {
        MemoryCache other = new MemoryCache();
        other.values.put("listings/" + tb.id(), delta);
        if (baseEntry != null) {
          other.values.put("listings/" + ta.id(), baseEntry);
        }
        GitSourceTree read =
            new GitSourceTree(tb, new HashMap<>(), other, new GitSourceTree.Bases());
        assertTrue(read.storedPaths().isEmpty());
        assertEquals(fromGit, listAll(read));
        other.end();
        assertEquals("", GitSourceTree.index(other.values.get("listings/" + tb.id())).base(),
            "written again, whole");
        assertEquals(fromGit, listAll(new GitSourceTree(tb, new HashMap<>(), other)));
      }
      // A's entry rewritten later with other listings: B still takes only what A holds under
      // the same tree ids
      Map<String, List<SourceTree.Entry>> grown =
          new java.util.TreeMap<>(GitSourceTree.decode(full));
      grown.put("blog/migrations", List.of(new SourceTree.Entry("0009_fake.py",
          SourceTree.Kind.FILE, "9".repeat(40))));
      MemoryCache later = new MemoryCache();
      later.values.put("listings/" + tb.id(), delta);
      later.values.put("listings/" + ta.id(), GitSourceTree.encode(grown, ta.id()));
      assertEquals(fromGit, listAll(new GitSourceTree(tb, new HashMap<>(), later)));
    }
  }

  /** Every directory of {@code tree}, listed by walking it from the root. */
  private static Map<String, List<SourceTree.Entry>> listAll(GitSourceTree tree)
      throws java.io.IOException {
    Map<String, List<SourceTree.Entry>> out = new java.util.TreeMap<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(""));
    while (!todo.isEmpty()) {
      String d = todo.pop();
      List<SourceTree.Entry> l = tree.list(d);
      out.put(d, List.copyOf(l));
      for (SourceTree.Entry e : l) {
        if (e.kind() == SourceTree.Kind.DIR) {
          todo.push(SourceTree.join(d, e.name()));
        }
      }
    }
    return out;
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
