package dev.migdiff.oracle;

import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random two-branch Django projects for the switch and merge differential tests: a base with a
 * chain per app, then branches {@code from} and {@code to} that each add migrations (cross-app
 * ones, forks closed by merge migrations, squashes, irreversible RunPython), and on {@code to}
 * renamed or edited migrations. Migrations run for real on SQLite, so operations are real.
 *
 * <p>With {@code shapes} it also makes the shapes where TO's graph, not its list of files,
 * decides what must go: {@code run_before} added on one branch, TO adding dependencies to
 * migrations both branches have, TO squashing applied migrations (one of them edited),
 * {@code __latest__} dependencies that resolve differently per branch, and an app whose label
 * changes on TO. Without it the random draws are those of the original generator, so the
 * status scenarios built on it stay the same.
 */
public final class SwitchScenarioGenerator {
  private static final String OP = "migrations.RunSQL(\"SELECT 1\", migrations.RunSQL.noop)";
  private static final String IRREVERSIBLE = "migrations.RunPython(lambda apps, schema_editor: None)";

  private final Random r;
  private final boolean shapes;
  private final List<String> apps = new ArrayList<>();
  private final List<String> features = new ArrayList<>();

  private SwitchScenarioGenerator(long seed, boolean shapes) {
    r = new Random(seed);
    this.shapes = shapes;
  }

  /** Builds the repository in {@code dir}; returns the features it exercises. */
  public static List<String> build(long seed, Path dir) {
    return build(seed, dir, false);
  }

  /** As above; {@code shapes} adds the graph-changing shapes (see the class comment). */
  public static List<String> build(long seed, Path dir, boolean shapes) {
    SwitchScenarioGenerator g = new SwitchScenarioGenerator(seed, shapes);
    try (RepoBuilder repo = RepoBuilder.init(dir)) {
      g.run(repo);
    }
    return g.features;
  }

  /** The files and leaves of one branch as it is being built. */
  private static final class Branch {
    final Map<String, String> tip = new LinkedHashMap<>();
    final Map<String, Integer> next = new LinkedHashMap<>();
    final Map<String, List<String>> chain = new LinkedHashMap<>();
    /** Every migration file written on this branch, by path. */
    final Map<String, String> files = new LinkedHashMap<>();
    /** Migrations some squash on this branch replaces. */
    final java.util.Set<String> squashed = new java.util.HashSet<>();
  }

  private boolean chance(double p) {
    return r.nextDouble() < p;
  }

