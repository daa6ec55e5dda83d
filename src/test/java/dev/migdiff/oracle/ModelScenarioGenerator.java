package dev.migdiff.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Generates deterministic, randomised Django projects (one per seed) for differential tests: a
 * second, independently written, model-based generator, so the suite does not share one
 * author's blind spots.
 */
public final class ModelScenarioGenerator {

  /**
 * A second, independently written generator (model-based: it also records the leaves it
 * intends), so the differential test does not share one author's blind spots.
 *
   * One generated project: its files, the graph the generator meant to build and the features used.
   *
   * @param seed the seed it was generated from
   * @param files project-relative path to UTF-8 file content
   * @param expectedLeaves per app label, the sorted leaves the generator intended (empty on error)
   * @param expectedConflictApps how many apps the generator intended to leave with 2+ leaves
   * @param expectedError the Django exception type the generator intended, or {@code null}
   * @param features the scenario features exercised
   */
  public record Scenario(
      long seed,
      SortedMap<String, String> files,
      SortedMap<String, List<String>> expectedLeaves,
      int expectedConflictApps,
      String expectedError,
      SortedSet<String> features) {}

  private static final String[] MODULES = {
    "blog", "shop", "accounts", "billing", "inventory", "notes", "crm", "catalog", "orders", "polls"
  };
  private static final String[] SUFFIXES = {
    "add_field", "alter_title", "remove_slug", "auto_20240101_1200", "rename_price", "data",
    "add_index", "tags", "author", "unique_together"
  };
  private static final String[] LABEL_TAILS = {"core", "app", "v2", "main"};
  private static final String FIRST = "__first__";
  private static final String LATEST = "__latest__";

  private enum MigDir { PACKAGE, NAMESPACE, NONE }

  private enum AppsPy { NONE, PLAIN, LABEL, TWO_DEFAULT, TWO_NO_DEFAULT, DEFAULT_FALSE, DOTTED }

  private static final class App {
    final int index;
    final String module;
    String label;
    boolean installed = true;
    MigDir migDir = MigDir.PACKAGE;
    AppsPy appsPy = AppsPy.NONE;
    String altLabel;
    final List<Mig> migs = new ArrayList<>();
    int counter = 1;

    App(int index, String module) {
      this.index = index;
      this.module = module;
      this.label = module;
    }

    boolean loaded() {
      return installed && migDir == MigDir.PACKAGE;
    }

    boolean hasPresentMigs() {
      return migs.stream().anyMatch(m -> !m.deleted);
    }
  }

  private static final class Mig {
    final App app;
    final String name;
    final List<Ref> deps = new ArrayList<>();
    final List<Ref> runBefore = new ArrayList<>();
    final List<Mig> replaces = new ArrayList<>();
    boolean deleted;
    boolean noClass;
    boolean initial;
    Mig replacedBy;

    Mig(App app, String name) {
      this.app = app;
      this.name = name;
    }
  }

  /** A dependency reference; {@code app} is null for apps outside the repository. */
  private record Ref(App app, String label, String name, boolean swappable) {
    static Ref to(Mig m) {
      return new Ref(m.app, m.app.label, m.name, false);
    }

    static Ref special(App app, String name) {
      return new Ref(app, app.label, name, false);
    }

    static Ref external(String label, String name) {
      return new Ref(null, label, name, false);
    }
  }

  private final Random r;
  private final long seed;
  private final List<App> apps = new ArrayList<>();
  private final SortedSet<String> features = new TreeSet<>();
  private final SortedMap<String, String> files = new TreeMap<>();
  private String authUserModel;
  private String expectedError;

  private ModelScenarioGenerator(long seed) {
    this.seed = seed;
    this.r = new Random(seed);
  }

  /** Generates the scenario for {@code seed}; the same seed always gives the same scenario. */
  public static Scenario generate(long seed) {
    return new ModelScenarioGenerator(seed).build();
  }

