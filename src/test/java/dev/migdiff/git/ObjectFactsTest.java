package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ObjectFacts}: what a repository learns of its objects (a ref's peeled commit, a commit's
 * tree, a merge base) is kept, and answered again without reading any object (the objects are
 * deleted between the two runs, so an answer that needed one would fail); a shallow clone keeps
 * and asks no merge base; a kept value that is no object id is not taken.
 */
class ObjectFactsTest {
  @TempDir Path tmp;

  /** Facts in a map, as "kind/key" -> value. */
  static final class MapFacts implements ObjectFacts {
    final Map<String, String> kept = new TreeMap<>();

    @Override
    public String get(String kind, String key) {
      return kept.get(kind + "/" + key);
    }

    @Override
    public void put(String kind, String key, String value) {
      kept.put(kind + "/" + key, value);
    }

    long count(String kind) {
      return kept.keySet().stream().filter(k -> k.startsWith(kind + "/")).count();
    }
  }

  @Test
  void factsAreAnsweredWithoutReadingAnyObject() throws Exception {
    Path r = history();
    MapFacts facts = new MapFacts();
    String tagged;
    String tree;
    Optional<String> base;
    Optional<String> unrelated;
    try (GitRepository g = GitRepository.discover(r)) {
      g.rememberIn(facts);
      tagged = g.resolve("v1").commit();
      tree = g.tree(g.resolve("main")).id();
      base = g.mergeBase(g.resolve("main"), g.resolve("feature"));
      unrelated = g.mergeBase(g.resolve("main"), g.resolve("orphan"));
    }
    assertEquals(git(r, "rev-parse", "v1^{commit}"), tagged);
    assertEquals(git(r, "rev-parse", "main^{tree}"), tree);
    assertEquals(Optional.of(git(r, "merge-base", "main", "feature")), base);
    assertEquals(Optional.empty(), unrelated);
    assertEquals(1, facts.count(GitRepository.TREES));
    assertEquals(2, facts.count(GitRepository.BASES));
    assertTrue(facts.kept.containsValue(GitRepository.NONE), "no merge base is a fact too");
    assertEquals(tagged, facts.get(GitRepository.PEELED, git(r, "rev-parse", "v1")));

    deleteObjects(r);
    try (GitRepository g = GitRepository.discover(r)) { // the objects are gone: it cannot read
      assertThrows(GitException.class, () -> g.tree(g.resolve("main")));
    }
    try (GitRepository g = GitRepository.discover(r)) {
      g.rememberIn(facts);
      assertEquals(tagged, g.resolve("v1").commit());
      assertEquals(tree, g.tree(g.resolve("main")).id());
      assertEquals(base, g.mergeBase(g.resolve("main"), g.resolve("feature")));
      assertEquals(unrelated, g.mergeBase(g.resolve("main"), g.resolve("orphan")));
    }
  }

  @Test
  void aShallowCloneKeepsAndAsksNoMergeBase() throws Exception {
    Path r = history();
    String main = git(r, "rev-parse", "main");
    String feature = git(r, "rev-parse", "feature");
    String truth = git(r, "merge-base", "main", "feature");
    Files.writeString(r.resolve(".git/shallow"), git(r, "rev-parse", "main~2") + "\n");
    MapFacts facts = new MapFacts();
    facts.put(GitRepository.BASES, main + feature, feature); // a kept answer that is not asked
    try (GitRepository g = GitRepository.discover(r)) {
      g.rememberIn(facts);
      assertEquals(Optional.of(truth), g.mergeBase(g.resolve("main"), g.resolve("feature")));
    }
    assertEquals(1, facts.count(GitRepository.BASES));
    assertEquals(feature, facts.get(GitRepository.BASES, main + feature));
  }

  @Test
  void aKeptValueThatIsNoObjectIdIsNotTaken() throws Exception {
    Path r = history();
    String main = git(r, "rev-parse", "main");
    for (String wrong : new String[] {"", "nonsense", "ABCDEF" + "0".repeat(34), "0".repeat(39),
        "g".repeat(40), "none "}) {
      MapFacts facts = new MapFacts();
      facts.put(GitRepository.TREES, main, wrong);
      facts.put(GitRepository.PEELED, main, wrong);
      try (GitRepository g = GitRepository.discover(r)) {
        g.rememberIn(facts);
        assertEquals(main, g.resolve("main").commit(), wrong);
        assertEquals(git(r, "rev-parse", "main^{tree}"), g.tree(g.resolve("main")).id(), wrong);
      }
      assertNotEquals(wrong, facts.get(GitRepository.TREES, main), "read and kept again");
    }
  }

  @Test
  void aStoreThatFailsIsAStoreThatDoesNotKnow() throws Exception {
    Path r = history();
    try (GitRepository g = GitRepository.discover(r)) {
      g.rememberIn(new ObjectFacts() {
        @Override
        public String get(String kind, String key) {
          throw new IllegalStateException("broken");
        }

        @Override
        public void put(String kind, String key, String value) {}
      });
      assertEquals(git(r, "rev-parse", "main^{tree}"), g.tree(g.resolve("main")).id());
      assertFalse(g.mergeBase(g.resolve("main"), g.resolve("feature")).isEmpty());
    }
  }

  /** main (3 commits, tag v1 annotated), feature (from main~1), orphan (unrelated). */
  private Path history() throws Exception {
    Path r = tmp.resolve("repo");
    Files.createDirectories(r);
    git(r, "init", "-q", "-b", "main");
    for (int i = 1; i <= 3; i++) {
      Files.writeString(r.resolve("f"), "main " + i + "\n");
      git(r, "add", "f");
      git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "main " + i);
      if (i == 2) {
        git(r, "branch", "feature");
      }
    }
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", "-m", "v1", "v1");
    git(r, "checkout", "-q", "feature");
    Files.writeString(r.resolve("g"), "feature\n");
    git(r, "add", "g");
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "feature");
    git(r, "checkout", "-q", "--orphan", "orphan");
    git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "orphan");
    git(r, "checkout", "-q", "main");
    git(r, "gc", "-q");
    return r;
  }

  private static void deleteObjects(Path r) throws Exception {
    Path objects = r.resolve(".git/objects");
    try (Stream<Path> all = Files.walk(objects)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (Files.isRegularFile(p)) {
          Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions
              .fromString("rw-------"));
          Files.delete(p);
        }
      }
    }
  }

  private static String git(Path r, String... args) throws Exception {
    return FastRefsTest.git(r, args).trim();
  }
}
