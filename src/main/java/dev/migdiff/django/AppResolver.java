package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Module;
import dev.migdiff.python.Position;
import dev.migdiff.python.Stmt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns INSTALLED_APPS entries into apps with labels, following {@code AppConfig.create}
 * (django/apps/config.py, 3.2+): an app module with an {@code apps.py} holding one config (or one
 * with {@code default = True}), a dotted path to a config class, or a plain module; then finds
 * each app's migrations module ({@code MigrationLoader.migrations_module}).
 */
final class AppResolver {
  private final SourceFiles files;
  private final DjangoConfig config;
  private final Map<String, Optional<String>> migrationModules;
  private final List<Problem> problems;
  private final String settingsPath;
  private boolean labelsCertain = true;
  /** Guessed labels, and whether each is guessed because the app's code is elsewhere. */
  private final Map<String, Boolean> guessedLabels = new java.util.HashMap<>();

  AppResolver(SourceFiles files, DjangoConfig config, ProjectLoader.Settings settings,
      List<Problem> problems) {
    this.files = files;
    this.config = config;
    this.migrationModules = ProjectLoader.mergedModules(settings, config);
    this.problems = problems;
    this.settingsPath = settings.path();
  }

  /** Whether every app's label is known for sure (no guessed third-party labels). */
  boolean labelsCertain() {
    return labelsCertain;
  }

  List<App> resolve(List<PyValue.Item> entries) throws IOException {
    Map<String, App> byLabel = new LinkedHashMap<>();
    for (PyValue.Item item : entries) {
      if (!(item.value() instanceof PyValue.Str s)) {
        problems.add(Problem.warning("settings-not-static", settingsPath, item.pos(),
            "an INSTALLED_APPS entry is not a string"));
        labelsCertain = false;
        continue;
      }
      Identity id = identify(s.value(), item.pos());
      if (id == null) {
        continue;
      }
      boolean configured = config.labels().containsKey(id.name);
      String label = configured ? config.labels().get(id.name) : id.label;
      boolean guessed = id.guessed && !configured;
      App app = locate(label, id.name, id.external);
      if (byLabel.containsKey(label)) {
        boolean otherGuessed = guessedLabels.containsKey(label);
        if (!guessed && !otherGuessed) {
          problems.add(Problem.error("duplicate-app-label", settingsPath, item.pos(),
              "Application labels aren't unique, duplicates: " + label)
              .withHint("ImproperlyConfigured in Django: give one of the AppConfigs another label"));
          continue;
        }
        // A label migdiff only guessed must not turn into an error that hides other apps. The
        // app left out has some other label, which migdiff does not know: no label is unknown
        // for sure any more.
        labelsCertain = false;
        App other = byLabel.get(label);
        App dropped = guessed ? app : other;
        boolean elsewhere = guessed ? id.external : guessedLabels.get(label);
        problems.add(Problem.warning("guessed-app-label", settingsPath, item.pos(),
            "the label '" + label + "' of '" + dropped.name() + "' is a guess ("
                + (elsewhere ? "its code is not in the repository"
                    : "its AppConfig's label is not a literal string")
                + ") and clashes with '" + (guessed ? other : app).name()
                + "'; migdiff leaves the guess out")
            .withHint("set the real label under [tool.migdiff.labels], e.g. \"" + dropped.name()
                + "\" = \"<label>\", or add its source root to source-roots"));
        if (guessed) {
          continue;
        }
        guessedLabels.remove(label);
        byLabel.remove(label);
      }
      if (guessed) {
        guessedLabels.put(label, id.external);
      }
      byLabel.put(label, app);
    }
    return new ArrayList<>(byLabel.values());
  }

  /** The label Django gives the app module {@code name} when INSTALLED_APPS lists it. */
  String labelOfModule(String name) throws IOException {
    Identity id = identify(name, null);
    return id == null ? lastName(name) : id.label;
  }

  /** An app as INSTALLED_APPS names it; {@code guessed} when its label was not read. */
  private record Identity(String name, String label, boolean external, boolean guessed) {
    Identity(String name, String label, boolean external) {
      this(name, label, external, external);
    }
  }

