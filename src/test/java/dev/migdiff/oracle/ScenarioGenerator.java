package dev.migdiff.oracle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random Django projects for the differential tests, deterministic per seed: chains, forks,
 * merges, cross-app dependencies, run_before, __first__/__latest__, swappable dependencies,
 * squashes (with and without the replaced files), AppConfig label variants, files Django
 * ignores, apps not installed, namespace packages, parser traps, and some broken graphs.
 */
public final class ScenarioGenerator {
  private final Random r;
  private final Map<String, String> files = new LinkedHashMap<>();
  private final List<App> apps = new ArrayList<>();
  private final List<String> features = new ArrayList<>();
  private String authUserModel;

  /** One generated app: its module, label, and migrations in creation order. */
  private static final class App {
    final int index;
    final String module;
    String label;
    final List<Mig> migs = new ArrayList<>();
    boolean sameAppRunBefore;
    boolean namespace;
    boolean installed = true;

    App(int index, String module) {
      this.index = index;
      this.module = module;
      this.label = module;
    }
  }

  /** One generated migration: its name, dependencies and other attributes as Python text. */
  private static final class Mig {
    final String name;
    final List<String> deps = new ArrayList<>();
    final List<String> runBefore = new ArrayList<>();
    final List<String> replaces = new ArrayList<>();
    boolean deleted;

    Mig(String name) {
      this.name = name;
    }
  }

  private ScenarioGenerator(long seed) {
    this.r = new Random(seed);
  }

  /** A scenario: its files (path to content) and the features it exercises. */
  public record Scenario(long seed, Map<String, String> files, List<String> features) {}

  public static Scenario generate(long seed) {
    ScenarioGenerator g = new ScenarioGenerator(seed);
    g.build();
    return new Scenario(seed, g.files, g.features);
  }

  private boolean chance(double p) {
    return r.nextDouble() < p;
  }

  private static final String[] WORDS = {"initial", "add_field", "alter_name", "remove_x",
      "auto", "data", "index", "user", "price", "order", "café", "add-index", "ünïcode"};

