package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link FastArgs} against picocli, the reference: every command line the fast path takes must
 * be one picocli accepts for the same subcommand, with the same value in every field of the
 * command, its option groups and its parent; every line picocli refuses (or answers with help)
 * must be left to picocli. Checked on the everyday spellings and on 30,000 random lines over a
 * vocabulary of positionals, options, values and traps.
 */
class FastArgsTest {
  private static final Map<String, String> ENV = Map.of("HOME", "/nonexistent");

  @Test
  void everydaySpellingsAreTakenAndReadAsPicocliReadsThem() {
    String[][] taken = {
        {"main", "feature"},
        {"diff", "main", "feature"},
        {"-C", "repo", "main", "feature"},
        {"-C", "repo", "diff", "main", "feature", "--format", "json", "--no-database"},
        {"main", "feature", "--format=markdown", "--no-cache", "--color", "never"},
        {"origin/main", "HEAD", "--format", "gitlab-codequality", "-C", "sub", "--stacktrace"},
        {"main", "diff"},
        {"diff", "diff", "main"},
        {"graph"},
        {"graph", "main"},
        {"-C", "repo", "graph", "HEAD~3", "--format", "mermaid", "--no-cache"},
        {"graph", "--format=dot", "--color=always", "v1.0"},
    };
    for (String[] args : taken) {
      assertTrue(fastState(args) != null, () -> "not taken: " + List.of(args));
      assertSameAsPicocli(args);
    }
  }

  @Test
  void everythingElseIsLeftToPicocli() {
    String[][] left = {
        {},
        {"main"},
        {"main", "feature", "third"},
        {"--format", "json", "main", "feature"}, // an option first: picocli places it
        {"main", "feature", "--format", "JSON"}, // upper case: picocli's converter decides
        {"main", "feature", "--format", "dot"},
        {"main", "feature", "--format"},
        {"main", "feature", "--format=json", "--format=json"},
        {"main", "feature", "--no-database", "--no-database"},
        {"main", "feature", "--no-cache=true"},
        {"main", "feature", "--database", "sqlite:///db"},
        {"main", "feature", "--fail-on", "unapply"},
        {"main", "feature", "--other-head", "x=y"},
        {"main", "feature", "--help"},
        {"main", "feature", "-h"},
        {"main", "feature", "--"},
        {"main", "@args"},
        {"", "feature"},
        {"main", "-feature"},
        {"-C", "a", "-C", "b", "main", "feature"},
        {"main", "feature", "-C", "a", "-C", "b"},
        {"main", "feature", "-Crepo"},
        {"-C", "-x", "main", "feature"},
        {"status", "main"},
        {"help", "diff"},
        {"graph", "a", "b"},
        {"graph", "--no-database"},
        {"graph", "--format", "json", "--format", "json"},
        {"hook", "post-checkout", "a", "b", "1"},
        {"-V"},
        {"--version"},
    };
    for (String[] args : left) {
      assertNull(fastState(args), () -> "taken: " + List.of(args));
    }
  }

  @Test
  void randomLinesAgreeWithPicocli() {
    String[] words = {"-C", "repo", "diff", "graph", "main", "feature", "HEAD~1", "a=b",
        "--format", "json", "text", "dot", "markdown", "github", "mermaid", "JSON",
        "--format=json", "--format=mermaid", "--format=", "--no-database", "--no-cache",
        "--color", "never", "auto", "--color=always", "--stacktrace", "--stacktrace=true",
        "--help", "-h", "-V", "--", "@file", "", "-x", "--database", "sqlite:///x",
        "--fail-on", "unapply", "status", "help", "-Cdir", "--no-cache=false", "radar"};
    Random random = new Random(20261202);
    int taken = 0;
    for (int n = 0; n < 30_000; n++) {
      String[] args = new String[random.nextInt(8)];
      for (int i = 0; i < args.length; i++) {
        // positionals more often than the rest, so that whole lines are often valid
        args[i] = random.nextInt(3) == 0 ? (random.nextBoolean() ? "main" : "feature")
            : words[random.nextInt(words.length)];
      }
      if (fastState(args) != null) {
        taken++;
        assertSameAsPicocli(args);
      }
    }
    // (the check above means something only if many lines were taken)
    assertTrue(taken > 1_000, "lines taken: " + taken);
  }

  /** The fields of the command the fast path makes for {@code args}, or null when it declines. */
  private static Map<String, String> fastState(String[] args) {
    DiffCommand diff = DiffCommand.fast(args, ENV);
    GraphCommand graph = GraphCommand.fast(args, ENV);
    if (diff != null && graph != null) {
      fail("both commands take " + List.of(args));
    }
    Object command = diff != null ? diff : graph;
    return command == null ? null : state(command);
  }

  private static void assertSameAsPicocli(String[] args) {
    CommandLine cli = Main.commandLine(args, ENV);
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(Main.withDefaultSubcommand(args));
    } catch (CommandLine.ParameterException e) {
      fail("the fast path takes what picocli refuses: " + List.of(args) + ": " + e.getMessage());
      return;
    }
    assertTrue(parsed.hasSubcommand(), () -> "no subcommand for " + List.of(args));
    CommandLine.ParseResult sub = parsed.subcommand();
    assertTrue(!parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()
        && !sub.isUsageHelpRequested() && !sub.isVersionHelpRequested(),
        () -> "help asked for: " + List.of(args));
    Object command = sub.commandSpec().userObject();
    assertNotNull(command);
    assertEquals(state(command), fastState(args), () -> "read differently: " + List.of(args));
  }

  /**
   * Every field of {@code command}: its own, its option groups' (recursively) and its parent's
   * {@code -C}. picocli's spec is left out (the fast path has none).
   */
  private static Map<String, String> state(Object command) {
    Map<String, String> out = new TreeMap<>();
    out.put("command", command.getClass().getSimpleName());
    dump("", command, out);
    return out;
  }

  private static void dump(String prefix, Object o, Map<String, String> out) {
    for (Field f : o.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()
          || f.getType() == CommandLine.Model.CommandSpec.class) {
        continue;
      }
      f.setAccessible(true);
      Object value;
      try {
        value = f.get(o);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
      String name = prefix + f.getName();
      if (value instanceof RepoOptions || value instanceof DatabaseOptions
          || value instanceof OutputOptions) {
        dump(name + ".", value, out);
      } else if (value instanceof MigdiffCommand top) {
        out.put(name + ".directory", String.valueOf(top.directory));
        out.put(name + ".env", String.valueOf(top.env));
      } else {
        out.put(name, value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
      }
    }
  }

  @Test
  void theStateDumpSeesEveryOptionGroup() {
    // (a dump that missed the groups would compare nothing of them)
    Map<String, String> s = fastState(new String[] {"main", "feature", "--no-cache",
        "--no-database", "--color", "never", "-C", "x"});
    assertEquals("Boolean:true", s.get("repo.noCache"));
    assertEquals("Boolean:true", s.get("database.none"));
    assertEquals("ColorMode:NEVER", s.get("output.color"));
    assertEquals("UnixPath:x", s.get("repo.directory"));
    List<String> groups = new ArrayList<>();
    s.keySet().forEach(k -> groups.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : ""));
    assertTrue(groups.containsAll(List.of("repo", "database", "output", "parent")), s::toString);
  }
}