  private Identity identify(String entry, Position pos) throws IOException {
    Optional<String> pkg = files.packageDir(entry);
    if (pkg.isPresent()) {
      return fromAppModule(entry, pkg.get(), pos);
    }
    int dot = entry.lastIndexOf('.');
    if (dot > 0) {
      Optional<String> mod = files.moduleFile(entry.substring(0, dot));
      if (mod.isPresent()) {
        AppConfigs configs = AppConfigs.read(files, mod.get());
        AppConfigs.Config c = configs.get(entry.substring(dot + 1));
        if (c != null) {
          return fromConfig(configs, c, mod.get(), entry);
        }
      }
    }
    Optional<String> single = files.moduleFile(entry);
    if (single.isPresent()) {
      return new Identity(entry, lastName(entry), false);
    }
    return new Identity(externalName(entry), externalLabel(entry), true);
  }

  private Identity fromAppModule(String entry, String dir, Position pos) throws IOException {
    // apps/config.py, AppConfig.create: default_app_config "still takes over the automatic
    // detection until it's removed in Django 4.1".
    if (!config.djangoAtLeast(4, 1)) {
      Identity legacy = defaultAppConfig(entry);
      if (legacy != null) {
        return legacy;
      }
    }
    Identity fromApps = fromAppsPy(entry);
    return fromApps != null ? fromApps : new Identity(entry, lastName(entry), false);
  }

  /** The AppConfig that apps.py provides automatically (Django 3.2+), or null. */
  private Identity fromAppsPy(String entry) throws IOException {
    // apps.py is looked into only since Django 3.2 (apps/config.py, AppConfig.create); before,
    // an app module meant the default AppConfig unless default_app_config named another.
    Optional<String> appsPy = config.djangoAtLeast(3, 2) ? files.moduleFile(entry + ".apps")
        : Optional.empty();
    if (appsPy.isEmpty()) {
      return null;
    }
    AppConfigs configs = AppConfigs.read(files, appsPy.get());
    List<AppConfigs.Config> candidates = new ArrayList<>();
    for (AppConfigs.Config c : configs.all()) {
      if (configs.truthy(c, "default", true)) {
        candidates.add(c);
      }
    }
    if (candidates.size() == 1) {
      return fromConfig(configs, candidates.get(0), appsPy.get(), entry);
    }
    List<AppConfigs.Config> defaults = new ArrayList<>();
    for (AppConfigs.Config c : candidates) {
      if (configs.truthy(c, "default", false)) {
        defaults.add(c);
      }
    }
    if (defaults.size() > 1) {
      problems.add(Problem.error("ambiguous-app-config", defaults.get(1).file(),
          defaults.get(1).pos(),
          "'" + entry + ".apps' declares more than one default AppConfig: "
              + String.join(", ", defaults.stream().map(c -> "'" + c.name() + "'").toList())));
      return fromConfig(configs, defaults.get(0), appsPy.get(), entry);
    }
    if (defaults.size() == 1) {
      return fromConfig(configs, defaults.get(0), appsPy.get(), entry);
    }
    return null;
  }

  /** {@code default_app_config} in the app's __init__.py, honoured before Django 4.1. */
  private Identity defaultAppConfig(String entry) throws IOException {
    Optional<String> init = files.moduleFile(entry);
    if (init.isEmpty()) {
      return null;
    }
    Module m = files.parse(init.get());
    for (Stmt s : m.body()) {
      if (s instanceof Stmt.Assign a && a.value() instanceof Expr.Str v
          && a.targets().stream().anyMatch(t -> t instanceof Expr.Name n
              && n.id().equals("default_app_config"))) {
        String path = v.value();
        int dot = path.lastIndexOf('.');
        Optional<String> mod = dot > 0 ? files.moduleFile(path.substring(0, dot)) : Optional.empty();
        if (mod.isPresent()) {
          AppConfigs configs = AppConfigs.read(files, mod.get());
          AppConfigs.Config c = configs.get(path.substring(dot + 1));
          if (c != null) {
            return fromConfig(configs, c, mod.get(), entry);
          }
        }
      }
    }
    return null;
  }

