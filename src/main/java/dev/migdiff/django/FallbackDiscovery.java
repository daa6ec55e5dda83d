package dev.migdiff.django;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Without readable settings: every {@code migrations} package in the tree is an app, labelled
 * by its apps.py config or its directory name (or the configured override).
 */
final class FallbackDiscovery {
  private final SourceFiles files;
  private final DjangoConfig config;
  private final List<Problem> problems;

  private final AppResolver resolver;

  FallbackDiscovery(SourceFiles files, DjangoConfig config, List<Problem> problems) {
    this(files, config, problems, null);
  }

  /**
   * With a resolver, apps are labelled as if INSTALLED_APPS named their module (Django's
   * {@code AppConfig.create} rules), for apps that stand in for part of a readable INSTALLED_APPS.
   */
  FallbackDiscovery(SourceFiles files, DjangoConfig config, List<Problem> problems,
      AppResolver resolver) {
    this.files = files;
    this.config = config;
    this.problems = problems;
    this.resolver = resolver;
  }

  List<App> discover() throws IOException {
    return discover(List.of(), false);
  }

  /**
   * The migrations packages besides the {@code certain} apps (those are kept, and their labels
   * and packages are not used again); with {@code outsideTests}, packages in test trees are left
   * out, since test projects reuse the labels of real apps (django-oscar's
   * {@code tests/_site/apps/partner}).
   */
  List<App> discover(List<App> certain, boolean outsideTests) throws IOException {
    SourceTree tree = files.tree();
    Map<String, App> byLabel = new HashMap<>();
    java.util.Set<String> knownPaths = new java.util.HashSet<>();
    for (App a : certain) {
      byLabel.put(a.label(), a);
      if (a.migrationsPath() != null) {
        knownPaths.add(a.migrationsPath());
      }
    }
    List<App> out = new ArrayList<>();
    for (String dir : tree.findDirectories("migrations")) {
      if (dir.contains("site-packages/") || dir.contains("node_modules/")
          || dir.startsWith(".") || dir.contains("/.") || knownPaths.contains(dir)
          || outsideTests && inTestTree(dir)) {
        continue;
      }
      boolean hasInit = tree.list(dir).stream()
          .anyMatch(e -> "__init__".equals(MigrationNames.moduleName(e.name())));
      String appDir = SourceTree.parent(dir);
      if (!hasInit || appDir.isEmpty()) {
        continue;
      }
      String base = sourceRoot(appDir);
      String name = (base.isEmpty() ? appDir : appDir.substring(base.length() + 1))
          .replace('/', '.');
      String label = config.labels().getOrDefault(name, labelOf(appDir, name, base));
      App app = new App(label, name, name + ".migrations", dir, App.State.MIGRATED);
      if (byLabel.containsKey(label)) {
        App other = byLabel.get(label);
        problems.add(Problem.warning(outsideTests ? "guessed-app-label" : "duplicate-app-label",
            dir, null, "app label '" + label + "' is used by "
                + (other.migrationsPath() != null ? other.migrationsPath() : other.name())
                + " too; this one is left out")
            .withHint("set the label of one of them under [tool.migdiff.labels]"));
        continue;
      }
      byLabel.put(label, app);
      out.add(app);
    }
    out.sort((a, b) -> MigrationKey.comparePython(a.label(), b.label()));
    return out;
  }

  private static final java.util.Set<String> TEST_DIRS = java.util.Set.of("test", "tests",
      "testing", "testapp", "testapps", "test_app", "test_apps", "testproject", "test_project",
      "tests_app", "tests_apps");

  /** Whether a directory is inside a test tree ({@code tests/}, {@code test_*}, {@code *_tests}). */
  static boolean inTestTree(String dir) {
    for (String part : dir.split("/")) {
      if (TEST_DIRS.contains(part) || part.startsWith("test_") || part.endsWith("_tests")) {
        return true;
      }
    }
    return false;
  }

  /** The longest configured source root holding {@code dir}, or "" (the repository root). */
  private String sourceRoot(String dir) {
    String best = "";
    for (String root : config.roots()) {
      if (!root.isEmpty() && dir.startsWith(root + "/") && root.length() > best.length()) {
        best = root;
      }
    }
    return best;
  }

  /**
   * As Django's AppConfig.create: {@code default_app_config} in __init__.py before 4.1 (it takes
   * over apps.py in 3.2-4.0), then apps.py's single config from 3.2, else the directory name.
   */
  private String labelOf(String appDir, String name, String base) throws IOException {
    if (resolver != null) {
      return resolver.labelOfModule(name);
    }
    if (!config.djangoAtLeast(4, 1)) {
      String legacy = defaultAppConfigLabel(appDir, base);
      if (legacy != null) {
        return legacy;
      }
    }
    // As AppResolver: apps.py labels an app automatically only since Django 3.2.
    Optional<SourceTree.Entry> appsPy = config.djangoAtLeast(3, 2)
        ? files.tree().entry(appDir + "/apps.py") : Optional.empty();
    if (appsPy.isPresent()) {
      AppConfigs configs = AppConfigs.read(files, appDir + "/apps.py");
      List<AppConfigs.Config> all = configs.all();
      if (all.size() == 1) {
        dev.migdiff.python.Expr label = configs.attribute(all.get(0), "label");
        if (label instanceof dev.migdiff.python.Expr.Str s) {
          return s.value();
        }
      }
    }
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** The label of the AppConfig that {@code default_app_config} names, if it is literal. */
  private String defaultAppConfigLabel(String appDir, String base) throws IOException {
    Optional<SourceTree.Entry> init = files.tree().entry(appDir + "/__init__.py");
    if (init.isEmpty() || init.get().kind() != SourceTree.Kind.FILE) {
      return null;
    }
    for (dev.migdiff.python.Stmt st : files.parse(init.get()).body()) {
      if (st instanceof dev.migdiff.python.Stmt.Assign a
          && a.value() instanceof dev.migdiff.python.Expr.Str v
          && a.targets().stream().anyMatch(t -> t instanceof dev.migdiff.python.Expr.Name n
              && n.id().equals("default_app_config"))) {
        int dot = v.value().lastIndexOf('.');
        // Module names here are relative to the app's source root (the repository root unless a
        // packaging file declares one), like the app names above: a manage.py in a template
        // directory must not move them.
        String modPath = dot > 0 ? SourceTree.join(base,
            v.value().substring(0, dot).replace('.', '/') + ".py") : null;
        Optional<SourceTree.Entry> mod = modPath == null ? Optional.empty()
            : files.tree().entry(modPath);
        if (mod.isPresent() && mod.get().kind() == SourceTree.Kind.FILE) {
          AppConfigs configs = AppConfigs.read(files, modPath);
          AppConfigs.Config c = configs.get(v.value().substring(dot + 1));
          if (c != null && configs.attribute(c, "label") instanceof dev.migdiff.python.Expr.Str l) {
            return l.value();
          }
        }
      }
    }
    return null;
  }
}
