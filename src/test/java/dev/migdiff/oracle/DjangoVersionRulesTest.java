package dev.migdiff.oracle;

import static dev.migdiff.testing.Django.migration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.Json;
import dev.migdiff.testing.RepoBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules that differ between Django 3.2 and 5.2, each under each version's rules: migdiff told
 * the version ({@code --django-version}) against that real Django, and the expected difference
 * asserted so that a test which stopped exercising it would fail. Django 5.2's side was read in
 * its source (apps/config.py AppConfig.create, db/migrations/executor.py unapply_migration and
 * migration_plan, core/management/commands/migrate.py).
 */
class DjangoVersionRulesTest {
  static final Path GRAPH_ORACLE = Path.of("src/test/resources/oracle/django_oracle.py");
  static final Path RULES_ORACLE = Path.of("src/test/resources/oracle/version_rules_oracle.py");

  @TempDir Path tmp;

  private static boolean is32(DjangoOracle.Version v) {
    return v.equals(DjangoOracle.DJANGO_32);
  }

  /**
   * {@code default_app_config} (apps/config.py, AppConfig.create): followed until 4.0 (3.2
   * warns, RemovedInDjango41Warning), ignored from 4.1, where the app gets the default config.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  @SuppressWarnings("unchecked")
  void defaultAppConfig(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    Path dir = tmp.resolve("default-app-config");
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop", "blog"), "");
      r.file("shop/__init__.py", "default_app_config = \"shop.config.StoreConfig\"\n");
      r.file("shop/config.py", "from django.apps import AppConfig\n\n\n"
          + "class StoreConfig(AppConfig):\n    name = \"shop\"\n    label = \"store\"\n");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_more.py", migration(is32(v)
          ? "(\"store\", \"0001_initial\")" : "(\"shop\", \"0001_initial\")"));
      r.file("blog/migrations/0001_initial.py", migration("(\"" + (is32(v) ? "store" : "shop")
          + "\", \"__first__\")"));
      r.commit("an app labelled by default_app_config");
    }
    Map<String, Object> django = DjangoOracle.run(v, GRAPH_ORACLE, List.of(dir)).get(dir);
    assertNull(django.get("error"), "Django: " + django.get("error"));
    Map<String, Object> ours = migdiff(dir, v, "graph", "--format", "json", "HEAD");
    Map<String, Object> ourLeaves = new TreeMap<>();
    for (Map<String, Object> app : (List<Map<String, Object>>) ours.get("apps")) {
      ourLeaves.put((String) app.get("app"), app.get("leaves"));
    }
    assertEquals(new TreeMap<>((Map<String, Object>) django.get("apps")), ourLeaves);
    assertEquals(List.of(), ours.get("problems"));
    // The difference itself: 3.2 follows default_app_config, 5.2 ignores it.
    assertEquals(is32(v) ? "store" : "shop", ourLeaves.containsKey("store") ? "store" : "shop");
  }

  /**
   * Unapplying a squash (executor.py, unapply_migration): 3.2 deletes only the replaced names'
   * rows, so the squash's own row stays behind as a phantom at TO; from 4.0 (#25255) it is
   * deleted too. migdiff reports the rows it expects to stay as leftoverRecords.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  @SuppressWarnings("unchecked")
  void squashRowOnUnapply(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    Path dir = tmp.resolve("squash-row");
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r);
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_b.py", migration("(\"shop\", \"0001_initial\")"));
      r.commit("to");
      r.tag("to");
      r.file("shop/migrations/0003_c.py", migration("(\"shop\", \"0002_b\")"));
      r.file("shop/migrations/0004_d.py", migration("(\"shop\", \"0003_c\")"));
      r.file("shop/migrations/0003_squashed_0004_d.py", migration("(\"shop\", \"0002_b\")",
          "    replaces = [(\"shop\", \"0003_c\"), (\"shop\", \"0004_d\")]\n"));
      r.commit("from");
      r.tag("from");
    }
    Map<String, Object> ours = migdiff(dir, v, "diff", "--format", "json", "from", "to");
    Map<String, Object> sw = (Map<String, Object>) ours.get("switch");
    List<List<String>> steps = new ArrayList<>();
    steps.add(List.of("from"));
    for (Map<String, Object> c : (List<Map<String, Object>>) sw.get("commands")) {
      steps.add(List.of("from", (String) c.get("app"), (String) c.get("target")));
    }
    assertEquals(2, steps.size(), "one command: " + sw.get("commands"));
    Map<String, Object> django = rules(v, dir, steps);
    List<Map<String, Object>> ran = (List<Map<String, Object>>) django.get("steps");
    ran.forEach(s -> assertNull(s.get("error"), "Django: " + s.get("error")));
    assertEquals(List.of(List.of("shop", "0003_squashed_0004_d")), ran.get(1).get("unapplied"));
    List<List<String>> phantoms = new ArrayList<>();
    for (List<String> row : (List<List<String>>) django.get("rows")) {
      if (!List.of("0001_initial", "0002_b").contains(row.get(1)) && row.get(0).equals("shop")) {
        phantoms.add(row);
      }
    }
    List<List<String>> leftover = new ArrayList<>();
    for (Map<String, Object> k : (List<Map<String, Object>>) sw.get("leftoverRecords")) {
      leftover.add(List.of((String) k.get("app"), (String) k.get("name")));
    }
    assertEquals(phantoms, leftover, "rows left at TO");
    assertEquals(is32(v) ? List.of(List.of("shop", "0003_squashed_0004_d")) : List.of(), leftover);
  }

  /**
   * {@code migrate APP SQUASH} while the squash is partially applied: 5.2's migrate.py
   * substitutes the squash's last replaced migration (the squash is not in the graph); 3.2
   * passes the squash to forwards_plan, which raises NodeNotFoundError. migdiff never names
   * such a target (its plans use the graph built from the applied rows, where the originals
   * stand); what it predicts, the migrations still to apply, must be what Django applies.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  @SuppressWarnings("unchecked")
  void migrateToAPartiallyAppliedSquash(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    Path dir = tmp.resolve("partial-squash");
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r);
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.commit("a");
      r.tag("a");
      r.file("shop/migrations/0002_b.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_c.py", migration("(\"shop\", \"0002_b\")"));
      r.file("shop/migrations/0001_squashed_0003_c.py", migration("",
          "    replaces = [(\"shop\", \"0001_initial\"), (\"shop\", \"0002_b\"), (\"shop\", \"0003_c\")]\n"));
      r.commit("b");
      r.tag("b");
    }
    Path db = tmp.resolve("partial.sqlite3");
    Map<String, Object> first = rules(v, dir, List.of(List.of("a")));
    assertNull(((List<Map<String, Object>>) first.get("steps")).get(0).get("error"));
    // migdiff at b with the database that has only 0001_initial: what migrate would apply.
    Map<String, Object> status = migdiff(dir, v, "status", "--format", "json",
        "--database", "sqlite:///" + db);
    List<List<String>> ourUnapplied = new ArrayList<>();
    for (Map<String, Object> k : (List<Map<String, Object>>) status.get("unapplied")) {
      ourUnapplied.add(List.of((String) k.get("app"), (String) k.get("name")));
    }
    assertEquals(List.of(List.of("shop", "0002_b"), List.of("shop", "0003_c")), ourUnapplied);
    Map<String, Object> django = rules(v, dir, List.of(List.of("b", "shop", "0001_squashed_0003_c")));
    Map<String, Object> step = ((List<Map<String, Object>>) django.get("steps")).get(0);
    if (is32(v)) {
      assertTrue(String.valueOf(step.get("error")).startsWith("NodeNotFoundError"),
          "3.2 refuses the target: " + step);
      // What 3.2 can run instead: plain migrate, which applies exactly migdiff's list.
      step = ((List<Map<String, Object>>) rules(v, dir, List.of(List.of("b", "shop")))
          .get("steps")).get(0);
    }
    assertNull(step.get("error"), "Django: " + step.get("error"));
    assertEquals(ourUnapplied, step.get("applied"));
  }

  /**
   * {@code migrate APP --prune} exists from Django 4.1 (migrate.py: it deletes the rows of
   * migrations that are no longer on disk). A squash whose replaced migrations TO still has
   * leaves its own row behind when switching to TO: migdiff reports it as a leftover record,
   * "harmless (Django 4.1+: migrate shop --prune removes it)". Under each version's real Django:
   * the row is harmless (migrate at TO succeeds), 5.2's {@code --prune} removes exactly the rows
   * migdiff names, and 3.2 refuses the option.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  @SuppressWarnings("unchecked")
  void pruneRemovesTheLeftoverSquashRowFrom41(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    Path dir = tmp.resolve("prune");
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r);
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_b.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_c.py", migration("(\"shop\", \"0002_b\")"));
      r.commit("to");
      r.tag("to");
      r.file("shop/migrations/0002_squashed_0003_c.py", migration("(\"shop\", \"0001_initial\")",
          "    replaces = [(\"shop\", \"0002_b\"), (\"shop\", \"0003_c\")]\n"));
      r.commit("from");
      r.tag("from");
    }
    Map<String, Object> ours = migdiff(dir, v, "diff", "--format", "json", "from", "to");
    Map<String, Object> sw = (Map<String, Object>) ours.get("switch");
    assertEquals(List.of(), sw.get("commands"), "nothing to unapply");
    List<List<String>> leftover = new ArrayList<>();
    for (Map<String, Object> k : (List<Map<String, Object>>) sw.get("leftoverRecords")) {
      leftover.add(List.of((String) k.get("app"), (String) k.get("name")));
    }
    assertEquals(List.of(List.of("shop", "0002_squashed_0003_c")), leftover);
    Map<String, Object> django = rules(v, dir, List.of(List.of("from"), List.of("to"),
        List.of("to", "shop", "--prune")));
    List<Map<String, Object>> ran = (List<Map<String, Object>>) django.get("steps");
    assertNull(ran.get(0).get("error"), "migrate at FROM: " + ran.get(0));
    assertNull(ran.get(1).get("error"), "the leftover row is harmless at TO: " + ran.get(1));
    List<List<String>> shopRows = new ArrayList<>();
    for (List<String> row : (List<List<String>>) django.get("rows")) {
      if (row.get(0).equals("shop")) {
        shopRows.add(row);
      }
    }
    List<List<String>> files = List.of(List.of("shop", "0001_initial"), List.of("shop", "0002_b"),
        List.of("shop", "0003_c"));
    if (is32(v)) {
      assertTrue(String.valueOf(ran.get(2).get("error")).contains("--prune"),
          "3.2 has no --prune: " + ran.get(2));
      List<List<String>> withLeftover = new ArrayList<>(files);
      withLeftover.addAll(leftover);
      withLeftover.sort(java.util.Comparator.comparing(List::toString));
      shopRows.sort(java.util.Comparator.comparing(List::toString));
      assertEquals(withLeftover, shopRows, "3.2 keeps the row migdiff names");
    } else {
      assertNull(ran.get(2).get("error"), "5.2: " + ran.get(2));
      assertEquals(files, shopRows, "--prune removes exactly the leftover row");
    }
  }

  // ---- helpers ----

  private void project(RepoBuilder r) {
    Django.project(r, List.of("shop"), "import os\nDATABASES = {\"default\": {\"ENGINE\": "
        + "\"django.db.backends.sqlite3\", \"NAME\": os.environ.get(\"MIGDIFF_DB\", \"db.sqlite3\")}}\n");
  }

  private static Map<String, Object> migdiff(Path dir, DjangoOracle.Version v, String command,
      String... args) {
    List<String> full = new ArrayList<>(List.of("-C", dir.toString(), command));
    full.addAll(v.migdiffArgs());
    full.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(full.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    assertTrue(code == 0 || code == 1, "migdiff exited " + code + ": " + err);
    return Json.object(out.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code migrate} steps ([ref, args...]) with real Django on the scenario's database. */
  private Map<String, Object> rules(DjangoOracle.Version v, Path dir, List<List<String>> steps)
      throws Exception {
    StringBuilder job = new StringBuilder("{\"dir\": ").append(quote(dir.toString()))
        .append(", \"db\": ").append(quote(tmp.resolve(dbName(dir)).toString()))
        .append(", \"steps\": [");
    for (int i = 0; i < steps.size(); i++) {
      List<String> s = steps.get(i);
      job.append(i == 0 ? "" : ", ").append("{\"ref\": ").append(quote(s.get(0)))
          .append(", \"args\": [");
      for (int j = 1; j < s.size(); j++) {
        job.append(j == 1 ? "" : ", ").append(quote(s.get(j)));
      }
      job.append("]}");
    }
    job.append("]}");
    Path jobs = tmp.resolve("job.jsonl");
    Files.writeString(jobs, job + "\n");
    Process p = new ProcessBuilder(v.python(), RULES_ORACLE.toString()).redirectInput(jobs.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "oracle failed: " + out);
    return Json.object(out.trim());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String dbName(Path dir) {
    return dir.getFileName().toString().equals("partial-squash") ? "partial.sqlite3"
        : dir.getFileName() + ".sqlite3";
  }
}
