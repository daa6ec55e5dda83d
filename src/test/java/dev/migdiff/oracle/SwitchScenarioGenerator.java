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
 */
public final class SwitchScenarioGenerator {
  private static final String OP = "migrations.RunSQL(\"SELECT 1\", migrations.RunSQL.noop)";
  private static final String IRREVERSIBLE = "migrations.RunPython(lambda apps, schema_editor: None)";

  private final Random r;
  private final List<String> apps = new ArrayList<>();
  private final List<String> features = new ArrayList<>();

  private SwitchScenarioGenerator(long seed) {
    r = new Random(seed);
  }

  /** Builds the repository in {@code dir}; returns the features it exercises. */
  public static List<String> build(long seed, Path dir) {
    SwitchScenarioGenerator g = new SwitchScenarioGenerator(seed);
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
          deps.add(t(other, chance(0.3) ? "__first__" : base.tip.get(other)));
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
    repo.file(app + "/migrations/" + name + ".py", "from django.db import migrations\n\n\n"
        + "class Migration(migrations.Migration):\n    dependencies = [" + String.join(", ", deps)
        + "]\n" + extra + "    operations = [" + op + "]\n");
    b.tip.put(app, name);
    b.next.merge(app, 2, (x, y) -> x + 1);
    b.chain.computeIfAbsent(app, k -> new ArrayList<>()).add(name);
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
        repo.file(app + "/migrations/" + squash + ".py", "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = []\n"
            + "    replaces = [" + t(app, chain.get(0)) + ", " + t(app, chain.get(1)) + "]\n"
            + "    operations = [" + OP + "]\n");
        features.add("squash");
      }
    }
    if (isTo && chance(0.1)) {
      String app = apps.get(r.nextInt(apps.size()));
      String leaf = base.tip.get(app);
      if (leaf.equals(b.tip.get(app)) && !leaf.startsWith("0001")) {
        repo.delete(app + "/migrations/" + leaf + ".py");
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
        repo.file(app + "/migrations/" + leaf + ".py", "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = ["
            + String.join(", ", deps) + "]\n    operations = [" + OP + "]\n");
        features.add("edited-dependencies");
      }
    }
  }
}
