package dev.migdiff.oracle;

import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random Django projects with 3 to 8 open branches for radar's differential test: a base of one
 * to three apps (cross-app dependencies), {@code main} possibly moving on after some branches fork,
 * and branches that fork from main (old or new) or from another branch (stacked), each adding
 * migrations; some add a fork and their own merge migration, squash two base migrations, rename
 * their app's last base migration, depend across apps, or add a migration under a name another
 * branch also uses (different content: git stops on it).
 */
final class RadarScenarioGenerator {
  private static final String OP = "migrations.RunSQL(\"SELECT 1\", migrations.RunSQL.noop)";

  private final Random r;
  private final List<String> apps = new ArrayList<>();
  private final List<String> features = new ArrayList<>();
  /** Names added by branches so far, per app and parent: another branch may reuse one. */
  private final List<String[]> added = new ArrayList<>();

  private RadarScenarioGenerator(long seed) {
    r = new Random(seed * 7919 + 17);
  }

  /** One branch's files as it is built. */
  private static final class Model {
    final Map<String, List<String>> chain = new LinkedHashMap<>();
    final Map<String, String> tip = new LinkedHashMap<>();
    final Map<String, Integer> count = new LinkedHashMap<>();

    Model copy() {
      Model m = new Model();
      chain.forEach((k, v) -> m.chain.put(k, new ArrayList<>(v)));
      m.tip.putAll(tip);
      m.count.putAll(count);
      return m;
    }
  }

  /** Builds the repository in {@code dir}; returns the branch names and the features used. */
  static Result build(long seed, Path dir) {
    RadarScenarioGenerator g = new RadarScenarioGenerator(seed);
    List<String> branches = new ArrayList<>();
    try (RepoBuilder repo = RepoBuilder.init(dir)) {
      g.run(repo, branches);
    }
    return new Result(branches, g.features);
  }

  record Result(List<String> branches, List<String> features) {}

  private boolean chance(double p) {
    return r.nextDouble() < p;
  }

  private static String t(String app, String name) {
    return "(\"" + app + "\", \"" + name + "\")";
  }

