package dev.migdiff.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the house standing: each package imports only what the architecture table (docs/architecture.md)
 * allows, so the dependency graph stays one-way and libraries stay in their package.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/migdiff");
  private static final Pattern IMPORT = Pattern.compile(
      "^import (?:static )?([\\w.]+)\\.[\\w*]+;|(?<![\\w.])(dev\\.migdiff\\.\\w+|org\\.eclipse\\.jgit|org\\.jgrapht|picocli|com\\.fasterxml|org\\.tomlj)\\.",
      Pattern.MULTILINE);

  /** Package to the prefixes it may use besides java.* and itself. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("python", Set.of()),
      Map.entry("django", Set.of("dev.migdiff.python")),
      Map.entry("git", Set.of("org.eclipse.jgit")),
      Map.entry("db", Set.of("org.sqlite", "org.postgresql")),
      Map.entry("graph", Set.of("dev.migdiff.django", "dev.migdiff.python", "org.jgrapht")),
      Map.entry("analysis", Set.of("dev.migdiff.git", "dev.migdiff.db", "dev.migdiff.django", "dev.migdiff.graph",
          "dev.migdiff.python", "org.tomlj")),
      Map.entry("report", Set.of("dev.migdiff.analysis", "dev.migdiff.django", "dev.migdiff.python",
          "dev.migdiff.snapshot", "com.fasterxml.jackson")),
      // The one place that writes to a database: its own writable connections.
      Map.entry("snapshot", Set.of("dev.migdiff.db", "org.sqlite", "org.postgresql")),
      Map.entry("hook", Set.of("org.eclipse.jgit")),
      Map.entry("bot", Set.of("com.fasterxml.jackson")),
      // a store keyed by Git object ids; the reading layers see it through django.ObjectCache
      Map.entry("cache", Set.of()),
      Map.entry("daemon", Set.of()),
      Map.entry("cli", Set.of("dev.migdiff", "picocli")));

  @Test
  void packagesImportOnlyWhatTheTableAllows() throws IOException {
    List<String> violations = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String pkg = MAIN.relativize(f).getName(0).toString();
        Set<String> allowed = ALLOWED.get(pkg);
        assertTrue(allowed != null, "package without a rule: " + pkg);
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          String used = m.group(1) != null ? m.group(1) : m.group(2);
          checked++;
          if (used.startsWith("java.") || used.startsWith("javax.")
              || used.startsWith("dev.migdiff." + pkg)) {
            continue;
          }
          if (allowed.stream().noneMatch(used::startsWith)) {
            violations.add(MAIN.relativize(f) + " uses " + used);
          }
        }
      }
    }
    assertTrue(checked > 300, "the import scan found only " + checked + " imports");
    assertTrue(violations.isEmpty(), "imports against the architecture:\n"
        + String.join("\n", violations.stream().distinct().toList()));
  }
}