  private void build() {
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      apps.add(new App(i, "app" + i + (char) ('a' + r.nextInt(26))));
    }
    for (App a : apps) {
      labels(a);
    }
    if (chance(0.25)) {
      authUserModel = apps.get(0).label + ".User";
      features.add("custom-user-model");
    }
    for (App a : apps) {
      migrations(a);
    }
    for (App a : apps) {
      if (a.migs.size() >= 3 && chance(0.15)) {
        squash(a);
      }
    }
    if (chance(0.15)) {
      breakSomething();
    }
    if (chance(0.15)) {
      App extra = new App(apps.size(), "notinstalled" + r.nextInt(10));
      extra.installed = false;
      extra.migs.add(new Mig("0001_initial"));
      apps.add(extra);
      features.add("not-installed-app");
    }
    for (App a : apps) {
      write(a);
    }
    settings();
  }

  private void labels(App a) {
    int v = r.nextInt(10);
    String cfg = null;
    switch (v) {
      case 0 -> {
        a.label = a.module + "_lbl";
        cfg = config("Cfg", a.module, a.label, null);
        features.add("label-single-config");
      }
      case 1 -> {
        a.label = a.module + "_dflt";
        cfg = config("Plain", a.module, a.module + "_plain", null)
            + config("Chosen", a.module, a.label, "True");
        features.add("label-default-true");
      }
      case 2 -> {
        cfg = config("One", a.module, a.module + "_one", null)
            + config("Two", a.module, a.module + "_two", null);
        features.add("label-two-configs-no-default");
      }
      case 3 -> {
        cfg = config("Off", a.module, a.module + "_off", "False");
        features.add("label-default-false");
      }
      case 4 -> {
        a.label = a.module + "_lbl";
        cfg = config("Plain", a.module, null, null) + config("Named", a.module, a.label, "False");
        files.put("#entry:" + a.module, a.module + ".apps.Named");
        features.add("label-dotted-config-path");
      }
      default -> { }
    }
    if (cfg != null) {
      files.put(a.module + "/apps.py", "from django.apps import AppConfig\n" + cfg);
    }
  }

  private static String config(String cls, String module, String label, String dflt) {
    return "\n\nclass " + cls + "(AppConfig):\n    name = \"" + module + "\"\n"
        + (label == null ? "" : "    label = \"" + label + "\"\n")
        + (dflt == null ? "" : "    default = " + dflt + "\n");
  }

  private String tuple(String app, String name) {
    return "(\"" + app + "\", \"" + name + "\")";
  }

  private void migrations(App a) {
    int count = r.nextInt(7);
    if (a.index > 0 && count == 0 && chance(0.5)) {
      count = 1;
    }
    if (chance(0.05)) {
      a.namespace = true;
      features.add("namespace-migrations");
    }
    for (int k = 0; k < count; k++) {
      String word = WORDS[r.nextInt(WORDS.length)];
      Mig m = new Mig(String.format("%04d_%s", k + 1, k == 0 ? "initial" : word));
      if (a.migs.stream().anyMatch(x -> x.name.equals(m.name))) {
        continue;
      }
      if (!a.migs.isEmpty()) {
        double f = r.nextDouble();
        if (f < 0.6 || a.migs.size() < 2) {
          m.deps.add(tuple(a.label, leafName(a)));
        } else if (f < 0.8) {
          m.deps.add(tuple(a.label, a.migs.get(r.nextInt(a.migs.size())).name));
          features.add("fork");
        } else {
          List<String> leaves = leaves(a);
          if (leaves.size() >= 2) {
            for (String l : leaves) {
              m.deps.add(tuple(a.label, l));
            }
            features.add("merge-migration");
          } else {
            m.deps.add(tuple(a.label, leafName(a)));
          }
        }
      } else if (chance(0.2)) {
        m.deps.add(tuple(a.label, "__first__"));
        features.add("same-app-first");
      }
      crossApp(a, m);
      a.migs.add(m);
    }
    if (a.migs.size() >= 3 && chance(0.15)) {
      Mig early = a.migs.get(1);
      Mig later = a.migs.get(a.migs.size() - 1);
      if (!later.deps.contains(tuple(a.label, early.name))) {
        early.runBefore.add(tuple(a.label, later.name));
        a.sameAppRunBefore = true;
        features.add("run-before-same-app");
      }
    }
  }

  private String leafName(App a) {
    return a.migs.get(a.migs.size() - 1).name;
  }

  /** Names of the app's migrations that nothing in the app depends on yet. */
  private List<String> leaves(App a) {
    List<String> out = new ArrayList<>();
    for (Mig m : a.migs) {
      boolean child = false;
      for (Mig o : a.migs) {
        if (o.deps.contains(tuple(a.label, m.name)) || m.runBefore.stream()
            .anyMatch(x -> x.startsWith("(\"" + a.label + "\""))) {
          child = true;
        }
      }
      if (!child) {
        out.add(m.name);
      }
    }
    return out;
  }

  private void crossApp(App a, Mig m) {
    double c = r.nextDouble();
    if (c < 0.1) {
      m.deps.add(chance(0.5) ? tuple("auth", "0012_alter_user_first_name_max_length")
          : tuple("contenttypes", "0002_remove_content_type_name"));
      features.add("contrib-dependency");
    } else if (c < 0.15) {
      m.deps.add(tuple("auth", "__first__"));
      features.add("contrib-first");
    } else if (c < 0.22 && a.index > 0) {
      m.deps.add("migrations.swappable_dependency(settings.AUTH_USER_MODEL)");
      features.add("swappable");
    }
    if (a.index == 0) {
      return;
    }
    App other = apps.get(r.nextInt(a.index));
    if (other.namespace && chance(0.5)) {
      m.deps.add(tuple(other.label, "__first__"));
      features.add("first-of-unmigrated");
      return;
    }
    if (other.migs.isEmpty() || other.namespace) {
      return;
    }
    double d = r.nextDouble();
    if (d < 0.3) {
      m.deps.add(tuple(other.label, other.migs.get(r.nextInt(other.migs.size())).name));
      features.add("cross-app");
    } else if (d < 0.4 && !other.sameAppRunBefore) {
      m.deps.add(tuple(other.label, chance(0.5) ? "__first__" : "__latest__"));
      features.add("cross-app-first-latest");
    } else if (d < 0.47) {
      Mig before = other.migs.get(r.nextInt(other.migs.size()));
      before.runBefore.add(tuple(a.label, m.name));
      features.add("run-before-cross-app");
    }
  }

  private void squash(App a) {
    int k = 2 + r.nextInt(Math.min(3, a.migs.size() - 1));
    for (int i = 1; i < k; i++) {
      List<String> sameApp = a.migs.get(i).deps.stream()
          .filter(d -> d.startsWith("(\"" + a.label + "\"")).toList();
      if (!sameApp.equals(List.of(tuple(a.label, a.migs.get(i - 1).name)))) {
        return;
      }
    }
    for (int i = 0; i < k; i++) {
      if (!a.migs.get(i).runBefore.isEmpty()) {
        return;
      }
    }
    Mig s = new Mig(String.format("0001_squashed_%s", a.migs.get(k - 1).name));
    for (int i = 0; i < k; i++) {
      Mig old = a.migs.get(i);
      s.replaces.add(tuple(a.label, old.name));
      for (String d : old.deps) {
        if (!d.startsWith("(\"" + a.label + "\"") && !s.deps.contains(d)) {
          s.deps.add(d);
        }
      }
    }
    if (chance(0.5)) {
      for (int i = 0; i < k; i++) {
        a.migs.get(i).deleted = true;
      }
      features.add("squash-replaced-deleted");
    } else {
      features.add("squash-replaced-kept");
    }
    a.migs.add(s);
  }

  private void breakSomething() {
    App a = apps.get(r.nextInt(apps.size()));
    if (a.migs.isEmpty() || a.namespace) {
      return;
    }
    Mig m = a.migs.get(a.migs.size() - 1);
    switch (r.nextInt(4)) {
      case 0 -> {
        m.deps.add(tuple(a.label, "9999_missing"));
        features.add("error-dangling");
      }
      case 1 -> {
        if (a.migs.size() >= 2 && !a.migs.get(0).deleted) {
          a.migs.get(0).deps.add(tuple(a.label, m.name));
          features.add("error-cycle");
        }
      }
      case 2 -> {
        m.deps.add(tuple("nosuchapp", "__first__"));
        features.add("error-unknown-app");
      }
      default -> {
        m.deps.clear();
        m.deps.add("NO_CLASS");
        features.add("error-no-migration-class");
      }
    }
  }

  private void write(App a) {
    files.put(a.module + "/__init__.py", "");
    if (a.migs.isEmpty() && !chance(0.5)) {
      return;
    }
    String dir = a.module + "/migrations/";
    if (!a.namespace) {
      files.put(dir + "__init__.py", "");
    }
    for (Mig m : a.migs) {
      if (!m.deleted) {
        files.put(dir + m.name + ".py", render(m));
      }
    }
    if (chance(0.3)) {
      files.put(dir + "_private.py", "dependencies = [(\"x\", \"y\")]\nraise ImportError\n");
      files.put(dir + "~backup.py", "this is not python (\n");
      files.put(dir + "0099_old.bak.py", "class Migration: dependencies = [(\"x\", \"y\")]\n");
      files.put(dir + "0098_pkg/__init__.py", "");
      files.put(dir + "notes.txt", "not a module\n");
      features.add("ignored-files");
    }
  }

  private String render(Mig m) {
    if (m.deps.contains("NO_CLASS")) {
      return "from django.db import migrations\n\nMIGRATION = None\n";
    }
    boolean tabs = chance(0.1);
    String ind = tabs ? "\t" : "    ";
    StringBuilder b = new StringBuilder();
    b.append("# Generated for a differential test\n");
    if (chance(0.3)) {
      b.append("# dependencies = [(\"ghost\", \"0001_initial\")]\n");
      features.add("trap-comment");
    }
    b.append("from django.conf import settings\nfrom django.db import migrations\n\n\n");
    if (chance(0.2)) {
      b.append("def forwards(apps, schema_editor):\n").append(ind)
          .append("dependencies = [(\"ghost\", \"0002\")]\n\n\n");
      features.add("trap-function");
    }
    b.append("class Migration(migrations.Migration):\n");
    if (chance(0.3)) {
      b.append(ind).append("\"\"\"dependencies = [(\"ghost\", \"0003\")]\n").append(ind)
          .append("\"\"\"\n\n");
      features.add("trap-docstring");
    }
    b.append(ind).append("dependencies = ").append(list(m.deps, ind)).append("\n");
    if (!m.runBefore.isEmpty()) {
      b.append(ind).append("run_before = ").append(list(m.runBefore, ind)).append("\n");
    }
    if (!m.replaces.isEmpty()) {
      b.append(ind).append("replaces = ").append(list(m.replaces, ind)).append("\n");
    }
    b.append(ind).append("operations = [\n").append(ind).append(ind)
        .append("migrations.RunSQL(\"SELECT 1\", migrations.RunSQL.noop),\n").append(ind)
        .append("]\n");
    return b.toString();
  }

  private String list(List<String> items, String ind) {
    if (items.isEmpty()) {
      return chance(0.5) ? "[]" : "[\n" + ind + "]";
    }
    int style = r.nextInt(5);
    List<String> shown = new ArrayList<>();
    for (String it : items) {
      shown.add(trap(it));
    }
    return switch (style) {
      case 0 -> "[" + String.join(", ", shown) + "]";
      case 1 -> "[\n" + ind + ind + String.join(",\n" + ind + ind, shown) + ",\n" + ind + "]";
      case 2 -> {
        features.add("trap-plus-concatenation");
        List<String> parts = new ArrayList<>();
        for (String s : shown) {
          parts.add("[" + s + "]");
        }
        yield String.join(" + ", parts);
      }
      case 3 -> {
        features.add("trap-line-continuation");
        yield "[" + String.join(", \\\n" + ind + ind, shown) + "]";
      }
      default -> "(" + String.join(", ", shown) + ",)";
    };
  }

  /** Writes a dependency tuple in a harder but equivalent way, sometimes. */
  private String trap(String tuple) {
    if (!tuple.startsWith("(\"") || !chance(0.3)) {
      return tuple;
    }
    int comma = tuple.indexOf("\", \"");
    String app = tuple.substring(2, comma);
    String name = tuple.substring(comma + 4, tuple.length() - 2);
    if (name.length() > 2 && chance(0.5)) {
      int cut = 1 + r.nextInt(name.length() - 1);
      features.add("trap-implicit-concatenation");
      return "(\n        '" + app + "',\n        \"" + name.substring(0, cut) + "\" '"
          + name.substring(cut) + "'  # split\n    )";
    }
    features.add("trap-plus-string");
    return "('" + app + "', \"" + name.substring(0, 1) + "\" + \"" + name.substring(1) + "\")";
  }

  private void settings() {
    files.put("manage.py", "import os\nimport sys\n\n\ndef main():\n"
        + "    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n"
        + "    from django.core.management import execute_from_command_line\n"
        + "    execute_from_command_line(sys.argv)\n");
    files.put("mysite/__init__.py", "");
    StringBuilder s = new StringBuilder("SECRET_KEY = \"differential\"\nINSTALLED_APPS = [\n"
        + "    \"django.contrib.auth\",\n    \"django.contrib.contenttypes\",\n");
    for (App a : apps) {
      if (a.installed) {
        String entry = files.remove("#entry:" + a.module);
        s.append("    \"").append(entry != null ? entry : a.module).append("\",\n");
      }
    }
    s.append("]\n");
    if (authUserModel != null) {
      s.append("AUTH_USER_MODEL = \"").append(authUserModel).append("\"\n");
      files.put(apps.get(0).module + "/models.py", "from django.db import models\n\n\n"
          + "class User(models.Model):\n    name = models.CharField(max_length=10)\n");
    }
    files.put("mysite/settings.py", s.toString());
  }
}
