package dev.migdiff.oracle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Project layouts for the differential tests (issue 12), deterministic per seed: a
 * {@link ScenarioGenerator} project whose apps move into a source root declared by packaging
 * (setup.py, setup.cfg, pyproject.toml for setuptools, hatch, poetry, pdm, flit, or a plain
 * {@code src/}), whose INSTALLED_APPS names AppConfig classes ({@code app.apps.ShopConfig},
 * {@code pkg.apps.app.config.XConfig}), and whose settings add {@code get_core_apps()}, a function
 * the settings really define. Files for the oracle only ({@code .oracle-sys-path},
 * {@code .oracle-uncertain}) are kept apart: they are written beside the repository, never
 * committed.
 */
public final class LayoutScenarioGenerator {
  private final Random r;
  /** Draws for the environment block, apart so that the other draws stay as they were per seed. */
  private final Random environmentDraws;
  private final Map<String, String> files;
  private final Map<String, String> untracked = new LinkedHashMap<>();
  private final List<String> features;
  private final List<String> entries = new ArrayList<>();
  private String root = "";

  /** A scenario: committed files, files only the oracle reads, and the features exercised. */
  public record Scenario(long seed, Map<String, String> files, Map<String, String> untracked,
      List<String> features) {}

  private LayoutScenarioGenerator(long seed) {
    ScenarioGenerator.Scenario base = ScenarioGenerator.generate(seed);
    this.r = new Random(seed * 7919 + 17);
    this.environmentDraws = new Random(seed * 104729 + 31);
    this.files = new LinkedHashMap<>(base.files());
    this.features = new ArrayList<>(base.features());
  }

  public static Scenario generate(long seed) {
    LayoutScenarioGenerator g = new LayoutScenarioGenerator(seed);
    g.build();
    return new Scenario(seed, g.files, g.untracked, g.features);
  }

  private boolean chance(double p) {
    return r.nextDouble() < p;
  }

  private void build() {
    readEntries();
    layout();
    if (chance(0.45)) {
      configPaths();
    }
    String calls = chance(0.45) ? coreAppsCall() : null;
    writeSettings(calls);
    if (!root.isEmpty()) {
      untracked.put(".oracle-sys-path", root + "\n");
    }
  }

  private String settings() {
    return files.get("mysite/settings.py");
  }

  private void readEntries() {
    String s = settings();
    int start = s.indexOf("INSTALLED_APPS = [\n") + "INSTALLED_APPS = [\n".length();
    int end = s.indexOf("]\n", start);
    for (String line : s.substring(start, end).split("\n")) {
      String t = line.strip();
      if (t.startsWith("\"")) {
        entries.add(t.substring(1, t.lastIndexOf('"')));
      }
    }
  }

  /** The top-level app packages (everything but the settings package). */
  private List<String> appDirs() {
    List<String> dirs = new ArrayList<>();
    for (String path : files.keySet()) {
      int slash = path.indexOf('/');
      if (slash > 0) {
        String dir = path.substring(0, slash);
        if (!dir.equals("mysite") && !dirs.contains(dir)) {
          dirs.add(dir);
        }
      }
    }
    return dirs;
  }

  private void move(String from, String to) {
    Map<String, String> moved = new LinkedHashMap<>();
    files.forEach((k, v) -> moved.put(k.equals(from) || k.startsWith(from + "/")
        ? to + k.substring(from.length()) : k, v));
    files.clear();
    files.putAll(moved);
  }

  private void layout() {
    int v = r.nextInt(10);
    String packaging;
    switch (v) {
      case 0 -> {
        root = "src";
        files.put("setup.py", "from setuptools import find_packages, setup\n\nsetup(\n"
            + "    name=\"shop\",\n    package_dir={\"\": \"src\"},\n"
            + "    packages=find_packages(\"src\"),\n)\n");
        packaging = "setup-py";
      }
      case 1 -> {
        root = "lib";
        files.put("setup.cfg", "[metadata]\nname = shop\n\n[options]\npackage_dir =\n    =lib\n"
            + "packages = find:\n\n[options.packages.find]\nwhere = lib\n");
        packaging = "setup-cfg";
      }
      case 2 -> {
        root = "python";
        files.put("pyproject.toml", "[project]\nname = \"shop\"\n\n[tool.setuptools]\n"
            + "package-dir = {\"\" = \"python\"}\n");
        packaging = "pyproject-setuptools";
      }
      case 3 -> {
        root = "src";
        StringBuilder pk = new StringBuilder();
        for (String d : appDirs()) {
          pk.append(pk.length() == 0 ? "" : ", ").append("\"src/").append(d).append("\"");
        }
        files.put("pyproject.toml", "[build-system]\nrequires = [\"hatchling\"]\n"
            + "build-backend = \"hatchling.build\"\n\n[tool.hatch.build.targets.wheel]\n"
            + "packages = [" + pk + "]\n");
        packaging = "pyproject-hatch";
      }
      case 4 -> {
        root = "lib";
        StringBuilder pk = new StringBuilder();
        for (String d : appDirs()) {
          pk.append(pk.length() == 0 ? "" : ", ").append("{ include = \"").append(d)
              .append("\", from = \"lib\" }");
        }
        files.put("pyproject.toml", "[tool.poetry]\nname = \"shop\"\npackages = [" + pk + "]\n");
        packaging = "pyproject-poetry";
      }
      case 5 -> {
        root = "src";
        files.put("pyproject.toml", "[tool.pdm.build]\npackage-dir = \"src\"\n");
        packaging = "pyproject-pdm";
      }
      case 6 -> {
        root = "src";
        files.put("pyproject.toml", "[build-system]\nbuild-backend = \"flit_core.buildapi\"\n\n"
            + "[tool.flit.module]\nname = \"shop\"\n");
        packaging = "pyproject-flit";
      }
      case 7, 8 -> {
        root = "src";
        packaging = "plain-src";
      }
      default -> packaging = null;
    }
    if (packaging == null) {
      return;
    }
    features.add("layout-" + packaging);
    for (String d : appDirs()) {
      if (!d.equals(root) && !files.containsKey(d)) {
        move(d, root + "/" + d);
      }
    }
  }