  private Scenario build() {
    createApps();
    for (App a : apps) {
      buildHistory(a);
    }
    addCrossAppRunBefore();
    if (r.nextInt(9) == 0) {
      injectError();
    }
    SortedMap<String, List<String>> leaves = expectedError == null ? computeLeaves() : new TreeMap<>();
    render();
    int conflicts = (int) leaves.values().stream().filter(l -> l.size() > 1).count();
    return new Scenario(seed, Collections.unmodifiableSortedMap(files),
        Collections.unmodifiableSortedMap(leaves), conflicts, expectedError,
        Collections.unmodifiableSortedSet(features));
  }

  // ---------------------------------------------------------------- model

  private void createApps() {
    List<String> pool = new ArrayList<>(List.of(MODULES));
    Collections.shuffle(pool, r);
    int count = 1 + r.nextInt(6);
    for (int i = 0; i < count; i++) {
      App a = new App(i, pool.get(i));
      if (i > 0 && r.nextInt(12) == 0) {
        a.installed = false;
        features.add("app-not-installed");
      } else if (i > 0 && r.nextInt(12) == 0) {
        a.migDir = MigDir.NAMESPACE;
        features.add("migrations-namespace-package");
      } else if (i > 0 && r.nextInt(15) == 0) {
        a.migDir = MigDir.NONE;
        features.add("app-without-migrations");
      }
      chooseAppsPy(a);
      apps.add(a);
    }
    if (r.nextInt(4) == 0) {
      authUserModel = apps.get(0).label + ".User";
    }
  }

  private void chooseAppsPy(App a) {
    AppsPy[] all = AppsPy.values();
    a.appsPy = r.nextInt(3) == 0 ? AppsPy.NONE : all[r.nextInt(all.length)];
    String custom = a.module + "_" + LABEL_TAILS[r.nextInt(LABEL_TAILS.length)];
    a.altLabel = a.module + "_alt";
    a.label = switch (a.appsPy) {
      case LABEL, TWO_DEFAULT -> custom;
      case DOTTED -> r.nextBoolean() ? custom : a.module;
      default -> a.module;
    };
    if (a.appsPy != AppsPy.NONE) {
      features.add("apps-py-" + a.appsPy.name().toLowerCase().replace('_', '-'));
    }
    if (!a.label.equals(a.module)) {
      features.add("custom-label");
    }
  }