  private void run(RepoBuilder repo) {
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      apps.add("s" + i + (char) ('a' + r.nextInt(26)));
    }
    repo.file("manage.py", "import os\n\n\ndef main():\n"
        + "    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n");
    repo.file("mysite/__init__.py", "");
    repo.file("requirements.txt", "Django==3.2.25\n");
    StringBuilder settings = new StringBuilder("import os\n\nSECRET_KEY = \"switch\"\n"
        + "INSTALLED_APPS = [\n");
    for (String a : apps) {
      settings.append("    \"").append(a).append("\",\n");
      repo.file(a + "/__init__.py", "").file(a + "/migrations/__init__.py", "");
    }
    settings.append("]\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\", "
        + "\"NAME\": os.environ.get(\"MIGDIFF_DB\", \"db.sqlite3\")}}\n"
        // The PostgreSQL tests point Django at their server as host:port:user:password.
        + "if os.environ.get(\"MIGDIFF_PG\"):\n"
        + "    _h, _p, _u, _w = os.environ[\"MIGDIFF_PG\"].split(\":\")\n"
        + "    DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", "
        + "\"HOST\": _h, \"PORT\": _p, \"USER\": _u, \"PASSWORD\": _w, "
        + "\"NAME\": os.environ[\"MIGDIFF_DB\"]}}\n");
    repo.file("mysite/settings.py", settings.toString());
    Branch base = new Branch();
    for (int i = 0; i < apps.size(); i++) {
      String app = apps.get(i);
      int len = 1 + r.nextInt(3);
      for (int k = 0; k < len; k++) {
        List<String> deps = new ArrayList<>();
        if (k > 0) {
          deps.add(t(app, base.tip.get(app)));
        }
        if (i > 0 && chance(0.3)) {
          String other = apps.get(r.nextInt(i));
          if (shapes && chance(0.35)) {
            deps.add(t(other, "__latest__"));
            features.add("latest");
          } else {
            deps.add(t(other, chance(0.3) ? "__first__" : base.tip.get(other)));
          }
        }
        add(repo, base, app, String.format("%04d_base%d", k + 1, k), deps, OP);
      }
    }
    repo.commit("base");
    Branch to = copy(base);
    repo.branch("to");
    mutate(repo, to, base, "t", true);
    repo.commit("to");
    repo.checkout("main");
    repo.branch("from");
    Branch from = copy(base);
    mutate(repo, from, base, "f", false);
    repo.commit("from");
  }

  private static Branch copy(Branch b) {
    Branch c = new Branch();
    c.tip.putAll(b.tip);
    c.next.putAll(b.next);
    b.chain.forEach((k, v) -> c.chain.put(k, new ArrayList<>(v)));
    c.files.putAll(b.files);
    c.squashed.addAll(b.squashed);
    return c;
  }

  private static String t(String app, String name) {
    return "(\"" + app + "\", \"" + name + "\")";
  }

  private void add(RepoBuilder repo, Branch b, String app, String name, List<String> deps,
      String op) {
    add(repo, b, app, name, deps, op, "");
  }

  private void add(RepoBuilder repo, Branch b, String app, String name, List<String> deps,
      String op, String extra) {
    write(repo, b, app, name, deps, op, extra);
    b.tip.put(app, name);
    b.next.merge(app, 2, (x, y) -> x + 1);
    b.chain.computeIfAbsent(app, k -> new ArrayList<>()).add(name);
  }

  /** Writes a migration file without making it the app's tip. */
  private static void write(RepoBuilder repo, Branch b, String app, String name, List<String> deps,
      String op, String extra) {
    String path = app + "/migrations/" + name + ".py";
    String text = "from django.db import migrations\n\n\n"
        + "class Migration(migrations.Migration):\n    dependencies = [" + String.join(", ", deps)
        + "]\n" + extra + "    operations = [" + op + "]\n";
    repo.file(path, text);
    b.files.put(path, text);
  }

  private String number(Branch b, String app) {
    return String.format("%04d", b.chain.getOrDefault(app, List.of()).size() + 1);
  }

  private void mutate(RepoBuilder repo, Branch b, Branch base, String side, boolean isTo) {
    int k = r.nextInt(4);
    for (int n = 0; n < k; n++) {
      int i = r.nextInt(apps.size());
      String app = apps.get(i);
      List<String> deps = new ArrayList<>(List.of(t(app, b.tip.get(app))));
      if (i > 0 && chance(0.35)) {
        String other = apps.get(r.nextInt(i));
        deps.add(t(other, b.tip.get(other)));
        features.add("cross-app");
      }
      String op = !isTo && chance(0.1) ? IRREVERSIBLE : OP;
      if (op.equals(IRREVERSIBLE)) {
        features.add("irreversible");
      }
      add(repo, b, app, number(b, app) + "_" + side + n, deps, op);
    }
    if (chance(0.15)) {
      String app = apps.get(r.nextInt(apps.size()));
      String tip = b.tip.get(app);
      String num = number(b, app);
      add(repo, b, app, num + "_" + side + "x", List.of(t(app, tip)), OP);
      add(repo, b, app, num + "_" + side + "y", List.of(t(app, tip)), OP);
      add(repo, b, app, String.format("%04d", Integer.parseInt(num) + 1) + "_merge_" + side,
          List.of(t(app, num + "_" + side + "x"), t(app, num + "_" + side + "y")), OP);
      features.add("merge-migration");
    }
    if (chance(0.1)) {
      String app = apps.get(r.nextInt(apps.size()));
      List<String> chain = base.chain.get(app);
      if (chain.size() >= 2) {
        String squash = "0001_squashed_" + chain.get(1) + "_" + side;
        String text = "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = []\n"
            + "    replaces = [" + t(app, chain.get(0)) + ", " + t(app, chain.get(1)) + "]\n"
            + "    operations = [" + OP + "]\n";
        repo.file(app + "/migrations/" + squash + ".py", text);
        b.files.put(app + "/migrations/" + squash + ".py", text);
        b.squashed.add(app + "." + chain.get(0));
        b.squashed.add(app + "." + chain.get(1));
        features.add("squash");
      }
    }
    if (isTo && chance(0.1)) {
      String app = apps.get(r.nextInt(apps.size()));
      String leaf = base.tip.get(app);
      if (leaf.equals(b.tip.get(app)) && !leaf.startsWith("0001")) {
        repo.delete(app + "/migrations/" + leaf + ".py");
        b.files.remove(app + "/migrations/" + leaf + ".py");
        List<String> chain = b.chain.get(app);
        String parent = chain.get(chain.size() - 2);
        chain.remove(chain.size() - 1);
        b.tip.put(app, parent);
        add(repo, b, app, leaf + "_renamed", List.of(t(app, parent)), OP);
        features.add("renamed");
      }
    }
    if (isTo && apps.size() >= 2 && chance(0.15)) {
      String app = apps.get(1 + r.nextInt(apps.size() - 1));
      String leaf = base.tip.get(app);
      String lower = apps.get(0);
      String fresh = number(b, lower) + "_" + side + "dep";
      add(repo, b, lower, fresh, List.of(t(lower, b.tip.get(lower))), OP);
      List<String> chain = base.chain.get(app);
      String parentDep = chain.size() >= 2 ? t(app, chain.get(chain.size() - 2)) : null;
      List<String> deps = new ArrayList<>();
      if (parentDep != null) {
        deps.add(parentDep);
      }
      deps.add(t(lower, fresh));
      if (leaf.equals(b.tip.get(app))) {
        String text = "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = ["
            + String.join(", ", deps) + "]\n    operations = [" + OP + "]\n";
        repo.file(app + "/migrations/" + leaf + ".py", text);
        b.files.put(app + "/migrations/" + leaf + ".py", text);
        features.add("edited-dependencies");
      }
    }
    if (shapes) {
      shapes(repo, b, base, side, isTo);
    }
  }

  /** The shapes where TO's graph decides what must go (see the class comment). */
  private void shapes(RepoBuilder repo, Branch b, Branch base, String side, boolean isTo) {
    if (chance(0.2)) {
      // A new migration that must run before one both branches have.
      int i = r.nextInt(apps.size());
      String app = apps.get(i);
      List<String> chain = base.chain.get(app);
      String before = chain.get(r.nextInt(chain.size()));
      List<String> deps = new ArrayList<>();
      if (i > 0 && chance(0.5)) {
        String lower = apps.get(r.nextInt(i));
        deps.add(t(lower, b.tip.get(lower)));
      }
      if (b.files.containsKey(app + "/migrations/" + before + ".py")) {
        write(repo, b, app, number(b, app) + "_" + side + "rb", deps, OP,
            "    run_before = [" + t(app, before) + "]\n");
        features.add("run-before-" + side);
      }
    }
    if (isTo && apps.size() >= 2 && chance(0.25)) {
      // TO adds a dependency to a migration both branches have: on a migration new on TO, or
      // on one both have (then nothing changes for Django).
      int i = 1 + r.nextInt(apps.size() - 1);
      String app = apps.get(i);
      String lower = apps.get(r.nextInt(i));
      List<String> chain = base.chain.get(app);
      String edited = chain.get(r.nextInt(chain.size()));
      String dep;
      if (chance(0.6)) {
        dep = number(b, lower) + "_" + side + "e";
        add(repo, b, lower, dep, List.of(t(lower, b.tip.get(lower))), OP);
        features.add("edited-to-new");
      } else {
        List<String> lowerChain = base.chain.get(lower);
        dep = lowerChain.get(r.nextInt(lowerChain.size()));
        features.add("edited-to-old");
      }
      addDependency(repo, b, app + "/migrations/" + edited + ".py", t(lower, dep));
    }
    if (isTo && chance(0.2)) {
      // TO squashes two applied migrations, the first one edited (one more dependency).
      String app = apps.get(r.nextInt(apps.size()));
      List<String> chain = base.chain.get(app);
      if (chain.size() >= 2) {
        int k = r.nextInt(chain.size() - 1);
        String first = chain.get(k);
        String second = chain.get(k + 1);
        String firstPath = app + "/migrations/" + first + ".py";
        String secondPath = app + "/migrations/" + second + ".py";
        if (b.files.containsKey(firstPath) && b.files.containsKey(secondPath)
            && !b.squashed.contains(app + "." + first) && !b.squashed.contains(app + "." + second)) {
          if (chance(0.7)) {
            String fresh = number(b, app) + "_" + side + "s";
            List<String> deps = k > 0 ? List.of(t(app, chain.get(k - 1))) : List.of();
            write(repo, b, app, fresh, deps, OP, "");
            addDependency(repo, b, firstPath, t(app, fresh));
            features.add("squash-edited");
          }
          List<String> deps = new ArrayList<>(dependencies(b.files.get(firstPath)));
          for (String d : dependencies(b.files.get(secondPath))) {
            if (!d.equals(t(app, first)) && !deps.contains(d)) {
              deps.add(d);
            }
          }
          write(repo, b, app, first.substring(0, 4) + "_squashed_" + second + "_" + side + "q",
              deps, OP, "    replaces = [" + t(app, first) + ", " + t(app, second) + "]\n");
          b.squashed.add(app + "." + first);
          b.squashed.add(app + "." + second);
          features.add("squash-applied");
        }
      }
    }
    if (isTo && apps.size() >= 2 && chance(0.1)) {
      // The last app (no other app depends on it) gets another label on TO.
      String app = apps.get(apps.size() - 1);
      String label = app + "v2";
      repo.file(app + "/apps.py", "from django.apps import AppConfig\n\n\n"
          + "class Config(AppConfig):\n    name = \"" + app + "\"\n    label = \"" + label
          + "\"\n");
      for (Map.Entry<String, String> e : new ArrayList<>(b.files.entrySet())) {
        if (e.getKey().startsWith(app + "/migrations/")) {
          String text = e.getValue().replace("(\"" + app + "\", ", "(\"" + label + "\", ");
          repo.file(e.getKey(), text);
          b.files.put(e.getKey(), text);
        }
      }
      features.add("label-change");
    }
  }

  private static void addDependency(RepoBuilder repo, Branch b, String path, String dep) {
    String text = b.files.get(path);
    if (text == null) {
      return;
    }
    List<String> deps = new ArrayList<>(dependencies(text));
    if (deps.contains(dep)) {
      return;
    }
    deps.add(dep);
    text = text.replaceFirst("dependencies = \\[[^\\]]*\\]",
        java.util.regex.Matcher.quoteReplacement("dependencies = [" + String.join(", ", deps) + "]"));
    repo.file(path, text);
    b.files.put(path, text);
  }

  /** The dependency tuples of a generated migration file, as written. */
  private static List<String> dependencies(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("dependencies = \\[([^\\]]*)\\]")
        .matcher(text);
    List<String> out = new ArrayList<>();
    if (m.find()) {
      java.util.regex.Matcher t = java.util.regex.Pattern.compile("\\(\"[^\"]*\", \"[^\"]*\"\\)")
          .matcher(m.group(1));
      while (t.find()) {
        out.add(t.group());
      }
    }
    return out;
  }
}
