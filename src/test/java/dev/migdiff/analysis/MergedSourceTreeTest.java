package dev.migdiff.analysis;

import static dev.migdiff.testing.Django.migration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.Problem;
import dev.migdiff.git.GitRepository;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files changed on both sides merge line by line, as git merges them. Found by the saleor sweep:
 * settings.py changed on both sides kept FROM's version, so an app added by TO was missing "after
 * the merge" and its dependants dangled.
 */
class MergedSourceTreeTest {
  @TempDir Path tmp;

  @Test
  void settingsAndMigrationsChangedOnBothSidesMergeLineByLine() throws Exception {
    String settings = Django.settings(List.of("blog"), "\n".repeat(10) + "DEBUG = False\n");
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      Django.project(r, List.of("blog", "shop"), "");
      r.file("mysite/settings.py", settings);
      r.file("blog/migrations/0001_initial.py", migration("") + "\n".repeat(10) + "# end\n");
      r.commit("base");
      r.branch("feature");
      r.file("mysite/settings.py", settings.replace("\"blog\",\n", "\"blog\",\n    \"shop\",\n"));
      r.file("shop/migrations/0001_initial.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0001_initial.py", migration("") + "\n".repeat(10) + "# feature\n");
      r.commit("feature installs shop");
      r.checkout("main");
      r.file("mysite/settings.py", settings.replace("DEBUG = False", "DEBUG = True"));
      r.file("blog/migrations/0001_initial.py",
          "# main\n" + migration("") + "\n".repeat(10) + "# end\n");
      r.commit("main changes DEBUG");
    }
    try (GitRepository git = GitRepository.discover(tmp)) {
      CompareReport report = new Comparison(git, MigdiffConfig.EMPTY).compare("main", "feature");
      assertEquals(List.of(), report.problems().stream().map(Problem::toString).toList());
      assertEquals(List.of("blog", "shop"),
          report.apps().stream().map(CompareReport.AppDiff::app).toList());
    }
  }
}
