package dev.migdiff.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.Json;
import dev.migdiff.testing.OraclePool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code migdiff FROM TO} against real Django, git and SQLite on generated two-branch projects:
 * (a) the merge conflicts equal Django's {@code detect_conflicts()} after a real {@code git merge};
 * (b) after {@code migrate} at FROM and migdiff's commands, Django unapplied exactly migdiff's
 * list in migdiff's order (or stopped where migdiff said; the rest is then judged on the same
 * commands run with {@code --fake}), applied nothing forwards, and at TO finds no phantom and a
 * consistent history, and {@code migrate} there succeeds; (c) every migration migdiff marks as
 * required could not have stayed applied (TO does not know it, or TO's
 * {@code check_consistent_history} rejects it kept applied), and every one it marks as
 * collateral could have.
 */
class SwitchDifferentialTest {
  static final int SCENARIOS = Integer.getInteger("migdiff.switchScenarios", 210);
  /** The first seed (-Dmigdiff.switchFirstSeed), for one-off runs past the usual ones. */
  /** Under Django 5.2 (a second run of the same generator, within the CI's time budget). */
  static final int SCENARIOS_52 = Integer.getInteger("migdiff.switchScenarios52", 60);
  static final long FIRST_SEED = Long.getLong("migdiff.switchFirstSeed", 1L);
  static final Path ORACLE = Path.of("src/test/resources/oracle/switch_oracle.py");

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  void mergeAndSwitchMatchDjango(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    boolean first = v.equals(DjangoOracle.DJANGO_32);
    int scenarios = first ? SCENARIOS : SCENARIOS_52;
    Map<String, Integer> features = new TreeMap<>();
    Map<Path, Map<String, Object>> ours = new LinkedHashMap<>();
    List<String> mismatches = new ArrayList<>();
    int[] counts;
    // Each job goes to Django as soon as it is built, so the oracles judge while the next
    // scenarios are made.
    try (OraclePool oracles = new OraclePool(v, ORACLE, OraclePool.SIZE)) {
      for (long seed = FIRST_SEED; seed < FIRST_SEED + scenarios; seed++) {
        Path dir = tmp.resolve("w" + seed);
        SwitchScenarioGenerator.build(seed, dir, true).stream().distinct()
            .forEach(f -> features.merge(f, 1, Integer::sum));
        oracles.submit(job(dir, "from", "to", ours, v));
      }
      counts = judge(oracles.answers(), ours, mismatches);
    }
    System.out.println("switch differential (" + v + "): " + counts[0] + " scenarios, " + counts[1]
        + " migrations unapplied by Django, " + (counts[0] - mismatches.size())
        + " agreed, features " + features);
    assertTrue(counts[0] == scenarios, "only " + counts[0] + " of " + scenarios + " compared");
    assertTrue(!first || SCENARIOS >= 200 || System.getProperty("migdiff.switchScenarios") != null,
        "the suite must compare at least 200 scenarios");
    if (!mismatches.isEmpty()) {
      fail(mismatches.size() + " scenarios differ from " + v + ":\n" + String.join("\n", mismatches));
    }
  }

