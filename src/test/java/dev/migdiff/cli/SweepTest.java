package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden {@code migdiff sweep} (scripts/sweep) on a history with two merge commits. */
class SweepTest {
  @TempDir Path tmp;

  @Test
  void replaysEveryMergeAndCountsConflictsAndFindings() throws Exception {
    Path repo = tmp.resolve("repo");
    try (RepoBuilder r = RepoBuilder.init(repo)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0002_feature.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("feature");
      r.checkout("main");
      r.file("blog/migrations/0002_main.py", migration("(\"blog\", \"0099_missing\")"));
      r.commit("main");
    }
    BadInputCases.git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path details = tmp.resolve("details.tsv");
    int code = Main.run(new String[] {"-C", repo.toString(), "sweep", "--details", details.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    assertTrue(text.contains("| cases | 1 | 1 |"), text);
    assertTrue(text.contains("| internal errors | 0 | 0 |"), text);
    assertTrue(text.contains("| with divergent leaves | 1 | 1 |"), text);
    assertTrue(text.contains("| `dangling-dependency` | 1 (1) | 1 (1) |"), text);
    String tsv = Files.readString(details);
    assertTrue(tsv.contains("divergent-leaves\t\tblog: 0002_feature, 0002_main"), tsv);
  }
}
