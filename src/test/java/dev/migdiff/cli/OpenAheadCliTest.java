package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import dev.migdiff.testing.MainProcess;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday commands in a process of their own ({@code Main.main}, as the launcher runs them):
 * the repository is found and opened, and its pack indexes read, on another thread while the
 * command starts, and a warm run reads no Git object. Each case prints its golden file exactly,
 * with the cache cold and warm; a repository that JGit finds but cannot open is reported as in a
 * run that opens it itself, even when the cache holds every answer.
 */
class OpenAheadCliTest {
  @TempDir static Path tmp;

  private static final Map<String, Path> BUILT = new HashMap<>();

  @TestFactory
  Stream<DynamicTest> goldensInAProcessOfTheirOwn() {
    List<String> names = List.of("fork-text", "fork-json", "linear-json", "error-unknown-ref",
        "error-bad-format", "diff-fork-text", "diff-fork-json", "diff-unrelated",
        "diff-unrelated-bad-config", "diff-shallow", "pyproject-config", "broken-files");
    List<CliCases.Case> cases = CliCases.all().stream().filter(c -> names.contains(c.name()))
        .toList();
    assertEquals(names.size(), cases.size(), "every named case exists");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path repo = GoldenCliTest.built(BUILT, tmp, c);
      String golden = Files.readString(GoldenCliTest.GOLDEN.resolve(c.name() + ".txt"));
      Path cache = Files.createTempDirectory(tmp, "cache-" + c.name());
      Map<String, String> env = Map.of("MIGDIFF_CACHE_DIR", cache.toString());
      assertEquals(golden, main(repo, c.args(), env), "cold " + c.name());
      assertEquals(golden, main(repo, c.args(), env), "warm " + c.name());
      // A wrong guess: the revisions' peeled ids are kept, so the run looks warm and JGit is
      // not opened ahead, but nothing else is: the run opens it where it first reads an object.
      Path kept = onlyChild(cache);
      if (kept == null) {
        return; // (a run that fails early keeps nothing)
      }
      try (Stream<Path> kinds = Files.list(kept)) {
        for (Path kind : kinds.filter(k -> !k.getFileName().toString().equals("peeled"))
            .toList()) {
          deleteTree(kind);
        }
      }
      assertEquals(golden, main(repo, c.args(), env), "looks warm, is cold " + c.name());
    }));
  }

  /** The cache's one versioned directory under its base; null when nothing was kept. */
  private static Path onlyChild(Path base) throws java.io.IOException {
    try (Stream<Path> s = Files.list(base)) {
      List<Path> all = s.toList();
      assertTrue(all.size() <= 1, all.toString());
      return all.isEmpty() ? null : all.get(0);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aRepositoryFoundButNotOpenedIsReportedAsBefore() throws Exception {
    CliCases.Case c = CliCases.all().stream().filter(k -> k.name().equals("diff-fork-text"))
        .findFirst().orElseThrow();
    Path repo = tmp.resolve("unknown-format");
    c.scenario().build().accept(repo);
    Map<String, String> env = Map.of("MIGDIFF_CACHE_DIR", tmp.resolve("cache-format").toString());
    List<List<String>> lines = List.of(c.args(), List.of("graph"), List.of("graph", "--format",
        "json"));
    for (List<String> args : lines) { // the cache warm: the runs below need nothing of JGit's
      String warm = main(repo, args, env);
      assertTrue(warm.contains("exit: 0\n") || warm.contains("exit: 1\n"), warm);
    }
    Path config = repo.resolve(".git/config");
    Files.writeString(config, Files.readString(config)
        .replaceFirst("repositoryformatversion = 0", "repositoryformatversion = 2"));
    for (List<String> args : lines) {
      String inProcess = GoldenCliTest.run(repo, args, env); // (waits for the repository)
      assertTrue(inProcess.contains("migdiff: error: cannot open repository at "), inProcess);
      assertEquals(inProcess, main(repo, args, env), String.join(" ", args));
    }
  }

  /** {@code Main.main} in a new JVM, its transcript as {@link GoldenCliTest#run} writes it. */
  static String main(Path repo, List<String> args, Map<String, String> env) throws Exception {
    List<String> full = GoldenCliTest.commandLine(repo, args);
    Map<String, String> withEnv = new HashMap<>(env);
    withEnv.put("MIGDIFF_DAEMON", "off");
    MainProcess.Result r = MainProcess.run(null, withEnv, full);
    return "$ migdiff " + String.join(" ", args) + "\nexit: " + r.exitCode() + "\n--- stdout\n"
        + GoldenCliTest.machineFree(r.out().replace(repo.toString(), "<repo>")) + "--- stderr\n"
        + GoldenCliTest.machineFree(r.err().replace(repo.toString(), "<repo>"));
  }
}