  /** The hand-made shapes (also golden CLI cases), FROM main and TO feature. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  void namedShapesMatchDjango(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    Map<Path, Map<String, Object>> ours = new LinkedHashMap<>();
    List<String> jobs = new ArrayList<>();
    for (String shape : new TreeMap<>(SwitchShapes.ALL).keySet()) {
      Path dir = tmp.resolve("shape-" + shape);
      SwitchShapes.ALL.get(shape).accept(dir);
      jobs.add(job(dir, "main", "feature", ours, v));
    }
    List<String> mismatches = new ArrayList<>();
    int[] counts;
    try (OraclePool oracles = new OraclePool(v, ORACLE, OraclePool.SIZE)) {
      jobs.forEach(oracles::submit);
      counts = judge(oracles.answers(), ours, mismatches);
    }
    assertTrue(counts[0] == SwitchShapes.ALL.size(), "only " + counts[0] + " compared");
    if (!mismatches.isEmpty()) {
      fail(mismatches.size() + " shapes differ from Django:\n" + String.join("\n", mismatches));
    }
  }

  /** Runs migdiff on {@code dir} and returns the oracle's job for its switch commands. */
  @SuppressWarnings("unchecked")
  static String job(Path dir, String from, String to,
      Map<Path, Map<String, Object>> ours, DjangoOracle.Version v) {
    Map<String, Object> report = migdiff(dir, from, to, v);
    ours.put(dir, report);
    Map<String, Object> sw = (Map<String, Object>) report.get("switch");
    StringBuilder job = new StringBuilder("{\"dir\": ").append(quote(dir.toString()))
        .append(", \"from\": ").append(quote(from)).append(", \"to\": ").append(quote(to))
        .append(", \"commands\": ");
    if (sw.get("blocked") != null) {
      return job.append("null}").toString();
    }
    job.append("[");
    List<Map<String, Object>> commands = (List<Map<String, Object>>) sw.get("commands");
    for (int i = 0; i < commands.size(); i++) {
      job.append(i == 0 ? "" : ", ").append("[").append(quote((String) commands.get(i).get("app")))
          .append(", ").append(quote((String) commands.get(i).get("target"))).append("]");
    }
    return job.append("]}").toString();
  }

  /** Compares the oracle's answers with migdiff's; returns {compared, unapplied by Django}. */
  @SuppressWarnings("unchecked")
  private static int[] judge(List<String> answers, Map<Path, Map<String, Object>> ours,
      List<String> mismatches) {
    int compared = 0;
    int unapplied = 0;
    for (String line : answers) {
      Map<String, Object> django = Json.object(line);
      Path dir = Path.of((String) django.get("dir"));
      String diff = compare(ours.get(dir), django);
      if (diff != null) {
        mismatches.add(dir.getFileName() + ": " + diff);
      }
      Map<String, Object> sw = (Map<String, Object>) django.get("switch");
      if (sw != null && sw.get("unapplied") != null) {
        unapplied += ((List<?>) sw.get("unapplied")).size();
      }
      compared++;
    }
    return new int[] {compared, unapplied};
  }

