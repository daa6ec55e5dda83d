package dev.migdiff.oracle;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs {@code migdiff status} against real Django on generated two-branch projects: the database
 * is migrated at {@code from} by Django, the work tree switched to {@code to} with real git, and
 * then migdiff's view must equal Django's (phantoms, inconsistent history, what migrate would
 * apply, edited migrations); then migdiff's fix commands are run by Django from a worktree of the
 * revision migdiff names, after which Django must find no phantom and a consistent history.
 */
final class StatusScenarios implements AutoCloseable {
  static final Path ORACLE = Path.of("src/test/resources/oracle/status_oracle.py");

  /** Where the scenario's database lives and how migdiff is told about it. */
  interface Target {
    /** The database for scenario {@code dir}: a SQLite path or a PostgreSQL database name. */
    String database(Path dir, long seed) throws Exception;

    /** The extra migdiff arguments that name it (none when migdiff finds it by itself). */
    List<String> migdiffArgs(String database);
  }

  private final Process oracle;
  private final Writer toOracle;
  private final BufferedReader fromOracle;
  final List<String> mismatches = new ArrayList<>();
  int compared;
  int skipped;
  int phantoms;
  int edited;
  int inconsistent;
  int fixesRun;

  /** The Django whose rules migdiff applies and whose interpreter runs the oracle. */
  private final DjangoOracle.Version version;

  StatusScenarios(Map<String, String> oracleEnv) throws IOException {
    this(DjangoOracle.DJANGO_32, oracleEnv);
  }