  private String freshName(App a, int number, String suffix) {
    Set<String> taken = new HashSet<>();
    a.migs.forEach(m -> taken.add(m.name));
    String base = String.format("%04d_%s", number, suffix);
    String name = base;
    for (int i = 2; taken.contains(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  private String randomSuffix() {
    int k = r.nextInt(14);
    if (k == 0) {
      features.add("name-non-ascii");
      return "café";
    }
    if (k == 1) {
      features.add("name-hyphen");
      return "add-index";
    }
    return SUFFIXES[r.nextInt(SUFFIXES.length)];
  }

  private Mig newMig(App a, int number, String suffix) {
    Mig m = new Mig(a, freshName(a, number, suffix));
    a.migs.add(m);
    return m;
  }

  private void buildHistory(App a) {
    if (a.migDir == MigDir.NONE) {
      return;
    }
    Mig first = newMig(a, a.counter++, "initial");
    first.initial = r.nextBoolean();
    addOutsideDeps(first, 0.45);
    List<Mig> heads = new ArrayList<>(List.of(first));
    List<Mig> chain = new ArrayList<>(List.of(first));
    boolean linearPrefix = true;
    int steps = r.nextInt(7);
    for (int s = 0; s < steps; s++) {
      int kind = r.nextInt(100);
      if (kind < 40 || (kind < 65 && heads.size() < 2)) {
        Mig h = heads.get(r.nextInt(heads.size()));
        boolean extendsChain = linearPrefix && heads.size() == 1 && h == chain.get(chain.size() - 1);
        Mig m = newMig(a, a.counter++, randomSuffix());
        m.deps.add(Ref.to(h));
        if (r.nextInt(8) == 0) {
          m.deps.add(r.nextInt(0, m.deps.size() + 1), Ref.special(a, FIRST));
          features.add("same-app-first");
        }
        addOutsideDeps(m, 0.2);
        heads.set(heads.indexOf(h), m);
        features.add("linear");
        if (extendsChain) {
          chain.add(m);
        } else {
          linearPrefix = false;
        }
        continue;
      }
      linearPrefix = false;
      if (kind < 65) {
        merge(a, heads, r.nextInt(3) != 0);
      } else if (kind < 82) {
        fork(a, heads);
      } else if (kind < 91) {
        Mig m = newMig(a, a.counter++, randomSuffix());
        strayDeps(m);
        heads.add(m);
        features.add("stray-root");
      } else {
        Mig m = newMig(a, a.counter++, randomSuffix());
        strayDeps(m);
        List<Mig> targets = new ArrayList<>(a.migs);
        targets.remove(m);
        m.runBefore.add(Ref.to(targets.get(r.nextInt(targets.size()))));
        features.add("run-before-same-app");
      }
    }
    if (heads.size() >= 2 && r.nextBoolean()) {
      merge(a, heads, true);
    }
    if (chain.size() >= 2 && r.nextInt(3) == 0) {
      squash(a, chain);
    }
  }

  private void merge(App a, List<Mig> heads, boolean all) {
    List<Mig> merged = new ArrayList<>(heads);
    Collections.shuffle(merged, r);
    if (merged.size() > 2 && !all) {
      merged = new ArrayList<>(merged.subList(0, 2));
    }
    String suffix = r.nextBoolean() ? "merge" : "merge_20240315_0930";
    Mig m = newMig(a, a.counter++, suffix);
    for (Mig h : merged) {
      m.deps.add(Ref.to(h));
    }
    int at = heads.indexOf(merged.get(0));
    heads.removeAll(merged);
    heads.add(Math.min(at, heads.size()), m);
    features.add("merge");
  }

  private void fork(App a, List<Mig> heads) {
    Mig h = heads.get(r.nextInt(heads.size()));
    int width = r.nextInt(10) < 7 ? 2 : 3;
    int number = a.counter++;
    heads.remove(h);
    for (int i = 0; i < width; i++) {
      Mig m = newMig(a, number, randomSuffix());
      m.deps.add(Ref.to(h));
      addOutsideDeps(m, 0.15);
      heads.add(m);
    }
    features.add("fork-" + width);
  }

  private void strayDeps(Mig m) {
    int k = r.nextInt(3);
    if (k == 0) {
      m.deps.add(Ref.special(m.app, FIRST));
      features.add("same-app-first");
    } else if (k == 1) {
      addOutsideDeps(m, 1.0);
    }
  }

  /** Adds, with the given probability, a dependency on an earlier repo app or a contrib app. */
  private void addOutsideDeps(Mig m, double probability) {
    if (r.nextDouble() >= probability) {
      return;
    }
    int k = r.nextInt(10);
    List<App> targets = apps.stream().filter(t -> t.index < m.app.index && t.installed).toList();
    if (k < 5 && !targets.isEmpty()) {
      App t = targets.get(r.nextInt(targets.size()));
      int how = r.nextInt(4);
      if (t.migDir != MigDir.PACKAGE || t.migs.isEmpty()) {
        m.deps.add(Ref.special(t, how % 2 == 0 ? FIRST : LATEST));
        features.add("cross-app-special-on-unmigrated");
      } else if (how == 0) {
        m.deps.add(Ref.special(t, FIRST));
        features.add("cross-app-first");
      } else if (how == 1) {
        m.deps.add(Ref.special(t, LATEST));
        features.add("cross-app-latest");
      } else {
        Mig target = t.migs.get(r.nextInt(t.migs.size()));
        m.deps.add(Ref.to(target));
        features.add(target.replacedBy != null ? "cross-app-on-replaced" : "cross-app");
      }
    } else if (k < 8) {
      String[][] contrib = {
        {"auth", "0001_initial"}, {"contenttypes", "0002_remove_content_type_name"},
        {"auth", FIRST}, {"contenttypes", LATEST}, {"auth", "0012_alter_user_first_name_max_length"}
      };
      String[] c = contrib[r.nextInt(contrib.length)];
      m.deps.add(Ref.external(c[0], c[1]));
      features.add("contrib-dependency");
    } else {
      m.deps.add(new Ref(null, "", "", true));
      features.add(authUserModel == null ? "swappable-default" : "swappable-custom");
    }
  }

  private void squash(App a, List<Mig> chain) {
    int k = 2 + r.nextInt(chain.size() - 1);
    List<Mig> replaced = chain.subList(0, k);
    Mig last = replaced.get(k - 1);
    Mig s = new Mig(a, freshName(a, 1, "squashed_" + last.name));
    s.initial = true;
    for (Ref d : replaced.get(0).deps) {
      if (d.app() != a) {
        s.deps.add(d);
      }
    }
    s.replaces.addAll(replaced);
    int deletion = r.nextInt(3);
    for (Mig m : replaced) {
      m.replacedBy = s;
      m.deleted = deletion == 0 || (deletion == 1 && r.nextBoolean());
    }
    features.add(deletion == 2 ? "squash-replaced-kept" : "squash-replaced-deleted");
    boolean repoint = r.nextBoolean();
    for (Mig m : a.migs) {
      for (int i = 0; i < m.deps.size(); i++) {
        Ref d = m.deps.get(i);
        if (d.app() == a && d.name().equals(last.name) && !replaced.contains(m)) {
          if (repoint) {
            m.deps.set(i, Ref.to(s));
            features.add("squash-dependent-on-squash");
          } else {
            features.add(last.deleted ? "squash-dependent-on-deleted" : "squash-dependent-on-replaced");
          }
        }
      }
    }
    a.migs.add(a.migs.indexOf(last) + 1, s);
  }

  private void addCrossAppRunBefore() {
    List<App> loaded = apps.stream().filter(a -> a.loaded() && a.hasPresentMigs()).toList();
    if (loaded.size() < 2 || r.nextInt(4) != 0) {
      return;
    }
    int i = r.nextInt(loaded.size() - 1);
    int j = i + 1 + r.nextInt(loaded.size() - i - 1);
    Mig from = present(loaded.get(i)).get(r.nextInt(present(loaded.get(i)).size()));
    App to = loaded.get(j);
    if (r.nextInt(4) == 0) {
      from.runBefore.add(Ref.special(to, FIRST));
    } else {
      from.runBefore.add(Ref.to(to.migs.get(r.nextInt(to.migs.size()))));
    }
    features.add("run-before-cross-app");
  }

  private static List<Mig> present(App a) {
    return a.migs.stream().filter(m -> !m.deleted).toList();
  }

  private void injectError() {
    List<App> loaded = apps.stream().filter(a -> a.loaded() && a.hasPresentMigs()).toList();
    if (loaded.isEmpty()) {
      return;
    }
    App a = loaded.get(r.nextInt(loaded.size()));
    List<Mig> pool = present(a);
    Mig m = pool.get(r.nextInt(pool.size()));
    int kind = (int) Math.floorMod(seed, 4L);
    if (kind == 0) {
      Ref[] dangling = {
        // Not ("auth", "0099_nope"): auth is installed but outside the repository, so a static
        // reader treats its nodes as external (README: dependencies on them are fine) while
        // Django raises NodeNotFoundError (found by scripts/differential, seed 1796025065800548).
        Ref.special(a, "0099_missing"), Ref.external("ghost", "0099_nope"),
        Ref.special(a, LATEST), Ref.external("ghost", "0001_initial")
      };
      m.deps.add(dangling[r.nextInt(dangling.length)]);
      expectedError = "NodeNotFoundError";
      features.add("error-dangling");
    } else if (kind == 1 && injectCycle()) {
      expectedError = "CircularDependencyError";
      features.add("error-cycle");
    } else if (kind == 2) {
      m.deps.add(Ref.external("ghost", r.nextBoolean() ? FIRST : LATEST));
      expectedError = "ValueError";
      features.add("error-unknown-app");
    } else {
      m.noClass = true;
      expectedError = "BadMigrationError";
      features.add("error-no-migration-class");
    }
  }

  /** Closes a cycle over an existing explicit edge between two plain (unsquashed) migrations. */
  private boolean injectCycle() {
    List<Mig[]> edges = new ArrayList<>();
    for (App a : apps) {
      if (!a.loaded()) {
        continue;
      }
      for (Mig child : a.migs) {
        for (Ref d : child.deps) {
          Mig parent = lookup(d);
          if (parent != null && plain(parent) && plain(child) && parent.app.loaded()) {
            edges.add(new Mig[] {parent, child});
          }
        }
      }
    }
    if (edges.isEmpty()) {
      return false;
    }
    Mig[] e = edges.get(r.nextInt(edges.size()));
    e[0].deps.add(Ref.to(e[1]));
    return true;
  }

  private static boolean plain(Mig m) {
    return !m.deleted && m.replacedBy == null && m.replaces.isEmpty();
  }

  private static Mig lookup(Ref d) {
    if (d.app() == null || d.swappable()) {
      return null;
    }
    for (Mig m : d.app().migs) {
      if (m.name.equals(d.name())) {
        return m;
      }
    }
    return null;
  }

  /** The intended leaves: same-app edges only, same-app __first__ dropped, squashes applied. */
  private SortedMap<String, List<String>> computeLeaves() {
    SortedMap<String, List<String>> result = new TreeMap<>();
    for (App a : apps) {
      if (!a.loaded()) {
        continue;
      }
      Set<Mig> nodes = new LinkedHashSet<>();
      for (Mig m : a.migs) {
        if (!m.deleted) {
          nodes.add(resolve(m));
        }
      }
      Set<Mig> hasChild = new HashSet<>();
      for (Mig m : a.migs) {
        if (m.deleted) {
          continue;
        }
        Mig child = resolve(m);
        for (Ref d : m.deps) {
          Mig parent = d.app() == a && !d.swappable() ? lookup(d) : null;
          if (parent != null && resolve(parent) != child) {
            hasChild.add(resolve(parent));
          }
        }
        for (Ref rb : m.runBefore) {
          Mig target = rb.app() == a ? lookup(rb) : null;
          if (target != null && resolve(target) != child) {
            hasChild.add(child);
          }
        }
      }
      List<String> leaves = new ArrayList<>();
      for (Mig n : nodes) {
        if (!hasChild.contains(n)) {
          leaves.add(n.name);
        }
      }
      if (!leaves.isEmpty()) {
        Collections.sort(leaves);
        result.put(a.label, leaves);
      }
    }
    return result;
  }

  private static Mig resolve(Mig m) {
    return m.replacedBy != null ? m.replacedBy : m;
  }

  // ---------------------------------------------------------------- rendering

  private void render() {
    files.put("manage.py", manage());
    files.put("proj/__init__.py", "");
    files.put("proj/settings.py", settings());
    for (App a : apps) {
      files.put(a.module + "/__init__.py", "");
      String appsPy = appsPy(a);
      if (appsPy != null) {
        files.put(a.module + "/apps.py", appsPy);
      }
      if (a.index == 0 && authUserModel != null) {
        files.put(a.module + "/models.py", "from django.contrib.auth.models import AbstractUser\n\n\n"
            + "class User(AbstractUser):\n    pass\n");
        features.add("custom-user-model");
      } else if (r.nextInt(4) == 0) {
        files.put(a.module + "/models.py", "");
      }
      if (a.migDir == MigDir.NONE) {
        continue;
      }
      String dir = a.module + "/migrations/";
      if (a.migDir == MigDir.PACKAGE) {
        files.put(dir + "__init__.py", "");
      }
      for (Mig m : a.migs) {
        if (!m.deleted) {
          files.put(dir + m.name + ".py", migration(m));
        }
      }
      if (!a.loaded() && r.nextBoolean()) {
        Mig ghost = new Mig(a, freshName(a, 90, "ignored"));
        ghost.deps.add(Ref.external("ghost", "0001_initial"));
        files.put(dir + ghost.name + ".py", migration(ghost));
      }
      if (a.loaded() && r.nextInt(3) == 0) {
        addIgnoredFiles(a, dir);
      }
    }
  }

  private void addIgnoredFiles(App a, String dir) {
    Mig anchor = present(a).get(0);
    Mig dangling = new Mig(a, "ignored");
    dangling.deps.add(Ref.special(a, "0099_does_not_exist"));
    Mig extraLeaf = new Mig(a, "ignored");
    extraLeaf.deps.add(Ref.to(anchor));
    switch (r.nextInt(6)) {
      case 0 -> {
        files.put(dir + "_private.py", migration(dangling));
        features.add("ignored-underscore-file");
      }
      case 1 -> {
        files.put(dir + "~backup.py", migration(extraLeaf));
        features.add("ignored-tilde-file");
      }
      case 2 -> {
        files.put(dir + "0009_x.bak.py", migration(r.nextBoolean() ? extraLeaf : dangling));
        features.add("ignored-dotted-name");
      }
      case 3 -> {
        files.put(dir + "legacy/__init__.py", "");
        files.put(dir + "legacy/0001_initial.py", migration(dangling));
        features.add("ignored-subpackage");
      }
      case 4 -> {
        files.put(dir + "archive/0005_old.py", migration(extraLeaf));
        features.add("ignored-plain-subdirectory");
      }
      default -> {
        files.put(dir + "README.md", "dependencies = [(\"ghost\", \"0001_initial\")]\n");
        features.add("ignored-non-python-file");
      }
    }
  }

  private static String manage() {
    return "#!/usr/bin/env python\n"
        + "import os\nimport sys\n\n\n"
        + "def main():\n"
        + "    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"proj.settings\")\n"
        + "    from django.core.management import execute_from_command_line\n\n"
        + "    execute_from_command_line(sys.argv)\n\n\n"
        + "if __name__ == \"__main__\":\n    main()\n";
  }

  private String settings() {
    List<String> entries = new ArrayList<>();
    for (App a : apps) {
      if (a.installed) {
        entries.add(a.appsPy == AppsPy.DOTTED ? a.module + ".apps." + configClass(a) : a.module);
      }
    }
    Collections.shuffle(entries, r);
    StringBuilder sb = new StringBuilder();
    sb.append("SECRET_KEY = \"migdiff-oracle-").append(seed).append("\"\n\n");
    boolean tuple = r.nextInt(5) == 0;
    if (r.nextInt(6) == 0) {
      sb.append("# INSTALLED_APPS = [\"ghost\"]\n");
      features.add("settings-comment");
    }
    sb.append("INSTALLED_APPS = ").append(tuple ? "(" : "[").append("\n");
    sb.append("    \"django.contrib.contenttypes\",\n    \"django.contrib.auth\",\n");
    for (String e : entries) {
      sb.append("    \"").append(e).append("\",\n");
    }
    sb.append(tuple ? ")" : "]").append("\n");
    if (tuple) {
      features.add("settings-installed-apps-tuple");
    }
    if (authUserModel != null) {
      sb.append("\nAUTH_USER_MODEL = \"").append(authUserModel).append("\"\n");
    }
    return sb.toString();
  }

  private static String configClass(App a) {
    StringBuilder sb = new StringBuilder();
    for (String part : a.module.split("_")) {
      sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return sb.append("Config").toString();
  }

  private String appsPy(App a) {
    String cls = configClass(a);
    String head = "from django.apps import AppConfig\n\n\n";
    return switch (a.appsPy) {
      case NONE -> null;
      case PLAIN -> head + config(cls, a.module, null, null);
      case LABEL -> head + config(cls, a.module, a.label, null);
      case TWO_DEFAULT -> head + twoConfigs(config(cls, a.module, a.label, "True"),
          config("Alt" + cls, a.module, a.altLabel, null));
      case TWO_NO_DEFAULT -> head + twoConfigs(config(cls, a.module, a.altLabel, null),
          config("Alt" + cls, a.module, a.module + "_other", null));
      case DEFAULT_FALSE -> head + config(cls, a.module, a.altLabel, "False");
      case DOTTED -> head + twoConfigs(
          config(cls, a.module, a.label.equals(a.module) ? null : a.label, null),
          config("Alt" + cls, a.module, a.altLabel, "True"));
    };
  }

  private String twoConfigs(String one, String two) {
    return r.nextBoolean() ? one + "\n\n" + two : two + "\n\n" + one;
  }

  private static String config(String cls, String name, String label, String isDefault) {
    StringBuilder sb = new StringBuilder();
    sb.append("class ").append(cls).append("(AppConfig):\n");
    sb.append("    name = \"").append(name).append("\"\n");
    if (label != null) {
      sb.append("    label = \"").append(label).append("\"\n");
    }
    if (isDefault != null) {
      sb.append("    default = ").append(isDefault).append("\n");
    }
    return sb.toString();
  }

  /** Renders a migration module, sprinkling in syntax that naive parsers get wrong. */
  private String migration(Mig m) {
    String ind = "    ";
    if (r.nextInt(10) == 0) {
      ind = "\t";
      features.add("trap-tabs");
    }
    char q = r.nextInt(4) == 0 ? '\'' : '"';
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(8) == 0) {
      sb.append("# -*- coding: utf-8 -*-\n");
    }
    if (r.nextInt(8) == 0) {
      sb.append("\"\"\"Generated migration.\n\nOld: dependencies = [(\"ghost\", \"0001_initial\")]\n\"\"\"\n");
      features.add("trap-docstring");
    }
    boolean swappable = m.deps.stream().anyMatch(Ref::swappable);
    if (swappable) {
      sb.append("from django.conf import settings\n");
    }
    sb.append("from django.db import migrations\n\n");
    if (r.nextInt(10) == 0) {
      sb.append("NOTES = '''\nclass Migration(migrations.Migration):\n")
          .append("    dependencies = [(\"ghost\", \"0002_x\")]\n    replaces = [(\"ghost\", \"0001\")]\n'''\n\n");
      features.add("trap-triple-quoted");
    }
    sb.append("\nclass ").append(m.noClass ? "Migrations" : "Migration").append("(migrations.Migration):\n");
    if (r.nextInt(6) == 0) {
      sb.append(ind).append("\"\"\"Run_before = [(\"ghost\", \"0001_initial\")] is not real.\"\"\"\n\n");
      features.add("trap-docstring");
    }
    if (m.initial) {
      sb.append(ind).append("initial = True\n\n");
    }
    if (!m.replaces.isEmpty()) {
      List<Ref> refs = new ArrayList<>();
      m.replaces.forEach(x -> refs.add(Ref.to(x)));
      sb.append(refList("replaces", refs, ind, q));
    }
    if (r.nextInt(7) == 0) {
      sb.append(ind).append("# dependencies = [(\"ghost\", \"0001_initial\")]\n");
      features.add("trap-comment");
    }
    if (!m.deps.isEmpty() || r.nextBoolean()) {
      sb.append(refList("dependencies", m.deps, ind, q));
    }
    if (!m.runBefore.isEmpty()) {
      sb.append(refList("run_before", m.runBefore, ind, q));
    }
    switch (r.nextInt(3)) {
      case 0 -> sb.append(ind).append("operations = []\n");
      case 1 -> sb.append(ind).append("operations = [\n").append(ind).append(ind)
          .append("migrations.RunSQL(\"SELECT 1\", migrations.RunSQL.noop),\n").append(ind).append("]\n");
      default -> features.add("operations-omitted");
    }
    String body = sb.substring(sb.lastIndexOf("(migrations.Migration):\n"));
    boolean empty = body.lines().skip(1).map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
    return empty ? sb.append(ind).append("pass\n").toString() : sb.toString();
  }

  private String refList(String attr, List<Ref> refs, String ind, char q) {
    StringBuilder sb = new StringBuilder(ind).append(attr).append(" = ");
    if (r.nextInt(10) == 0) {
      sb.append("\\\n").append(ind).append(ind);
      features.add("trap-backslash-continuation");
    }
    if (refs.size() >= 2 && r.nextInt(6) == 0) {
      int cut = 1 + r.nextInt(refs.size() - 1);
      sb.append(container(refs.subList(0, cut), ind, q, false)).append(" + ")
          .append(container(refs.subList(cut, refs.size()), ind, q, false));
      features.add("trap-plus-list");
    } else {
      boolean tuple = r.nextInt(8) == 0;
      if (tuple) {
        features.add("trap-tuple-container");
      }
      sb.append(container(refs, ind, q, tuple));
    }
    return sb.append("\n\n").toString();
  }

  private String container(List<Ref> refs, String ind, char q, boolean tuple) {
    String open = tuple ? "(" : "[";
    String close = tuple ? ")" : "]";
    if (refs.isEmpty()) {
      return tuple ? "()" : "[]";
    }
    boolean multiline = r.nextInt(3) != 0;
    StringBuilder sb = new StringBuilder(open);
    for (int i = 0; i < refs.size(); i++) {
      boolean lastItem = i == refs.size() - 1;
      if (multiline) {
        sb.append("\n").append(ind).append(ind);
      } else if (i > 0) {
        sb.append(" ");
      }
      sb.append(ref(refs.get(i), ind, q));
      if (!lastItem || multiline || (tuple && refs.size() == 1) || r.nextInt(4) == 0) {
        sb.append(",");
        if (!multiline && lastItem) {
          features.add("trap-trailing-comma");
        }
      }
    }
    if (multiline) {
      sb.append("\n").append(ind);
    }
    return sb.append(close).toString();
  }

  private String ref(Ref d, String ind, char q) {
    if (d.swappable()) {
      return "migrations.swappable_dependency(settings.AUTH_USER_MODEL)";
    }
    String label = q + d.label() + q;
    String name = str(d.name(), q);
    if (r.nextInt(8) == 0) {
      features.add("trap-multiline-tuple");
      String in = ind + ind + ind;
      return "(\n" + in + label + ",\n" + in + name + ",\n" + ind + ind + ")";
    }
    if (r.nextInt(12) == 0) {
      features.add("trap-backslash-continuation");
      return "(" + label + ", \\\n" + ind + ind + ind + name + ")";
    }
    return "(" + label + ", " + name + ")";
  }

  private String str(String s, char q) {
    if (s.length() > 5 && r.nextInt(8) == 0) {
      int cut = 1 + r.nextInt(s.length() - 1);
      features.add("trap-implicit-concat");
      return q + s.substring(0, cut) + q + " " + q + s.substring(cut) + q;
    }
    if (s.length() > 5 && r.nextInt(10) == 0) {
      int cut = 1 + r.nextInt(s.length() - 1);
      features.add("trap-plus-string");
      return q + s.substring(0, cut) + q + " + " + q + s.substring(cut) + q;
    }
    return q + s + q;
  }

  /** Features that every long enough seed range is expected to cover. */
  public static Map<String, Integer> featureCounts(long fromSeed, long toSeed) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (long s = fromSeed; s <= toSeed; s++) {
      for (String f : generate(s).features()) {
        counts.merge(f, 1, Integer::sum);
      }
    }
    return new TreeMap<>(counts);
  }
}