  /** The squash a squash-row-blocks warning names ("... the unapplied squash app.name while"). */
  private static String squashNamed(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("unapplied squash (\\S+) while")
        .matcher(message);
    return m.find() ? m.group(1) : "\u0000";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static Map<String, Object> migdiff(Path dir, String from, String to,
      DjangoOracle.Version v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("-C", dir.toString(), "diff", "--format", "json"));
    args.addAll(v.migdiffArgs());
    args.addAll(List.of(from, to));
    int code = Main.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != 0 && code != 1) {
      throw new AssertionError(dir + ": migdiff exited " + code + ": " + err);
    }
    return Json.object(out.toString(StandardCharsets.UTF_8));
  }

  /**
   * Whether Django's NodeNotFoundError and migdiff's dangling-dependency name the same missing
   * node ("... reference nonexistent parent node ('a', 'b')"). Not the migration that refers to
   * it: when several do, Django names the first in its {@code disk_migrations}, whose order per
   * app comes from a set of module names and so from PYTHONHASHSEED
   * (differential-regressions/switch-20261680 named s1u.0001_base0 in one run and s1u.0004_t2
   * in another); migdiff names the first in file order.
   */
  static boolean sameMissingNode(String djangoError, String ours) {
    String marker = " dependencies reference nonexistent ";
    int d = djangoError.indexOf(marker);
    int o = ours == null ? -1 : ours.indexOf(marker);
    return d >= 0 && o >= 0 && djangoError.substring(d).equals(ours.substring(o));
  }

  /**
   * Whether Django's CircularDependencyError names the migrations of migdiff's cycle. Django
   * starts its search at a node popped from a set, so where it enters the cycle (and the order
   * it lists it in) depends on PYTHONHASHSEED (seen under Django 5.2, seed 20261205: "s1w.0004_ts,
   * s1w.0001_squashed_0002_base1_f" against migdiff's "s1w.0001_squashed_0002_base1_f,
   * s1w.0004_ts"): the same set of migrations is the same cycle.
   */
  static boolean sameCycle(String djangoError, String ours) {
    String prefix = "CircularDependencyError: ";
    String marker = "Circular dependency: ";
    if (ours == null || !djangoError.startsWith(prefix) || !ours.contains(marker)) {
      return false;
    }
    java.util.Set<String> theirs = new java.util.TreeSet<>(
        List.of(djangoError.substring(prefix.length()).trim().split(", ")));
    java.util.Set<String> mine = new java.util.TreeSet<>(
        List.of(ours.substring(ours.indexOf(marker) + marker.length()).trim().split(", ")));
    return theirs.equals(mine);
  }

  /**
   * Whether every app whose leaves differ is one where two squashes of the merged tree replace
   * the same migration and migdiff says so (overlapping-squashes): Django's loader keeps the
   * names in a set, so which squash takes over the children there depends on PYTHONHASHSEED
   * (differential-regressions/switch-1796025065800629), and no single answer can match it.
   */
  static boolean hashSeedDependent(Map<String, Object> ours, Map<String, Object> theirs,
      List<Map<String, Object>> problems) {
    java.util.Set<String> apps = new java.util.TreeSet<>(ours.keySet());
    apps.addAll(theirs.keySet());
    apps.removeIf(a -> java.util.Objects.equals(ours.get(a), theirs.get(a)));
    return !apps.isEmpty() && apps.stream().allMatch(a -> problems.stream().anyMatch(p ->
        "overlapping-squashes".equals(p.get("code"))
            && String.valueOf(p.get("message")).startsWith("after the merge: " + a + ".")));
  }

  @SuppressWarnings("unchecked")
  static String compare(Map<String, Object> ours, Map<String, Object> django) {
    if (django.get("error") != null) {
      return "oracle error: " + django.get("error");
    }
    Map<String, Object> merge = (Map<String, Object>) django.get("merge");
    List<Map<String, Object>> problems = (List<Map<String, Object>>) ours.get("problems");
    if (Boolean.TRUE.equals(merge.get("textConflict"))) {
      if (problems.stream().noneMatch(x -> "merge-text-conflict".equals(x.get("code")))) {
        return "git merge stopped on a text conflict but migdiff reported none";
      }
    } else {
      String mergeError = (String) merge.get("error");
      if (mergeError != null) {
        boolean dangling = mergeError.startsWith("NodeNotFoundError") && problems.stream()
            .anyMatch(x -> "dangling-dependency".equals(x.get("code")));
        boolean cycle = problems.stream().anyMatch(x -> "circular-dependency".equals(x.get("code"))
            && sameCycle(mergeError, (String) x.get("message")));
        return dangling || cycle ? null : "Django failed on the merged tree (" + mergeError
            + ") but migdiff reported " + problems;
      }
      Map<String, Object> ourMerge = (Map<String, Object>) ours.get("merge");
      Map<String, Object> ourConflicts = new TreeMap<>();
      for (Map<String, Object> c : (List<Map<String, Object>>) ourMerge.get("conflicts")) {
        ourConflicts.put((String) c.get("app"), c.get("leaves"));
      }
      Map<String, Object> theirs = new TreeMap<>((Map<String, Object>) merge.get("conflicts"));
      if (!ourConflicts.equals(theirs) && !hashSeedDependent(ourConflicts, theirs, problems)) {
        return "merge conflicts: Django " + theirs + ", migdiff " + ourConflicts;
      }
    }
    Map<String, Object> sw = (Map<String, Object>) django.get("switch");
    Map<String, Object> ourSwitch = (Map<String, Object>) ours.get("switch");
    if (sw == null) {
      return ourSwitch.get("blocked") == null ? "oracle skipped the switch" : null;
    }
    if (sw.get("error") != null) {
      String error = (String) sw.get("error");
      // Django before 4.0 keeps an unapplied squash's row; when no order of the commands avoids
      // it, migdiff warns (squash-row-blocks) that the next command fails this very way.
      boolean predicted = error.startsWith("InconsistentMigrationHistory") && problems.stream()
          .anyMatch(x -> "squash-row-blocks".equals(x.get("code"))
              && error.contains("Migration " + squashNamed((String) x.get("message")) + " is"));
      return predicted ? null : "Django failed running migdiff's commands "
          + ourSwitch.get("commands") + ": " + error;
    }
    List<List<String>> ourOrder = new ArrayList<>();
    for (Map<String, Object> u : (List<Map<String, Object>>) ourSwitch.get("unapply")) {
      ourOrder.add(List.of((String) u.get("app"), (String) u.get("name")));
    }
    Map<String, Object> stops = (Map<String, Object>) ourSwitch.get("stopsAt");
    List<String> ourStop = stops == null ? null : List.of((String) stops.get("app"), (String) stops.get("name"));
    List<String> theirStop = (List<String>) sw.get("stoppedAt");
    if (!java.util.Objects.equals(ourStop, theirStop)) {
      return "Django stopped at " + theirStop + ", migdiff said " + ourStop;
    }
    List<Object> theirOrder = (List<Object>) sw.get("unapplied");
    List<List<String>> expected = ourStop == null ? ourOrder : ourOrder.subList(0, ourOrder.indexOf(ourStop));
    if (!expected.equals(theirOrder)) {
      return "unapply order: Django " + theirOrder + ", migdiff " + expected;
    }
    if (!((List<?>) sw.get("appliedForwards")).isEmpty()) {
      return "migdiff's commands applied migrations forwards: " + sw.get("appliedForwards");
    }
    if (theirStop != null && !ourOrder.equals(sw.get("unappliedFaked"))) {
      return "unapply order with --fake: Django " + sw.get("unappliedFaked") + ", migdiff "
          + ourOrder;
    }
    if (sw.get("toError") != null) {
      // Django cannot load TO at all (NodeNotFoundError): migdiff must say why, naming the same
      // missing node; what TO does with the rows left is then no one's to check
      String toError = (String) sw.get("toError");
      boolean dangling = toError.startsWith("NodeNotFoundError: ") && problems.stream()
          .anyMatch(x -> "dangling-dependency".equals(x.get("code"))
              && sameMissingNode(toError, (String) x.get("message")));
      return dangling ? null : "Django cannot load TO (" + toError + ") but migdiff reported "
          + problems;
    }
    List<Object> phantoms = new ArrayList<>((List<Object>) sw.get("phantoms"));
    for (Map<String, Object> k : (List<Map<String, Object>>) ourSwitch.get("leftoverRecords")) {
      phantoms.remove(List.of(k.get("app"), k.get("name")));
    }
    if (!phantoms.isEmpty()) {
      return "phantoms left at TO: " + phantoms;
    }
    if (sw.get("inconsistent") != null) {
      return "inconsistent history at TO: " + sw.get("inconsistent");
    }
    if (sw.get("migrateError") != null) {
      return "migrate at TO failed: " + sw.get("migrateError");
    }
    // Django's verdict on each unapplied migration: required (TO does not know it, or rejects
    // it kept applied) or collateral (TO has it and accepts it).
    List<Object> required = (List<Object>) sw.get("required");
    for (Map<String, Object> u : (List<Map<String, Object>>) ourSwitch.get("unapply")) {
      List<String> k = List.of((String) u.get("app"), (String) u.get("name"));
      boolean theirs = !required.contains(k);
      if (!Boolean.valueOf(theirs).equals(u.get("collateral"))) {
        return k + ": migdiff says collateral=" + u.get("collateral") + ", Django's loader at TO "
            + (theirs ? "accepts it kept applied" : "needs it unapplied");
      }
    }
    return null;
  }
}