  StatusScenarios(DjangoOracle.Version version, Map<String, String> oracleEnv) throws IOException {
    this.version = version;
    ProcessBuilder pb = new ProcessBuilder(version.python(), ORACLE.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(oracleEnv);
    oracle = pb.start();
    toOracle = new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.UTF_8);
    fromOracle = new BufferedReader(new InputStreamReader(oracle.getInputStream(),
        StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  void run(long seed, Path dir, Target target) throws Exception {
    SwitchScenarioGenerator.build(seed, dir);
    git(dir, "switch", "-q", "from");
    String db = target.database(dir, seed);
    // The reflog keeps whole seconds: migrate, then switch, each in a later second than the
    // move before it, as a person would.
    nextSecond();
    Map<String, Object> migrated = ask("migrate", dir, db, null);
    if (migrated.get("error") != null) {
      skipped++; // Django refuses to migrate at FROM (its own conflicts): nothing to compare
      return;
    }
    nextSecond();
    git(dir, "switch", "-q", "to");
    Map<String, Object> django = ask("state", dir, db, null);
    if (String.valueOf(django.get("error")).startsWith("NodeNotFoundError")) {
      // TO itself is broken: migdiff must say so.
      Map<String, Object> ours = status(dir, withVersion(target.migdiffArgs(db)));
      boolean said = ((List<Map<String, Object>>) ours.get("problems")).stream()
          .anyMatch(p -> "dangling-dependency".equals(p.get("code")));
      if (!said) {
        mismatches.add(seed + ": Django fails at TO (" + django.get("error")
            + ") but migdiff status reported no dangling dependency");
      }
      skipped++;
      return;
    }
    if (django.get("error") != null) {
      mismatches.add(seed + ": oracle error " + django.get("error"));
      return;
    }
    Map<String, Object> ours = status(dir, withVersion(target.migdiffArgs(db)));
    compared++;
    String diff = compare(dir, ours, django);
    if (diff != null) {
      mismatches.add(seed + ": " + diff);
      return;
    }
    // Run migdiff's fixes with Django, from worktrees of the revisions migdiff names.
    List<Object> leftovers = new ArrayList<>();
    for (Map<String, Object> fix : (List<Map<String, Object>>) ours.get("fixes")) {
      fixesRun++;
      Map<String, Object> plan = (Map<String, Object>) fix.get("switch");
      leftovers.addAll(keys((List<Map<String, Object>>) plan.get("leftoverRecords")));
      String commit = (String) ((Map<String, Object>) fix.get("at")).get("commit");
      Path wt = dir.resolveSibling(dir.getFileName() + "-wt");
      git(dir, "worktree", "add", "-q", "--detach", wt.toString(), commit);
      try {
        List<List<String>> commands = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) plan.get("commands")) {
          commands.add(List.of((String) c.get("app"), (String) c.get("target")));
        }
        Map<String, Object> ran = ask("run", wt, db, commands);
        if (ran.get("error") != null) {
          mismatches.add(seed + ": Django failed running migdiff's fix " + commands + ": "
              + ran.get("error"));
          return;
        }
        Map<String, Object> stops = (Map<String, Object>) plan.get("stopsAt");
        Object ourStop = stops == null ? null : List.of(stops.get("app"), stops.get("name"));
        if (!Objects.equals(ourStop, ran.get("stoppedAt"))) {
          mismatches.add(seed + ": Django stopped at " + ran.get("stoppedAt") + ", migdiff said "
              + ourStop);
          return;
        }
        if (ourStop != null) {
          return; // an irreversible migration: Django stopped where migdiff said
        }
        List<Object> ourOrder = keys((List<Map<String, Object>>) plan.get("unapply"));
        if (!ourOrder.equals(ran.get("unapplied"))) {
          mismatches.add(seed + ": fix unapplied " + ran.get("unapplied") + ", migdiff said "
              + ourOrder);
          return;
        }
        if (!((List<?>) ran.get("appliedForwards")).isEmpty()) {
          mismatches.add(seed + ": the fix applied forwards " + ran.get("appliedForwards"));
          return;
        }
      } finally {
        git(dir, "worktree", "remove", "--force", wt.toString());
      }
    }
    Map<String, Object> after = ask("state", dir, db, null);
    List<Object> left = new ArrayList<>((List<Object>) after.get("phantoms"));
    left.removeAll(leftovers);
    if (!left.isEmpty() || after.get("inconsistent") != null) {
      mismatches.add(seed + ": after migdiff's fixes Django still finds phantoms " + left
          + " / inconsistent history " + after.get("inconsistent"));
    }
  }

  @SuppressWarnings("unchecked")
  private String compare(Path dir, Map<String, Object> ours, Map<String, Object> django)
      throws Exception {
    Set<Object> ourPhantoms = new HashSet<>(keys((List<Map<String, Object>>) ours.get("phantoms")));
    Set<Object> theirPhantoms = new HashSet<>((List<Object>) django.get("phantoms"));
    if (!ourPhantoms.equals(theirPhantoms)) {
      return "phantoms: Django " + theirPhantoms + ", migdiff " + ourPhantoms;
    }
    phantoms += ourPhantoms.size();
    for (Map<String, Object> p : (List<Map<String, Object>>) ours.get("phantoms")) {
      if (p.get("foundIn") == null) {
        return "phantom " + p.get("name") + " not found, but branch 'from' has it";
      }
    }
    boolean ourInconsistent = !((List<?>) ours.get("inconsistent")).isEmpty();
    if (ourInconsistent != (django.get("inconsistent") != null)) {
      return "inconsistent history: Django " + django.get("inconsistent") + ", migdiff "
          + ours.get("inconsistent");
    }
    if (ourInconsistent) {
      inconsistent++;
    }
    if (django.get("unapplied") != null
        && !keys((List<Map<String, Object>>) ours.get("unapplied")).equals(django.get("unapplied"))) {
      return "unapplied: Django " + django.get("unapplied") + ", migdiff " + ours.get("unapplied");
    }
    // showmigrations marks with "[ ]" exactly the migrations of REF's graph that are not applied.
    Set<Object> shown = new HashSet<>((List<Object>) django.get("showmigrationsUnapplied"));
    Set<Object> ourUnapplied = new HashSet<>(keys((List<Map<String, Object>>) ours.get("unapplied")));
    if (!shown.equals(ourUnapplied)) {
      return "showmigrations [ ]: " + shown + ", migdiff " + ourUnapplied;
    }
    // Edited: applied at FROM, and TO's file of the same migration has other content.
    Set<Object> rows = new HashSet<>((List<Object>) django.get("rows"));
    Map<String, String> fromBlobs = blobs(dir, "from");
    Map<String, String> toBlobs = blobs(dir, "to");
    Set<Object> expected = new HashSet<>();
    for (Map.Entry<String, String> e : toBlobs.entrySet()) {
      String before = fromBlobs.get(e.getKey());
      if (before != null && !before.equals(e.getValue())) {
        String[] parts = e.getKey().split("/");
        List<String> key = List.of(parts[0], parts[2].substring(0, parts[2].length() - 3));
        if (rows.contains(key)) {
          expected.add(key);
        }
      }
    }
    Set<Object> ourEdited = new HashSet<>(keys((List<Map<String, Object>>) ours.get("edited")));
    if (!ourEdited.equals(expected)) {
      return "edited: expected " + expected + ", migdiff " + ourEdited;
    }
    edited += ourEdited.size();
    return null;
  }

  private static Map<String, String> blobs(Path dir, String ref) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (String line : git(dir, "ls-tree", "-r", ref).split("\n")) {
      String[] f = line.split("\\s+", 4);
      if (f.length == 4 && f[3].matches("[^/]+/migrations/\\d{4}\\w*\\.py")) {
        out.put(f[3], f[2]);
      }
    }
    return out;
  }