  private String app(String module) {
    return root.isEmpty() ? module : root + "/" + module;
  }

  /** Some plain app entries become AppConfig paths, as third-party apps document them. */
  private void configPaths() {
    for (int i = 0; i < entries.size(); i++) {
      String e = entries.get(i);
      if (e.contains(".") || files.containsKey(app(e) + "/apps.py") || !chance(0.6)) {
        continue;
      }
      double v = r.nextDouble();
      if (v < 0.25) {
        // An imported config class is a candidate too (inspect.getmembers in AppConfig.create):
        // two candidates and no default, so Django uses a plain AppConfig and the module's label.
        files.put("mysite/appbase.py", "from django.apps import AppConfig\n\n\n"
            + "class BaseConfig(AppConfig):\n    verbose_name = \"base\"\n");
        files.put(app(e) + "/apps.py", "from mysite.appbase import BaseConfig\n\n\n"
            + "class ShopConfig(BaseConfig):\n    name = \"" + e + "\"\n    label = \"" + e
            + "_not_used\"\n");
        features.add("imported-config-base");
      } else if (v < 0.6) {
        files.put(app(e) + "/apps.py", "from django.apps import AppConfig\n\n\n"
            + "class ShopConfig(AppConfig):\n    name = \"" + e + "\"\n");
        entries.set(i, e + ".apps.ShopConfig");
        features.add("config-path");
      } else {
        // pkg.apps.<app>.config.XConfig: the label stays the app's last name.
        move(app(e), app("pkg/apps/" + e));
        files.putIfAbsent(app("pkg/__init__.py"), "");
        files.putIfAbsent(app("pkg/apps/__init__.py"), "");
        files.put(app("pkg/apps/" + e + "/config.py"), "from django.apps import AppConfig\n\n\n"
            + "class XConfig(AppConfig):\n    name = \"pkg.apps." + e + "\"\n");
        entries.set(i, "pkg.apps." + e + ".config.XConfig");
        features.add("dotted-config-path");
      }
    }
  }

  /**
   * Moves some plain app entries into {@code get_core_apps()}; returns the text that adds the
   * call, or null when no entry can move.
   */
  private String coreAppsCall() {
    List<String> moved = new ArrayList<>();
    for (String e : new ArrayList<>(entries)) {
      if (!e.contains(".") && chance(0.6)) {
        moved.add(e);
        entries.remove(e);
      }
    }
    if (moved.isEmpty()) {
      return null;
    }
    untracked.put(".oracle-uncertain", String.join("\n", moved) + "\n");
    StringBuilder list = new StringBuilder("[");
    for (String m : moved) {
      list.append("\"").append(m).append("\", ");
    }
    list.append("]");
    String def = "def get_core_apps(overrides=None):\n    return " + list + " + list(overrides or [])\n";
    if (chance(0.5)) {
      files.put("mysite/core.py", def);
      features.add("call-imported-function");
      return chance(0.5) ? "from mysite.core import get_core_apps\n\n|get_core_apps()"
          : "import mysite.core\n\n|mysite.core.get_core_apps()";
    }
    features.add("call-local-function");
    return def + "\n\n|get_core_apps()";
  }

