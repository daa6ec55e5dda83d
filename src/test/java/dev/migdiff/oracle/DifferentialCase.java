package dev.migdiff.oracle;

import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.Json;
import dev.migdiff.testing.RepoBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * One differential scenario as plain files, so that it can be checked against Django, shrunk and
 * saved: a graph scenario is one commit ({@code files}, plus {@code untracked} files only the
 * oracle reads); a switch scenario is three commits, {@code base} on main and the branches
 * {@code to} and {@code from} made from it (each a full snapshot of the tree).
 *
 * <p>{@link #check} runs the existing checks of {@link DjangoDifferentialTest} (graph) and
 * {@link SwitchDifferentialTest} (merge preview and switch plan) on many cases with one Django
 * process per check; {@link #shrinkSteps} lists the smaller variants the fuzzer's shrinker tries.
 */
record DifferentialCase(String kind, long seed, Map<String, Map<String, String>> snapshots) {
  static final List<String> GRAPH_SNAPSHOTS = List.of("files", "untracked");
  static final List<String> SWITCH_SNAPSHOTS = List.of("base", "to", "from");

  boolean isSwitch() {
    return snapshots.containsKey("base");
  }

  // ---- generating ------------------------------------------------------------------------

  static DifferentialCase generate(String kind, long seed, Path scratch) {
    Map<String, Map<String, String>> snaps = new LinkedHashMap<>();
    switch (kind) {
      case "graph" -> {
        snaps.put("files", new TreeMap<>(ScenarioGenerator.generate(seed).files()));
        snaps.put("untracked", new TreeMap<>());
      }
      case "model" -> {
        snaps.put("files", new TreeMap<>(ModelScenarioGenerator.generate(seed).files()));
        snaps.put("untracked", new TreeMap<>());
      }
      case "layout" -> {
        LayoutScenarioGenerator.Scenario s = LayoutScenarioGenerator.generate(seed);
        snaps.put("files", new TreeMap<>(s.files()));
        snaps.put("untracked", new TreeMap<>(s.untracked()));
      }
      case "switch" -> {
        Path dir = scratch.resolve("gen-" + seed);
        SwitchScenarioGenerator.build(seed, dir, true);
        try (Git git = Git.open(dir.toFile())) {
          snaps.put("base", tree(git.getRepository(), "main"));
          snaps.put("to", tree(git.getRepository(), "to"));
          snaps.put("from", tree(git.getRepository(), "from"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        delete(dir);
      }
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    }
    return new DifferentialCase(kind, seed, snaps);
  }

  private static Map<String, String> tree(Repository repo, String ref) throws IOException {
    Map<String, String> files = new TreeMap<>();
    ObjectId id = repo.resolve(ref + "^{tree}");
    try (TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(id);
      tw.setRecursive(true);
      while (tw.next()) {
        files.put(tw.getPathString(),
            new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  // ---- checking --------------------------------------------------------------------------

  /** Writes the case as a real Git repository in {@code dir}. */
  void materialize(Path dir) {
    try (RepoBuilder repo = RepoBuilder.init(dir)) {
      if (!isSwitch()) {
        snapshots.get("files").forEach(repo::file);
        repo.commit(kind + " scenario " + seed);
        snapshots.get("untracked").forEach(repo::file);
        return;
      }
      Map<String, String> base = snapshots.get("base");
      base.forEach(repo::file);
      repo.commit("base");
      repo.branch("to");
      apply(repo, base, snapshots.get("to"));
      repo.commit("to");
      repo.checkout("main");
      repo.branch("from");
      apply(repo, base, snapshots.get("from"));
      repo.commit("from");
    }
  }

  private static void apply(RepoBuilder repo, Map<String, String> now, Map<String, String> want) {
    for (String p : now.keySet()) {
      if (!want.containsKey(p)) {
        repo.delete(p);
      }
    }
    want.forEach(repo::file);
  }

  /**
   * Checks every case against Django; returns, per case, null when migdiff and Django agree, or
   * the disagreement as "check: message". Graph check for every case (a switch case at FROM's
   * tip), merge and switch checks for switch cases.
   */
  /** The Django the cases are checked against: 3.2, or 5.2 with -Dmigdiff.fuzzDjango=5.2. */
  static final DjangoOracle.Version DJANGO = "5.2".equals(System.getProperty("migdiff.fuzzDjango"))
      ? DjangoOracle.DJANGO_52 : DjangoOracle.DJANGO_32;

  static List<String> check(List<DifferentialCase> cases, Path scratch) throws Exception {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Path dir = Files.createTempDirectory(scratch, cases.get(i).kind() + "-");
      cases.get(i).materialize(dir);
      dirs.add(dir);
    }
    List<String> results = new ArrayList<>();
    Map<Path, Map<String, Object>> graph = DjangoOracle.run(DJANGO, DjangoDifferentialTest.ORACLE, dirs);
    for (Path dir : dirs) {
      String diff;
      try {
        diff = DjangoDifferentialTest.compare(dir, graph.get(dir), DJANGO);
      } catch (RuntimeException | AssertionError e) {
        diff = "migdiff failed: " + e;
      }
      results.add(diff == null ? null : "graph: " + diff);
    }
    List<String> jobs = new ArrayList<>();
    Map<Path, Map<String, Object>> ours = new LinkedHashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      if (!cases.get(i).isSwitch() || results.get(i) != null) {
        continue; // a switch case that already fails the graph check keeps that disagreement
      }
      Path dir = dirs.get(i);
      try {
        jobs.add(SwitchDifferentialTest.job(dir, "from", "to", ours, DJANGO));
      } catch (RuntimeException | AssertionError e) {
        results.set(i, "switch: migdiff failed: " + e.getMessage());
      }
    }
    if (!jobs.isEmpty()) {
      Path jobFile = Files.createTempFile(scratch, "jobs", ".jsonl");
      Files.write(jobFile, jobs, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(DJANGO.python(), SwitchDifferentialTest.ORACLE.toString())
          .redirectInput(jobFile.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("the switch oracle timed out");
      }
      Map<Path, String> answers = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          Map<String, Object> django = Json.object(line);
          Path dir = Path.of((String) django.get("dir"));
          String diff = SwitchDifferentialTest.compare(ours.get(dir), django);
          answers.put(dir, diff == null ? "" : diff);
        }
      }
      for (Path dir : ours.keySet()) {
        int i = dirs.indexOf(dir);
        String diff = answers.get(dir);
        results.set(i, diff == null ? "switch: the oracle gave no answer"
            : diff.isEmpty() ? null : "switch: " + diff);
      }
    }
    for (Path dir : dirs) {
      delete(dir);
    }
    return results;
  }

  /** The switch oracle's job line for migdiff's report (the same glue as SwitchDifferentialTest). */

  /**
   * The kind of a disagreement, without its details: the message without its bracketed values,
   * except lists of finding codes ("switch: unapply order: Django, migdiff", "graph: Django raised
   * NodeNotFoundError but migdiff found []"). A shrink step is kept only when the smaller case
   * still disagrees with the same signature, so shrinking cannot drift to another disagreement.
   */
  /** "(SomeError: details)": the class of an error a side raised. */
  private static final java.util.regex.Pattern ERROR_GROUP =
      java.util.regex.Pattern.compile("\\((\\w+(?:Error|Exception)): .*\\)", java.util.regex.Pattern.DOTALL);

  static String signature(String disagreement) {
    if (disagreement == null) {
      return null;
    }
    // drop every bracketed value, except a plain list of finding codes ([dangling-dependency])
    StringBuilder out = new StringBuilder();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < disagreement.length(); i++) {
      char c = disagreement.charAt(i);
      if (c == '(' || c == '[' || c == '{') {
        if (depth++ == 0) {
          start = i;
        }
      } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
        if (--depth == 0) {
          String group = disagreement.substring(start, i + 1);
          java.util.regex.Matcher error = ERROR_GROUP.matcher(group);
          if (group.matches("\\[[a-z-]+(, [a-z-]+)*\\]|\\[\\]")) {
            out.append(group);
          } else if (error.matches()) {
            out.append('(').append(error.group(1)).append(')'); // which error, not its details
          }
        }
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString().replaceAll("\\s+", " ").replaceAll(" ([,:])", "$1")
        .replaceAll("[\\s:,]+$", "").trim();
  }

  // ---- shrinking -------------------------------------------------------------------------

  private static final Pattern TUPLE = Pattern.compile("\\(\\s*[\"'][^()\"']*[\"']\\s*,\\s*"
      + "[^()]*\\)\\s*,?\\s?");
  private static final Pattern CALL = Pattern.compile("migrations\\.\\w+\\([^()]*(\\([^()]*\\)[^()]*)*\\)\\s*,?\\s?");

  /** Number of files over all snapshots and their total size: the shrinker's measure. */
  int size() {
    int n = 0;
    for (Map<String, String> s : snapshots.values()) {
      for (String v : s.values()) {
        n += 1000 + v.length();
      }
    }
    return n;
  }

  /**
   * Smaller variants of this case, coarse first: drop an app (its files and the settings lines
   * naming it), drop half, a quarter, ... of the files, drop a migration, drop any
   * other file, undo one branch's change to a file, drop a branch's whole
   * change, drop a line of a migration, drop a dependency/run_before/replaces tuple, drop an
   * operation call.
   */
  List<DifferentialCase> shrinkSteps() {
    List<DifferentialCase> steps = new ArrayList<>();
    TreeSet<String> apps = new TreeSet<>();
    TreeSet<String> migrations = new TreeSet<>();
    for (Map<String, String> s : snapshots.values()) {
      for (String p : s.keySet()) {
        int at = p.indexOf("/migrations/");
        if (at > 0) {
          apps.add(p.substring(0, at));
          if (p.endsWith(".py") && !p.endsWith("/__init__.py")) {
            migrations.add(p);
          }
        }
      }
    }
    for (String app : apps) {
      String module = app.substring(app.lastIndexOf('/') + 1);
      steps.add(map((snap, files) -> {
        Map<String, String> out = new TreeMap<>();
        files.forEach((p, v) -> {
          if (!p.startsWith(app + "/")) {
            out.put(p, p.endsWith("settings.py") || p.endsWith(".cfg") || p.endsWith(".toml")
                ? dropLines(v, "\"" + module + "\"", "'" + module + "'", "." + module + "\"",
                    "." + module + "'") : v);
          }
        });
        return out;
      }));
    }
    TreeSet<String> paths = new TreeSet<>(migrations);
    for (Map.Entry<String, Map<String, String>> s : snapshots.entrySet()) {
      if (!"untracked".equals(s.getKey())) {
        paths.addAll(s.getValue().keySet());
      }
    }
    for (String m : migrations) {
      paths.remove(m);
    }
    List<String> order = new ArrayList<>(migrations); // migrations first, then any other file
    order.addAll(paths);
    // ddmin's coarse steps: drop half, then a quarter, ... of the files at once
    for (int chunk = order.size() / 2; chunk >= 2; chunk /= 2) {
      for (int start = 0; start < order.size(); start += chunk) {
        List<String> drop = order.subList(start, Math.min(order.size(), start + chunk));
        steps.add(map((snap, files) -> {
          Map<String, String> out = new TreeMap<>(files);
          out.keySet().removeAll(drop);
          return out;
        }));
      }
    }
    for (String m : order) {
      steps.add(map((snap, files) -> {
        Map<String, String> out = new TreeMap<>(files);
        out.remove(m);
        return out;
      }));
    }
    if (isSwitch()) {
      for (String branch : List.of("to", "from")) {
        steps.add(withSnapshot(branch, new TreeMap<>(snapshots.get("base"))));
        TreeSet<String> changed = new TreeSet<>(snapshots.get(branch).keySet());
        changed.addAll(snapshots.get("base").keySet());
        for (String p : changed) {
          String was = snapshots.get("base").get(p);
          String now = snapshots.get(branch).get(p);
          if (!java.util.Objects.equals(was, now)) {
            Map<String, String> out = new TreeMap<>(snapshots.get(branch));
            if (was == null) {
              out.remove(p);
            } else {
              out.put(p, was);
            }
            steps.add(withSnapshot(branch, out));
          }
        }
      }
    }
    for (String m : migrations) {
      for (Pattern pattern : new Pattern[] {null, TUPLE, CALL}) {
        int most = 0;
        for (Map<String, String> s : snapshots.values()) {
          String text = s.get(m);
          if (text != null) {
            most = Math.max(most, pattern == null ? text.split("\n", -1).length
                : (int) pattern.matcher(text).results().count());
          }
        }
        for (int k = 0; k < most; k++) {
          final int kk = k;
          steps.add(map((snap, files) -> {
            String text = files.get(m);
            if (text == null) {
              return files;
            }
            Map<String, String> out = new TreeMap<>(files);
            out.put(m, pattern == null ? dropLine(text, kk) : dropMatch(text, pattern, kk));
            return out;
          }));
        }
      }
    }
    steps.removeIf(c -> c.snapshots.equals(snapshots));
    return steps;
  }

  private interface SnapshotMap {
    Map<String, String> apply(String snapshot, Map<String, String> files);
  }

  private DifferentialCase map(SnapshotMap f) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    snapshots.forEach((k, v) -> out.put(k, "untracked".equals(k) ? v : f.apply(k, v)));
    return new DifferentialCase(kind, seed, out);
  }

  private DifferentialCase withSnapshot(String name, Map<String, String> files) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>(snapshots);
    out.put(name, files);
    return new DifferentialCase(kind, seed, out);
  }

  private static String dropLines(String text, String... needles) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      boolean hit = false;
      for (String n : needles) {
        hit |= line.contains(n);
      }
      if (!hit) {
        b.append(line).append('\n');
      }
    }
    return b.length() == 0 ? "" : b.substring(0, b.length() - 1);
  }

  private static String dropLine(String text, int k) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (k < lines.size()) {
      lines.remove(k);
    }
    return String.join("\n", lines);
  }

  private static String dropMatch(String text, Pattern p, int k) {
    Matcher m = p.matcher(text);
    for (int i = 0; m.find(); i++) {
      if (i == k) {
        return text.substring(0, m.start()) + text.substring(m.end());
      }
    }
    return text;
  }

  /** Checks a group of cases: per case null (agreement) or the disagreement. */
  interface Checker {
    List<String> check(List<DifferentialCase> cases) throws Exception;
  }

  /** A shrinking's result: the smallest case found, its disagreement, attempts and steps kept. */
  record Shrunk(DifferentialCase shrunk, String disagreement, int attempts, int steps) {}

  /**
   * Greedy delta debugging: tries {@link #shrinkSteps} in groups of {@code batch} (one Django run
   * per group), keeps the first smaller case whose disagreement has the same {@link #signature},
   * and goes on from that step; when a pass from the start keeps nothing, the case is minimal for
   * these steps. Stops after {@code maxAttempts} checked cases or at {@code deadline} (millis).
   */
  static Shrunk shrink(DifferentialCase c, String disagreement, Checker checker, int batch,
      int maxAttempts, long deadline) {
    String signature = signature(disagreement);
    DifferentialCase small = c;
    String smallDiff = disagreement;
    int attempts = 0;
    int kept = 0;
    int from = 0;
    while (attempts < maxAttempts && System.currentTimeMillis() < deadline) {
      boolean progress = false;
      List<DifferentialCase> steps = small.shrinkSteps();
      for (int at = Math.min(from, steps.size()); !progress && at < steps.size()
          && attempts < maxAttempts && System.currentTimeMillis() < deadline; at += batch) {
        List<DifferentialCase> group = steps.subList(at, Math.min(steps.size(), at + batch));
        attempts += group.size();
        List<String> results;
        try {
          results = checker.check(group);
        } catch (Exception | AssertionError e) {
          continue;
        }
        for (int k = 0; k < group.size() && !progress; k++) {
          if (signature.equals(signature(results.get(k))) && group.get(k).size() < small.size()) {
            small = group.get(k);
            smallDiff = results.get(k);
            from = at + k;
            progress = true;
            kept++;
          }
        }
      }
      if (!progress) {
        if (from == 0) {
          break; // a whole pass removed nothing: the case is minimal for these steps
        }
        from = 0; // one more pass from the coarse steps
      }
    }
    return new Shrunk(small, smallDiff, attempts, kept);
  }

  // ---- saving ----------------------------------------------------------------------------

  /**
   * Writes the case to {@code dir}: manifest.properties (kind, seed, the disagreement, its
   * signature and {@code status}) and one text file per snapshot, each file as
   * {@code --- FILE <chars> <path>}, a newline, then exactly that many characters and a newline.
   */
  void save(Path dir, String disagreement, String status) throws IOException {
    Files.createDirectories(dir);
    Properties m = new Properties();
    m.setProperty("kind", kind);
    m.setProperty("seed", Long.toString(seed));
    m.setProperty("signature", signature(disagreement));
    m.setProperty("disagreement", disagreement);
    m.setProperty("status", status);
    try (var w = Files.newBufferedWriter(dir.resolve("manifest.properties"))) {
      m.store(w, "differential regression input (scripts/differential); status: open = migdiff "
          + "or the oracle is still wrong here, fixed = the case must agree with Django");
    }
    for (Map.Entry<String, Map<String, String>> s : snapshots.entrySet()) {
      StringBuilder b = new StringBuilder();
      s.getValue().forEach((p, v) -> b.append("--- FILE ").append(v.length()).append(' ').append(p)
          .append('\n').append(v).append('\n'));
      Files.writeString(dir.resolve(s.getKey() + ".txt"), b.toString());
    }
  }

  static Properties manifest(Path dir) throws IOException {
    Properties m = new Properties();
    try (var r = Files.newBufferedReader(dir.resolve("manifest.properties"))) {
      m.load(r);
    }
    return m;
  }

  static DifferentialCase load(Path dir) throws IOException {
    Properties m = manifest(dir);
    String kind = m.getProperty("kind");
    Map<String, Map<String, String>> snaps = new LinkedHashMap<>();
    for (String name : "switch".equals(kind) ? SWITCH_SNAPSHOTS : GRAPH_SNAPSHOTS) {
      Map<String, String> files = new TreeMap<>();
      Path f = dir.resolve(name + ".txt");
      String text = Files.exists(f) ? Files.readString(f) : "";
      int at = 0;
      while (at < text.length()) {
        int nl = text.indexOf('\n', at);
        String header = text.substring(at, nl);
        if (!header.startsWith("--- FILE ")) {
          throw new IOException(f + ": bad header at char " + at + ": " + header);
        }
        String rest = header.substring("--- FILE ".length());
        int sp = rest.indexOf(' ');
        int chars = Integer.parseInt(rest.substring(0, sp));
        files.put(rest.substring(sp + 1), text.substring(nl + 1, nl + 1 + chars));
        at = nl + 1 + chars + 1;
      }
      snaps.put(name, files);
    }
    return new DifferentialCase(kind, Long.parseLong(m.getProperty("seed")), snaps);
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
