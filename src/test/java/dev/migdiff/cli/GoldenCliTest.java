package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI snapshot tests: each case runs {@code Main.run} on a scenario repository built in code and
 * compares exit code, stdout and stderr with {@code src/test/resources/golden/NAME.txt}.
 * {@code -Dmigdiff.updateGoldens=true} rewrites the files for review; orphan files fail.
 */
class GoldenCliTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final boolean UPDATE = Boolean.getBoolean("migdiff.updateGoldens");

  @TempDir static Path tmp;

  private static final Map<String, Path> BUILT = new HashMap<>();

  @TestFactory
  Stream<DynamicTest> goldens() {
    return CliCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  @Test
  void noOrphanGoldenFiles() throws IOException {
    Set<String> names = new TreeSet<>();
    CliCases.all().forEach(c -> names.add(c.name() + ".txt"));
    List<String> orphans = new ArrayList<>();
    try (Stream<Path> files = Files.list(GOLDEN)) {
      files.map(p -> p.getFileName().toString()).filter(n -> !names.contains(n))
          .forEach(orphans::add);
    }
    assertTrue(orphans.isEmpty(), "golden files without a case: " + orphans);
  }

  @Test
  void shellCompletionCoversTheCommands() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"generate-completion"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    String script = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code);
    assertTrue(script.contains("complete -F _complete_migdiff -o default migdiff"), "bash completion");
    for (String cmd : List.of("graph", "diff", "hook")) {
      assertTrue(script.contains("function _picocli_migdiff_" + cmd + "()"), cmd);
    }
    assertTrue(script.contains("--format") && script.contains("--fail-on"), "options");
  }

  /**
   * Issue 12, item 5: a merged tree with a cycle (and a dangling dependency on one side) is
   * answered within the time bound instead of walking forever.
   */
  @Test
  void mergedTreeWithACycleAnswersWithinTheBound() {
    for (CliCases.Case c : CliCases.all()) {
      if (c.name().startsWith("diff-merged-dangling-cycle")) {
        repo(c); // building the repository is not what is timed
        dev.migdiff.testing.Bounded.run(() -> check(c));
      }
    }
  }

  private static synchronized Path repo(CliCases.Case c) {
    return BUILT.computeIfAbsent(c.scenario().name(), n -> {
      Path dir = tmp.resolve(n);
      c.scenario().build().accept(dir);
      return dir;
    });
  }

  private static void check(CliCases.Case c) throws IOException {
    Path repo = repo(c);
    String actual = run(repo, c.args());
    Path file = GOLDEN.resolve(c.name() + ".txt");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual);
      return;
    }
    assertTrue(Files.exists(file), "missing golden file " + file
        + " (run with -Dmigdiff.updateGoldens=true)");
    assertEquals(Files.readString(file), actual, "golden " + file);
  }

  /** Runs the CLI in {@code repo} and renders the result as a golden file's text. */
  static String run(Path repo, List<String> args) {
    // A fixed, empty environment: no DATABASE_URL or MIGDIFF_* of the machine running the tests
    // (and no HOME, so no cache).
    return run(repo, args, java.util.Map.of());
  }

  /** As {@link #run(Path, List)}, with {@code env} as the environment. */
  static String run(Path repo, List<String> args, Map<String, String> env) {
    List<String> full = commandLine(repo, args);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(full.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    String o = machineFree(out.toString(StandardCharsets.UTF_8).replace(repo.toString(), "<repo>"));
    String e = machineFree(err.toString(StandardCharsets.UTF_8).replace(repo.toString(), "<repo>"));
    return "$ migdiff " + String.join(" ", args) + "\nexit: " + code + "\n--- stdout\n" + o
        + "--- stderr\n" + e;
  }

  /** A case's arguments for {@code repo}: {@code <repo>} replaced, {@code -C repo} unless told not. */
  static List<String> commandLine(Path repo, List<String> args) {
    List<String> full = new ArrayList<>();
    for (String a : args) {
      full.add(a.replace("<repo>", repo.toString()));
    }
    if (!args.contains("-C") && !args.contains("<no-C>")) {
      full.add(0, repo.toString());
      full.add(0, "-C");
    }
    full.remove("<no-C>");
    return full;
  }

  /** The repository of {@code c}'s scenario under {@code dir}, built once per scenario name. */
  static Path built(Map<String, Path> built, Path dir, CliCases.Case c) {
    return built.computeIfAbsent(c.scenario().name(), n -> {
      Path repo = dir.resolve(n);
      c.scenario().build().accept(repo);
      return repo;
    });
  }

  /** The Java runtime and home directory of this machine ('--version', 'doctor') as placeholders. */
  static String machineFree(String text) {
    return text.replace(System.getProperty("java.home"), "<java.home>")
        .replace(System.getProperty("java.runtime.version"), "<java.version>")
        .replace(System.getProperty("java.vm.name"), "<java.vm>")
        .replace(System.getProperty("user.home") + "/", "<user.home>/");
  }
}