  private void writeSettings(String call) {
    String s = settings();
    int start = s.indexOf("INSTALLED_APPS = [\n");
    int end = s.indexOf("]\n", start) + 2;
    StringBuilder apps = new StringBuilder("INSTALLED_APPS = [\n");
    // The last app may be installed by an if on the environment, as Django runs it with none of
    // the variables set (MIGDIFF_ORACLE_UNSET never is); the other block would install nothing.
    String byEnvironment = entries.size() >= 2 && environmentDraws.nextDouble() < 0.35
        ? entries.remove(entries.size() - 1) : null;
    for (String e : entries) {
      apps.append("    \"").append(e).append("\",\n");
    }
    String head = "";
    if (call == null) {
      apps.append("]\n");
    } else {
      head = call.substring(0, call.indexOf('|'));
      String expr = call.substring(call.indexOf('|') + 1);
      if (chance(0.5)) {
        apps.append("] + ").append(expr).append("\n");
        features.add("call-plus");
      } else {
        apps.append("]\nINSTALLED_APPS += ").append(expr).append("\n");
        features.add("call-plus-assign");
      }
      // A test project that forks an app under its label: Django never sees it.
      String first = untracked.get(".oracle-uncertain").split("\n")[0];
      if (chance(0.4)) {
        files.put("tests/_site/" + first + "/__init__.py", "");
        files.put("tests/_site/" + first + "/migrations/__init__.py", "");
        files.put("tests/_site/" + first + "/migrations/0001_initial.py",
            "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
                + "    dependencies = []\n    operations = []\n");
        features.add("call-test-fork");
      }
    }
    if (byEnvironment != null) {
      head = "import os\n" + head;
      apps.append(environmentBlock(byEnvironment, call == null));
    }
    files.put("mysite/settings.py", s.substring(0, start).replace("SECRET_KEY", head + "SECRET_KEY")
        + apps + s.substring(end));
  }

  /** Settings statements that install {@code app} in an empty environment, and only there. */
  private String environmentBlock(String app, boolean literal) {
    String q = "\"" + app + "\"";
    // (4: insert at 2 needs the literal list's first entries; 5-7: django-environ)
    List<Integer> shapes = new ArrayList<>(List.of(0, 1, 2, 3, 5, 6, 7));
    if (literal) {
      shapes.add(4, 4);
    }
    int shape = shapes.get(environmentDraws.nextInt(shapes.size()));
    features.add("environment-" + shape);
    return switch (shape) {
      case 0 -> "\nif os.environ.get(\"MIGDIFF_ORACLE_UNSET\"):\n    INSTALLED_APPS = []\n"
          + "else:\n    INSTALLED_APPS.append(" + q + ")\n";
      case 1 -> "\nif \"MIGDIFF_ORACLE_UNSET\" in os.environ:\n    INSTALLED_APPS = []\n"
          + "elif os.getenv(\"MIGDIFF_ORACLE_UNSET\", \"Off\").lower() == \"off\":\n"
          + "    INSTALLED_APPS += [" + q + "]\n";
      case 2 -> "\nfrom os import environ\n\n"
          + "USE_APP = environ.get(\"MIGDIFF_ORACLE_UNSET\") is None\n"
          + "if not USE_APP:\n    pass\nelif bool(int(os.getenv(\"MIGDIFF_ORACLE_UNSET\", 0))):\n"
          + "    INSTALLED_APPS = []\nelse:\n    INSTALLED_APPS.append(" + q + ")\n";
      case 3 -> "\nos.environ.setdefault(\"MIGDIFF_ORACLE_MODE\", \"full\")\n"
          + "if os.environ[\"MIGDIFF_ORACLE_MODE\"] == \"full\""
          + " and \"MIGDIFF_ORACLE_UNSET\" not in os.environ:\n"
          + "    INSTALLED_APPS.extend([" + q + "])\n";
      case 4 -> "\nif os.environ.get(\"MIGDIFF_ORACLE_UNSET\", \"\") in (\"1\", \"yes\"):\n"
          + "    INSTALLED_APPS = []\nelse:\n    INSTALLED_APPS.insert(2, " + q + ")\n";
      case 5 -> "\nimport environ\n\nenv = environ.Env(MIGDIFF_ORACLE_UNSET=(bool, True))\n"
          + "if env(\"MIGDIFF_ORACLE_UNSET\"):\n    INSTALLED_APPS += [" + q + "]\n";
      case 6 -> "\nfrom environ import Env\n\nenv = Env()\n"
          + "if not env.bool(\"MIGDIFF_ORACLE_UNSET\", default=False)"
          + " and env.int(\"MIGDIFF_ORACLE_UNSET\", 3) > 2:\n"
          + "    INSTALLED_APPS = INSTALLED_APPS + env.list(\"MIGDIFF_ORACLE_UNSET\", default=["
          + q + "])\n";
      default -> "\nimport environ\n\nenv = environ.Env()\n"
          + "if env.str(\"MIGDIFF_ORACLE_UNSET\", \"off\").lower() == \"off\""
          + " and env(\"MIGDIFF_ORACLE_UNSET\", default=None) is None:\n"
          + "    INSTALLED_APPS.append(" + q + ")\n";
    };
  }
}