  private Identity fromConfig(AppConfigs configs, AppConfigs.Config c, String where,
      String entry) {
    String file = c.file();
    String name = literal(configs.attribute(c, "name"));
    if (name == null) {
      problems.add(Problem.error("app-config-without-name", file, c.pos(),
          "AppConfig " + c.name() + " has no literal 'name'; Django requires it")
          .withHint("set name = \"<dotted module of the app>\" on the class"));
      name = entry.endsWith("." + c.name()) ? entry.substring(0, entry.lastIndexOf('.')) : entry;
      if (name.endsWith(".apps")) {
        name = name.substring(0, name.length() - ".apps".length());
      }
    }
    Expr labelExpr = configs.attribute(c, "label");
    String label = literal(labelExpr);
    if (labelExpr != null && label == null) {
      problems.add(Problem.warning("non-static-value", file, labelExpr.pos(),
          "the label of " + c.name() + " is not a literal string; using the module name"));
      labelsCertain = false;
    }
    return new Identity(name, label != null ? label : lastName(name), false,
        labelExpr != null && label == null);
  }

  private static String literal(Expr e) {
    return e instanceof Expr.Str s ? s.value() : null;
  }

  /** The migrations package of an app, by MIGRATION_MODULES or {@code <name>.migrations}. */
  App locate(String label, String name, boolean external) throws IOException {
    return locate(files, problems, migrationModules, label, name, external);
  }

  static App locate(SourceFiles files, List<Problem> problems,
      Map<String, Optional<String>> migrationModules, String label, String name,
      boolean external) throws IOException {
    String module = name + ".migrations";
    boolean explicit = migrationModules.containsKey(label);
    if (explicit) {
      module = migrationModules.get(label).orElse(null);
      if (module == null) {
        return new App(label, name, null, null, App.State.UNMIGRATED);
      }
    }
    Optional<String> dir = files.packageDir(module);
    Optional<String> linked = dir.isEmpty() ? files.linkedPackage(module) : Optional.empty();
    if (linked.isPresent()) {
      problems.add(Problem.warning("unreadable-migration", linked.get().replaceFirst(" is a .*", ""),
          null, "the migrations package of app '" + label + "' is a link: " + linked.get()
              + "; migdiff does not follow symlinks or submodules, so the app's migrations are "
              + "unknown")
          .withHint("commit the migrations as a directory, or set migration-modules in "
              + "[tool.migdiff]"));
    }
    if (dir.isEmpty()) {
      return new App(label, name, module, null,
          external && !explicit ? App.State.EXTERNAL : App.State.UNMIGRATED);
    }
    SourceTree tree = files.tree();
    // __init__.py, asked for by name, is the usual answer: scanning the listing (after every
    // numbered migration) for the other suffixes is left to the rest
    boolean hasInit = tree.entry(SourceTree.join(dir.get(), "__init__.py")).isPresent()
        || tree.list(dir.get()).stream()
            .anyMatch(e -> "__init__".equals(MigrationNames.moduleName(e.name())));
    if (!hasInit) {
      boolean hasPy = tree.list(dir.get()).stream().anyMatch(e -> e.name().endsWith(".py"));
      if (hasPy) {
        problems.add(Problem.warning("namespace-migrations", dir.get(), null,
            "migrations directory of app '" + label + "' has no __init__.py, so Django ignores "
                + "every migration in it")
            .withHint("add an empty " + dir.get() + "/__init__.py"));
      }
      return new App(label, name, module, dir.get(), App.State.UNMIGRATED);
    }
    return new App(label, name, module, dir.get(), App.State.MIGRATED);
  }

  private static String lastName(String dotted) {
    return dotted.substring(dotted.lastIndexOf('.') + 1);
  }

  /** Config module names: {@code shop.apps.ShopConfig}, {@code pkg.apps.x.config.XConfig}. */
  private static final java.util.Set<String> CONFIG_MODULES = java.util.Set.of("apps", "config",
      "app_config", "appconfig", "apps_config");

  /**
   * The module of an app outside the repository: drops a trailing config class and the config
   * module holding it ({@code pkg.apps.x.config.XConfig} gives {@code pkg.apps.x}). A guess: the
   * config's {@code name} could say otherwise.
   */
  private String externalName(String entry) {
    String[] parts = entry.split("\\.");
    String last = parts[parts.length - 1];
    if (!last.isEmpty() && Character.isUpperCase(last.charAt(0)) && parts.length >= 2) {
      labelsCertain = false;
      int keep = parts.length - 1;
      if (keep >= 2 && CONFIG_MODULES.contains(parts[keep - 1])) {
        keep--;
      }
      return String.join(".", java.util.Arrays.copyOf(parts, keep));
    }
    return entry;
  }

  private String externalLabel(String entry) {
    return lastName(externalName(entry));
  }
}
