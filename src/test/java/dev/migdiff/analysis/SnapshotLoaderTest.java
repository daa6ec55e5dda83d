package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.Migration;
import dev.migdiff.git.GitRepository;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revisions read by one loader share what they read, and never lose a migration doing so. */
class SnapshotLoaderTest {
  @TempDir Path tmp;

  /** One blob at two paths: read once for the first revision, once more for the second path. */
  @Test
  void aBlobAlreadyReadAtOnePathIsStillReadAtAnother() throws Exception {
    String same = Django.migration("");
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      Django.project(r, List.of("a", "b"), "");
      r.file("a/migrations/0001_initial.py", same);
      r.commit("one");
      r.tag("one");
      r.file("b/migrations/0001_initial.py", same);
      r.commit("two");
    }
    try (GitRepository git = GitRepository.discover(tmp)) {
      SnapshotLoader loader = new SnapshotLoader(git, MigdiffConfig.EMPTY);
      assertEquals(List.of("a.0001_initial"), names(loader.load("one")));
      assertEquals(List.of("a.0001_initial", "b.0001_initial"), names(loader.load("HEAD")));
    }
  }

  private static List<String> names(Snapshot s) {
    return s.project().migrations().stream().map(Migration::key).map(Object::toString).sorted()
        .toList();
  }
}