  private static List<Object> keys(List<Map<String, Object>> items) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> m : items) {
      out.add(List.of(m.get("app"), m.get("name")));
    }
    return out;
  }

  private List<String> withVersion(List<String> args) {
    List<String> out = new ArrayList<>(version.migdiffArgs());
    out.addAll(args);
    return out;
  }

  private static Map<String, Object> status(Path dir, List<String> extra) {
    List<String> args = new ArrayList<>(List.of("-C", dir.toString(), "status", "--format", "json"));
    args.addAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    if (code != 0 && code != 1) {
      throw new AssertionError(dir + ": migdiff status exited " + code + ": " + err);
    }
    return Json.object(out.toString(StandardCharsets.UTF_8));
  }

  private Map<String, Object> ask(String op, Path project, String db, List<List<String>> commands)
      throws IOException {
    StringBuilder req = new StringBuilder("{\"op\": ").append(q(op)).append(", \"project\": ")
        .append(q(project.toString())).append(", \"db\": ").append(q(db));
    if (commands != null) {
      req.append(", \"commands\": [");
      for (int i = 0; i < commands.size(); i++) {
        req.append(i == 0 ? "" : ", ").append("[").append(q(commands.get(i).get(0))).append(", ")
            .append(q(commands.get(i).get(1))).append("]");
      }
      req.append("]");
    }
    toOracle.write(req.append("}\n").toString());
    toOracle.flush();
    String line = fromOracle.readLine();
    if (line == null) {
      throw new IOException("the oracle died");
    }
    return Json.object(line);
  }

  private static void nextSecond() throws InterruptedException {
    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20);
  }

  static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  private static String q(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Adds {@code other}'s counts and mismatches to these (scenarios run on two threads). */
  void add(StatusScenarios other) {
    mismatches.addAll(other.mismatches);
    compared += other.compared;
    skipped += other.skipped;
    phantoms += other.phantoms;
    edited += other.edited;
    inconsistent += other.inconsistent;
    fixesRun += other.fixesRun;
  }

  String summary() {
    return compared + " compared (" + skipped + " skipped: Django refused to migrate at FROM or to load TO), "
        + phantoms + " phantoms, " + edited + " edited, " + inconsistent
        + " inconsistent histories, " + fixesRun + " fixes run by Django";
  }

  @Override
  public void close() throws IOException {
    toOracle.close();
    oracle.destroy();
  }

}
