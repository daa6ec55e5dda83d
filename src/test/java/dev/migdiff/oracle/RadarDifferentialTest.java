package dev.migdiff.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code migdiff radar} against real git and Django on generated repositories with 3 to 8
 * branches. For every branch A, git really merges A into main ({@code git merge-tree}, git's own
 * merge); for every ordered pair (A, B) it commits that merge and merges B into it. Django's
 * {@code MigrationLoader.detect_conflicts()} on each resulting tree decides: radar's
 * divergent-leaves pairs must be exactly the pairs where Django finds a conflict in an app that
 * neither merge alone leaves conflicting, in both orders, with the same apps. Where git's merge
 * stops on a textual conflict, there is no tree for Django to load: radar must report that pair
 * (or that branch against main) as one where git stops, and the order is not judged further.
 * Trees where Django's loader raises (a renamed migration another branch still depends on) are
 * counted and skipped: Django reports no conflicts there, only the error.
 */
class RadarDifferentialTest {
  static final int SCENARIOS = Integer.getInteger("migdiff.radarScenarios", 8);
  static final int SCENARIOS_52 = Integer.getInteger("migdiff.radarScenarios52", 3);
  static final long FIRST_SEED = Long.getLong("migdiff.radarFirstSeed", 1L);
  static final Path ORACLE = Path.of("src/test/resources/oracle/django_oracle.py");

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  void pairsMatchDjango(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    int scenarios = v.equals(DjangoOracle.DJANGO_32) ? SCENARIOS : SCENARIOS_52;
    Map<String, Integer> features = new TreeMap<>();
    List<Scenario> all = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + scenarios; seed++) {
      Path dir = tmp.resolve("r" + seed);
      RadarScenarioGenerator.Result built = RadarScenarioGenerator.build(seed, dir);
      built.features().stream().distinct().forEach(f -> features.merge(f, 1, Integer::sum));
      Scenario s = new Scenario(dir, built.branches(), radar(dir, v));
      s.materialize(tmp.resolve("t" + seed));
      all.add(s);
      dirs.addAll(s.trees.values());
    }
    Map<Path, Map<String, Object>> django = DjangoOracle.run(v, ORACLE, dirs);
    List<String> mismatches = new ArrayList<>();
    int[] counts = new int[4]; // ordered pairs judged, colliding, git stops, Django errors
    for (Scenario s : all) {
      s.judge(django, mismatches, counts);
    }
    System.out.println("radar differential (" + v + "): " + scenarios + " scenarios, "
        + counts[0] + " ordered pairs judged, " + counts[1] + " colliding, " + counts[2]
        + " where git stops, " + counts[3] + " skipped (Django's loader raised); features "
        + features);
    assertTrue(counts[1] > 0 && counts[0] > counts[1], "the scenarios must hold both outcomes");
    if (!mismatches.isEmpty()) {
      fail(mismatches.size() + " differences from " + v + ":\n" + String.join("\n", mismatches));
    }
  }

  /** One repository, radar's answer and the trees git's merges give. */
  private static final class Scenario {
    final Path repo;
    final List<String> branches;
    final Map<String, Object> radar;
    /** "main", "A", "A+B": the tree's directory (absent when git stopped). */
    final Map<String, Path> trees = new LinkedHashMap<>();
    final Set<String> gitStopped = new TreeSet<>();

    Scenario(Path repo, List<String> branches, Map<String, Object> radar) {
      this.repo = repo;
      this.branches = branches;
      this.radar = radar;
    }

    void materialize(Path out) throws IOException, InterruptedException {
      trees.put("main", extract(git("rev-parse", "main^{tree}").trim(), out.resolve("main")));
      Map<String, String> firstMerge = new HashMap<>();
      for (String a : branches) {
        Merge m = mergeTree("main", a);
        if (m.tree == null) {
          gitStopped.add(a);
          continue;
        }
        trees.put(a, extract(m.tree, out.resolve(a)));
        firstMerge.put(a, git("commit-tree", m.tree, "-p", "main", "-p", a, "-m", "m").trim());
      }
      for (String a : firstMerge.keySet()) {
        for (String b : branches) {
          if (!a.equals(b)) {
            Merge m = mergeTree(firstMerge.get(a), b);
            if (m.tree == null) {
              gitStopped.add(a + "+" + b);
            } else {
              trees.put(a + "+" + b, extract(m.tree, out.resolve(a + "+" + b)));
            }
          }
        }
      }
    }

    private record Merge(String tree) {}

    /** git's own merge (ort) of two commits, without a work tree; null tree when it stops. */
    private Merge mergeTree(String ours, String theirs) throws IOException, InterruptedException {
      Process p = new ProcessBuilder("git", "-C", repo.toString(), "merge-tree", "--write-tree",
          "--no-messages", ours, theirs).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      if (p.exitValue() == 1) {
        return new Merge(null);
      }
      if (p.exitValue() != 0) {
        throw new IOException("git merge-tree failed: " + out);
      }
      return new Merge(out.lines().findFirst().orElseThrow().trim());
    }

    private Path extract(String tree, Path dir) throws IOException, InterruptedException {
      Files.createDirectories(dir);
      Process p = new ProcessBuilder("sh", "-c", "git -C \"$1\" archive --format=tar \"$2\" | "
          + "tar -x -C \"$3\"", "sh", repo.toString(), tree, dir.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("extracting " + tree + " failed: " + out);
      }
      return dir;
    }

    private String git(String... args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString(),
          "-c", "user.name=Ada", "-c", "user.email=ada@example.com"));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("GIT_COMMITTER_DATE", "@1700000000 +0000");
      pb.environment().put("GIT_AUTHOR_DATE", "@1700000000 +0000");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("git " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    void judge(Map<Path, Map<String, Object>> django, List<String> mismatches, int[] counts) {
      Map<String, Set<String>> divergent = new HashMap<>();
      Set<String> stops = new TreeSet<>();
      for (Map<String, Object> p : (List<Map<String, Object>>) radar.get("pairs")) {
        String key = key((String) p.get("first"), (String) p.get("second"));
        for (Map<String, Object> c : (List<Map<String, Object>>) p.get("collisions")) {
          if ("divergent-leaves".equals(c.get("kind"))) {
            divergent.computeIfAbsent(key, k -> new TreeSet<>()).add((String) c.get("app"));
          }
          if (Boolean.TRUE.equals(c.get("gitStops"))) {
            stops.add(key);
          }
        }
      }
      Map<String, Map<String, Object>> branchesByLabel = new HashMap<>();
      for (Map<String, Object> b : (List<Map<String, Object>>) radar.get("branches")) {
        branchesByLabel.put((String) b.get("label"), b);
        for (String alias : (List<String>) b.get("aliases")) {
          branchesByLabel.put(alias, b);
        }
      }
      String where = repo.getFileName() + ": ";
      Set<String> mainConflicts = conflicts(django, "main");
      for (String a : branches) {
        Map<String, Object> rb = branchesByLabel.get(a);
        if (rb == null) {
          mismatches.add(where + a + " missing from radar's branches");
          continue;
        }
        if (gitStopped.contains(a)) {
          if (((List<String>) rb.get("textConflicts")).isEmpty()) {
            mismatches.add(where + "git stops merging " + a + " into main; radar says nothing");
          }
          continue;
        }
        if (error(django, a) != null) {
          continue;
        }
        Set<String> expected = new TreeSet<>(conflicts(django, a));
        expected.removeAll(mainConflicts);
        Set<String> got = new TreeSet<>();
        ((List<Map<String, Object>>) rb.get("againstBase")).forEach(c -> got.add((String) c.get("app")));
        if (!expected.equals(got)) {
          mismatches.add(where + a + " against main: Django " + expected + ", radar " + got);
        }
      }
      for (String a : branches) {
        for (String b : branches) {
          if (a.equals(b) || gitStopped.contains(a) || gitStopped.contains(b)) {
            continue;
          }
          String pair = a + "+" + b;
          if (gitStopped.contains(pair)) {
            counts[2]++;
            if (!stops.contains(key(a, b))) {
              mismatches.add(where + "git stops merging " + b + " after " + a
                  + "; radar reports no collision where git stops");
            }
            continue;
          }
          if (error(django, a) != null || error(django, b) != null
              || error(django, pair) != null) {
            counts[3]++;
            continue;
          }
          counts[0]++;
          Set<String> expected = new TreeSet<>(conflicts(django, pair));
          expected.removeAll(conflicts(django, a));
          expected.removeAll(conflicts(django, b));
          Set<String> got = divergent.getOrDefault(key(a, b), Set.of());
          if (!expected.isEmpty()) {
            counts[1]++;
          }
          if (!expected.equals(got)) {
            mismatches.add(where + b + " merged after " + a + ": Django " + expected
                + " (leaves " + django.get(trees.get(pair)).get("conflicts") + "), radar " + got);
          }
        }
      }
    }

    private static String key(String a, String b) {
      return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    @SuppressWarnings("unchecked")
    private Set<String> conflicts(Map<Path, Map<String, Object>> django, String state) {
      Map<String, Object> answer = django.get(trees.get(state));
      return ((Map<String, Object>) answer.get("conflicts")).keySet();
    }

    private Object error(Map<Path, Map<String, Object>> django, String state) {
      return django.get(trees.get(state)).get("error");
    }
  }

  /** migdiff radar's JSON for the scenario (every branch, merged ones too). */
  static Map<String, Object> radar(Path dir, DjangoOracle.Version v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("-C", dir.toString(), "radar", "--format", "json",
        "--include-merged", "--no-cache"));
    args.addAll(v.migdiffArgs());
    args.add("main");
    int code = Main.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    if (code != 0 && code != 1) {
      throw new AssertionError(dir + ": migdiff radar exited " + code + ": " + err);
    }
    return Json.object(out.toString(StandardCharsets.UTF_8));
  }
}
