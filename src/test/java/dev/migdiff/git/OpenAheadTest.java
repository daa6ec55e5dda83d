package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitRepository#openAhead}: the repository opened on another thread is the one a run then
 * discovers; a guess at another directory, or at none, changes nothing a run sees.
 */
class OpenAheadTest {
  @TempDir Path tmp;

  @Test
  void aRunGetsItsOwnRepositoryWhateverWasOpenedAhead() throws Exception {
    Path a = repo("a", "one");
    Path b = repo("b", "two");
    String headA = head(a);
    String headB = head(b);

    GitRepository.openAhead(a.resolve("sub"));
    try (GitRepository g = GitRepository.discover(a)) {
      assertEquals(headA, g.resolve("main").commit());
      assertEquals("one\n", new String(g.tree(g.resolve("main")).read(blob(a)),
          StandardCharsets.UTF_8));
    }
    GitRepository.openAhead(a); // another repository than the run's: let go
    try (GitRepository g = GitRepository.discover(b)) {
      assertEquals(headB, g.resolve("main").commit());
    }
    GitRepository.openAhead(tmp.resolve("nowhere")); // no repository there
    try (GitRepository g = GitRepository.discover(b)) {
      assertEquals(headB, g.resolve("main").commit());
    }
    GitRepository.openAhead(a);
    GitException e = assertThrows(GitException.class, () -> GitRepository.discover(tmp));
    assertEquals("not a git repository (or any of the parent directories): " + tmp,
        e.getMessage());
    try (GitRepository g = GitRepository.discover(a)) { // (the same repository: taken now)
      assertEquals(headA, g.resolve("main").commit());
    }
  }

  @Test
  void aRunThatLooksWarmOpensJgitWhereItFirstNeedsIt() throws Exception {
    Path a = repo("warm", "three");
    // every peeled id "kept": nothing is opened ahead, and the run still reads what it needs
    GitRepository.openAhead(a, java.util.List.of("main", "HEAD"), (kind, id) -> true);
    try (GitRepository g = GitRepository.discover(a)) {
      assertEquals(head(a), g.resolve("main").commit());
      assertEquals("three\n", new String(g.tree(g.resolve("main")).read(blob(a)),
          StandardCharsets.UTF_8));
    }
  }

  @Test
  void aRunLooksWarmWhenEveryRevisionsPeeledIdIsKept() throws Exception {
    Path a = repo("guess", "four");
    FastRefsTest.git(a, "tag", "-a", "-m", "t", "v1");
    String tag = FastRefsTest.git(a, "rev-parse", "v1").trim();
    String main = head(a);
    java.util.List<String> asked = new java.util.ArrayList<>();
    java.util.function.BiPredicate<String, String> all = (kind, id) -> {
      asked.add(kind + " " + id);
      return true;
    };
    java.io.File dir = a.resolve("sub").toFile();
    assertEquals(true, GitRepository.looksWarm(dir, java.util.List.of("main", "v1", "HEAD", main),
        all));
    assertEquals(java.util.List.of("peeled " + main, "peeled " + tag, "peeled " + main,
        "peeled " + main), asked);
    assertEquals(false, GitRepository.looksWarm(dir, java.util.List.of("main", "v1"),
        (kind, id) -> id.equals(main)));
    assertEquals(false, GitRepository.looksWarm(dir, java.util.List.of("main~1"), all));
    assertEquals(false, GitRepository.looksWarm(dir, java.util.List.of("nosuchref"), all));
    assertEquals(false, GitRepository.looksWarm(tmp.resolve("nowhere").toFile(),
        java.util.List.of("main"), all));
  }

  /**
   * Commits just made on top of a kept revision (loose) look warm too: they are read without
   * JGit (the trees and blobs they add are loose as well), so opening it ahead would only compete
   * with the run. Not when no revision of the run is kept, nor once git packed the new commits.
   */
  @Test
  void commitsJustMadeOnTopOfAKeptRevisionLookWarm() throws Exception {
    Path a = repo("ontop", "five");
    String main = head(a);
    FastRefsTest.git(a, "checkout", "-q", "-b", "feature");
    for (String c : java.util.List.of("six", "seven")) {
      Files.writeString(a.resolve("sub/f"), c + "\n");
      FastRefsTest.git(a, "commit", "-q", "-am", c);
    }
    java.io.File dir = a.toFile();
    java.util.function.BiPredicate<String, String> onlyMain = (kind, id) -> id.equals(main);
    assertEquals(true, GitRepository.looksWarm(dir, java.util.List.of("main", "feature"),
        onlyMain));
    String previous = FastRefsTest.git(a, "rev-parse", "feature~1").trim();
    assertEquals(true, GitRepository.looksWarm(dir, java.util.List.of(previous, "main"),
        onlyMain));
    // no revision of the run kept: a first run, JGit is opened ahead
    assertEquals(false, GitRepository.looksWarm(dir, java.util.List.of("feature"), onlyMain));
    assertEquals(false, GitRepository.looksWarm(dir, java.util.List.of("main", "feature"),
        (kind, id) -> false));
    FastRefsTest.git(a, "gc", "-q");
    assertEquals(false, GitRepository.looksWarm(dir, java.util.List.of("main", "feature"),
        onlyMain));
  }

  private Path repo(String name, String content) throws Exception {
    Path r = tmp.resolve(name);
    Files.createDirectories(r.resolve("sub"));
    FastRefsTest.git(r, "init", "-q", "-b", "main");
    Files.writeString(r.resolve("sub/f"), content + "\n");
    FastRefsTest.git(r, "add", "sub/f");
    FastRefsTest.git(r, "commit", "-q", "-m", "c");
    FastRefsTest.git(r, "gc", "-q"); // packed: its index is what is read ahead
    return r;
  }

  private static String head(Path r) throws Exception {
    return FastRefsTest.git(r, "rev-parse", "main").trim();
  }

  private static String blob(Path r) throws Exception {
    return FastRefsTest.git(r, "rev-parse", "main:sub/f").trim();
  }
}
