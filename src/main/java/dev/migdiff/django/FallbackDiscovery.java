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

  FallbackDiscovery(SourceFiles files, DjangoConfig config, List<Problem> problems) {
    this.files = files;
    this.config = config;
    this.problems = problems;
  }

  List<App> discover() throws IOException {
    SourceTree tree = files.tree();
    Map<String, App> byLabel = new HashMap<>();
    List<App> out = new ArrayList<>();
    for (String dir : tree.findDirectories("migrations")) {
      if (dir.contains("site-packages/") || dir.contains("node_modules/")
          || dir.startsWith(".") || dir.contains("/.")) {
        continue;
      }
      boolean hasInit = tree.list(dir).stream()
          .anyMatch(e -> "__init__".equals(MigrationNames.moduleName(e.name())));
      String appDir = SourceTree.parent(dir);
      if (!hasInit || appDir.isEmpty()) {
        continue;
      }
      String name = appDir.replace('/', '.');
      String label = config.labels().getOrDefault(name, labelOf(appDir, name));
      App app = new App(label, name, name + ".migrations", dir, App.State.MIGRATED);
      if (byLabel.containsKey(label)) {
        problems.add(Problem.warning("duplicate-app-label", dir, null,
            "app label '" + label + "' is used by " + byLabel.get(label).migrationsPath()
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

  /**
   * As Django's AppConfig.create: {@code default_app_config} in __init__.py before 4.1 (it takes
   * over apps.py in 3.2-4.0), then apps.py's single config from 3.2, else the directory name.
   */
  private String labelOf(String appDir, String name) throws IOException {
    if (!config.djangoAtLeast(4, 1)) {
      String legacy = defaultAppConfigLabel(appDir);
      if (legacy != null) {
        return legacy;
      }
    }
    // As AppResolver: apps.py labels an app automatically only since Django 3.2.
    Optional<SourceTree.Entry> appsPy = config.djangoAtLeast(3, 2)
        ? files.tree().entry(appDir + "/apps.py") : Optional.empty();
    if (appsPy.isPresent()) {
      AppConfigs configs = new AppConfigs(files.parse(appDir + "/apps.py"));
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
  private String defaultAppConfigLabel(String appDir) throws IOException {
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
        // Module names here are relative to the repository root, like the app names above
        // (a manage.py in a template directory must not move them).
        String modPath = dot > 0 ? v.value().substring(0, dot).replace('.', '/') + ".py" : null;
        Optional<SourceTree.Entry> mod = modPath == null ? Optional.empty()
            : files.tree().entry(modPath);
        if (mod.isPresent() && mod.get().kind() == SourceTree.Kind.FILE) {
          AppConfigs configs = new AppConfigs(files.parse(mod.get()));
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
