package dev.migdiff.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migdiff FROM TO} against real Django, git and SQLite on generated two-branch projects:
 * (a) the merge conflicts equal Django's {@code detect_conflicts()} after a real {@code git merge};
 * (b) after {@code migrate} at FROM and migdiff's commands, Django unapplied exactly migdiff's
 * list in migdiff's order (or stopped where migdiff said), applied nothing forwards, and at TO
 * finds no phantom and a consistent history.
 */
class SwitchDifferentialTest {
  static final int SCENARIOS = Integer.getInteger("migdiff.switchScenarios", 210);
  static final Path ORACLE = Path.of("src/test/resources/oracle/switch_oracle.py");

  @TempDir Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void mergeAndSwitchMatchDjango() throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(), "Django not installed");
    Map<String, Integer> features = new TreeMap<>();
    Map<Path, Map<String, Object>> ours = new LinkedHashMap<>();
    List<String> jobs = new ArrayList<>();
    for (long seed = 1; seed <= SCENARIOS; seed++) {
      Path dir = tmp.resolve("w" + seed);
      SwitchScenarioGenerator.build(seed, dir).stream().distinct()
          .forEach(f -> features.merge(f, 1, Integer::sum));
      Map<String, Object> report = migdiff(dir);
      ours.put(dir, report);
      Map<String, Object> sw = (Map<String, Object>) report.get("switch");
      List<List<String>> commands = new ArrayList<>();
      for (Map<String, Object> c : (List<Map<String, Object>>) sw.get("commands")) {
        commands.add(List.of((String) c.get("app"), (String) c.get("target")));
      }
      StringBuilder job = new StringBuilder("{\"dir\": ").append(quote(dir.toString()))
          .append(", \"from\": \"from\", \"to\": \"to\", \"commands\": ");
      if (sw.get("blocked") != null) {
        job.append("null}");
      } else {
        job.append("[");
        for (int i = 0; i < commands.size(); i++) {
          job.append(i == 0 ? "" : ", ").append("[").append(quote(commands.get(i).get(0)))
              .append(", ").append(quote(commands.get(i).get(1))).append("]");
        }
        job.append("]}");
      }
      jobs.add(job.toString());
    }
    Path jobFile = tmp.resolve("jobs.jsonl");
    Files.write(jobFile, jobs, StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(DjangoOracle.PYTHON, ORACLE.toString())
        .redirectInput(jobFile.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.MINUTES), "oracle timed out");
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    int unapplied = 0;
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
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
    System.out.println("switch differential: " + compared + " scenarios, " + unapplied
        + " migrations unapplied by Django, features " + features);
    assertTrue(compared == SCENARIOS, "only " + compared + " of " + SCENARIOS + " compared");
    assertTrue(SCENARIOS >= 200 || System.getProperty("migdiff.switchScenarios") != null,
        "the suite must compare at least 200 scenarios");
    if (!mismatches.isEmpty()) {
      fail(mismatches.size() + " scenarios differ from Django:\n" + String.join("\n", mismatches));
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static Map<String, Object> migdiff(Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"-C", dir.toString(), "diff", "--format", "json", "from", "to"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != 0 && code != 1) {
      throw new AssertionError(dir + ": migdiff exited " + code + ": " + err);
    }
    return Json.object(out.toString(StandardCharsets.UTF_8));
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
        return dangling ? null : "Django failed on the merged tree (" + mergeError
            + ") but migdiff reported " + problems;
      }
      Map<String, Object> ourMerge = (Map<String, Object>) ours.get("merge");
      Map<String, Object> ourConflicts = new TreeMap<>();
      for (Map<String, Object> c : (List<Map<String, Object>>) ourMerge.get("conflicts")) {
        ourConflicts.put((String) c.get("app"), c.get("leaves"));
      }
      Map<String, Object> theirs = new TreeMap<>((Map<String, Object>) merge.get("conflicts"));
      if (!ourConflicts.equals(theirs)) {
        return "merge conflicts: Django " + theirs + ", migdiff " + ourConflicts;
      }
    }
    Map<String, Object> sw = (Map<String, Object>) django.get("switch");
    Map<String, Object> ourSwitch = (Map<String, Object>) ours.get("switch");
    if (sw == null) {
      return ourSwitch.get("blocked") == null ? "oracle skipped the switch" : null;
    }
    if (sw.get("error") != null) {
      return "Django failed running migdiff's commands " + ourSwitch.get("commands") + ": "
          + sw.get("error");
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
    if (theirStop == null) {
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
    }
    return null;
  }
}