  private void run(RepoBuilder repo, List<String> branches) {
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      apps.add("r" + i + (char) ('a' + r.nextInt(26)));
    }
    repo.file("manage.py", "import os\n\n\ndef main():\n"
        + "    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n");
    repo.file("mysite/__init__.py", "");
    repo.file("requirements.txt", "Django==3.2.25\n");
    StringBuilder settings = new StringBuilder("SECRET_KEY = \"radar\"\nINSTALLED_APPS = [\n");
    for (String a : apps) {
      settings.append("    \"").append(a).append("\",\n");
      repo.file(a + "/__init__.py", "").file(a + "/migrations/__init__.py", "");
    }
    settings.append("]\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\", "
        + "\"NAME\": \"db.sqlite3\"}}\n");
    repo.file("mysite/settings.py", settings.toString());
    Model base = new Model();
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
          deps.add(t(other, base.tip.get(other)));
        }
        add(repo, base, app, String.format("%04d_base%d", k + 1, k), deps, OP);
      }
    }
    repo.commit("base");
    repo.tag("fork0");
    Map<String, Model> models = new LinkedHashMap<>();
    models.put("fork0", base);
    Model main = base;
    int count = 3 + r.nextInt(6);
    int advanceAt = chance(0.5) ? r.nextInt(count) : -1;
    for (int b = 0; b < count; b++) {
      if (b == advanceAt) {
        repo.checkout("main");
        main = main.copy();
        String app = apps.get(r.nextInt(apps.size()));
        add(repo, main, app, number(main, app) + "_main", List.of(t(app, main.tip.get(app))), OP);
        repo.commit("main moves on");
        models.put("main", main);
        features.add("main-moved");
      }
      String parent;
      if (b > 0 && chance(0.25)) {
        parent = branches.get(r.nextInt(branches.size()));
        features.add("stacked");
      } else {
        parent = models.containsKey("main") && chance(0.6) ? "main" : "fork0";
      }
      repo.checkout(parent);
      String name = "b" + b;
      repo.branch(name);
      Model m = models.get(parent).copy();
      mutate(repo, m, base, name);
      repo.commit(name);
      models.put(name, m);
      branches.add(name);
    }
    repo.checkout("main");
  }

  private void mutate(RepoBuilder repo, Model m, Model base, String side) {
    int k = 1 + r.nextInt(2);
    for (int n = 0; n < k; n++) {
      int i = r.nextInt(apps.size());
      String app = apps.get(i);
      String parent = m.tip.get(app);
      if (!added.isEmpty() && chance(0.15)) {
        String[] reuse = added.get(r.nextInt(added.size()));
        if (reuse[0].equals(app) && reuse[1].equals(parent)) {
          add(repo, m, app, reuse[2], List.of(t(app, parent)),
              "migrations.RunSQL(\"SELECT 2\", migrations.RunSQL.noop)");
          features.add("same-name");
          continue;
        }
      }
      List<String> deps = new ArrayList<>(List.of(t(app, parent)));
      if (apps.size() > 1 && chance(0.35)) {
        String other = apps.get((i + 1 + r.nextInt(apps.size() - 1)) % apps.size());
        if (!dependsOn(m, other, app)) {
          deps.add(t(other, m.tip.get(other)));
          features.add("cross-app");
        }
      }
      String name = number(m, app) + "_" + side + "n" + n;
      added.add(new String[] {app, parent, name});
      add(repo, m, app, name, deps, OP);
    }
    if (chance(0.15)) {
      String app = apps.get(r.nextInt(apps.size()));
      String tip = m.tip.get(app);
      String num = number(m, app);
      add(repo, m, app, num + "_" + side + "x", List.of(t(app, tip)), OP);
      add(repo, m, app, num + "_" + side + "y", List.of(t(app, tip)), OP);
      add(repo, m, app, String.format("%04d", Integer.parseInt(num) + 1) + "_merge_" + side,
          List.of(t(app, num + "_" + side + "x"), t(app, num + "_" + side + "y")), OP);
      features.add("own-merge-migration");
    }
    if (chance(0.12)) {
      String app = apps.get(r.nextInt(apps.size()));
      List<String> chain = base.chain.get(app);
      if (chain.size() >= 2 && m.chain.get(app).containsAll(chain.subList(0, 2))) {
        String text = "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n    dependencies = []\n"
            + "    replaces = [" + t(app, chain.get(0)) + ", " + t(app, chain.get(1)) + "]\n"
            + "    operations = [" + OP + "]\n";
        repo.file(app + "/migrations/0001_squashed_" + chain.get(1) + "_" + side + ".py", text);
        features.add("squash");
      }
    }
    if (chance(0.1)) {
      String app = apps.get(r.nextInt(apps.size()));
      List<String> chain = m.chain.get(app);
      String leaf = m.tip.get(app);
      if (chain.size() >= 2 && leaf.contains("_base")) {
        repo.delete(app + "/migrations/" + leaf + ".py");
        chain.remove(chain.size() - 1);
        m.tip.put(app, chain.get(chain.size() - 1));
        add(repo, m, app, leaf + "_renamed", List.of(t(app, chain.get(chain.size() - 1))), OP);
        features.add("renamed");
      }
    }
  }

  /** Whether {@code from}'s chain already depends on {@code on}'s (so a cross edge could cycle). */
  private boolean dependsOn(Model m, String on, String from) {
    return apps.indexOf(on) > apps.indexOf(from);
  }

  private static String number(Model m, String app) {
    return String.format("%04d", m.count.getOrDefault(app, 0) + 1);
  }

  private static void add(RepoBuilder repo, Model m, String app, String name, List<String> deps,
      String op) {
    String text = "from django.db import migrations\n\n\n"
        + "class Migration(migrations.Migration):\n    dependencies = [" + String.join(", ", deps)
        + "]\n    operations = [" + op + "]\n";
    repo.file(app + "/migrations/" + name + ".py", text);
    m.tip.put(app, name);
    m.chain.computeIfAbsent(app, k -> new ArrayList<>()).add(name);
    m.count.merge(app, 1, Integer::sum);
  }
}
