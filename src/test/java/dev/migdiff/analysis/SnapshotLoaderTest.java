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

  /**
   * A migrations directory unchanged between two revisions whose settings give the setting its
   * reading consulted another value: the second revision reads it again with its own value (the
   * run shares an app's readings only where those settings are the same).
   */
  @Test
  void anUnchangedDirectoryIsReadAgainWhereAConsultedSettingDiffers() throws Exception {
    String swappable = Django.migration("migrations.swappable_dependency(settings.AUTH_USER_MODEL)")
        .replace("from django.db import", "from django.conf import settings\nfrom django.db import");
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      Django.project(r, List.of("a", "accounts", "people"), "AUTH_USER_MODEL = 'accounts.User'\n");
      r.file("a/migrations/0001_initial.py", swappable);
      r.file("accounts/migrations/0001_initial.py", Django.migration(""));
      r.file("people/migrations/0001_initial.py", Django.migration(""));
      r.commit("one");
      r.tag("one");
      Django.project(r, List.of("a", "accounts", "people"), "AUTH_USER_MODEL = 'people.Person'\n");
      r.commit("two");
      r.tag("two");
    }
    try (GitRepository git = GitRepository.discover(tmp)) {
      SnapshotLoader shared = new SnapshotLoader(git, MigdiffConfig.EMPTY);
      assertEquals("accounts.__first__", dependencyOfA(shared.load("one")));
      assertEquals("people.__first__", dependencyOfA(shared.load("two")));
      assertEquals("accounts.__first__", dependencyOfA(shared.load("one")));
      assertEquals("people.__first__",
          dependencyOfA(new SnapshotLoader(git, MigdiffConfig.EMPTY).load("two")));
    }
  }

  private static String dependencyOfA(Snapshot s) {
    return s.project().migrations().stream().filter(m -> m.key().app().equals("a")).findFirst()
        .orElseThrow().dependencies().get(0).key().toString();
  }

  private static List<String> names(Snapshot s) {
    return s.project().migrations().stream().map(Migration::key).map(Object::toString).sorted()
        .toList();
  }
}
