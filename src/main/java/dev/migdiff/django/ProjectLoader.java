package dev.migdiff.django;

import dev.migdiff.python.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a Django project from one revision the way {@code MigrationLoader.load_disk} would: the
 * settings module from manage.py, its literal INSTALLED_APPS, each app's label and migrations
 * module, and every migration in it. Falls back to every migrations package in the tree when no
 * settings can be read, and says so.
 */
public final class ProjectLoader {
  private final SourceTree tree;
  private final DjangoConfig config;
  private final Map<String, dev.migdiff.python.Module> parsed;
  private final List<Problem> problems = new ArrayList<>();

  private ProjectLoader(SourceTree tree, DjangoConfig config,
      Map<String, dev.migdiff.python.Module> parsed) {
    this.tree = tree;
    this.config = config;
    this.parsed = parsed;
  }

  public static DjangoProject load(SourceTree tree, DjangoConfig config) throws IOException {
    return load(tree, config, new HashMap<>());
  }

  /**
   * Loads with a parse cache keyed by content id (Git blob id), shared by the revisions of one
   * run: a migration unchanged between them is parsed once.
   */
  public static DjangoProject load(SourceTree tree, DjangoConfig config,
      Map<String, dev.migdiff.python.Module> parsedByContentId) throws IOException {
    return new ProjectLoader(tree, config, parsedByContentId).load();
  }

  private DjangoProject load() throws IOException {
    String root = config.projectRoot();
    if (root == null) {
      root = ProjectLocator.findManagePy(tree).orElse(null);
    }
    String settingsModule = config.settingsModule();
    if (settingsModule == null && root != null) {
      settingsModule = ProjectLocator.settingsFromManagePy(tree, root).orElse(null);
    }
    SourceFiles files = new SourceFiles(tree, List.of(root == null ? "" : root), parsed);
    Settings settings = null;
    if (settingsModule != null) {
      settings = Settings.read(files, settingsModule, problems);
    } else {
      problems.add(Problem.warning("settings-not-found", root == null ? null
              : SourceTree.join(root, "manage.py"), null,
          root == null ? "no manage.py found" : "manage.py does not set DJANGO_SETTINGS_MODULE")
          .withHint("set settings in [tool.migdiff] or pass --settings; until then migdiff uses "
              + "every migrations package in the tree"));
    }
    List<App> apps;
    boolean closedWorld;
    if (settings != null && settings.installedApps() != null) {
      AppResolver resolver = new AppResolver(files, config, settings, problems);
      apps = resolver.resolve(settings.installedApps());
      closedWorld = resolver.labelsCertain();
    } else {
      apps = new FallbackDiscovery(files, config, problems).discover();
      closedWorld = false;
    }
    Settings s = settings;
    MigrationReader reader = new MigrationReader(name -> setting(s, name));
    List<Migration> migrations = new ArrayList<>();
    for (App app : apps) {
      if (app.state() != App.State.MIGRATED) {
        continue;
      }
      for (MigrationNames.Found f : MigrationNames.list(tree, app.migrationsPath())) {
        String path = SourceTree.join(app.migrationsPath(), f.entry().name());
        MigrationKey key = new MigrationKey(app.label(), f.name());
        if (!f.entry().name().endsWith(".py")) {
          problems.add(Problem.warning("unreadable-migration", path, null,
              "Django loads " + key + " from a compiled or linked module that migdiff cannot read")
              .withHint("remove the stray file, or commit its source instead"));
          continue;
        }
        if (f.entry().kind() != SourceTree.Kind.FILE) {
          problems.add(Problem.warning("unreadable-migration", path, null,
              key + " is a " + f.entry().kind().name().toLowerCase(java.util.Locale.ROOT)
                  + ", not a file; migdiff does not follow it"));
          continue;
        }
        dev.migdiff.python.Module module = files.parse(f.entry());
        if (module == SourceFiles.TOO_LARGE) {
          problems.add(Problem.warning("unreadable-migration", path, null,
              key + " is larger than 8 MB; migdiff does not parse it, so its dependencies are "
                  + "unknown")
              .withHint("generated data belongs in a fixture or a data file, not in the migration"));
          continue;
        }
        if (!module.problems().isEmpty() && module.problems().get(0).pos().line() == 1
            && isLfsPointer(tree.read(f.entry()))) {
          problems.add(Problem.warning("unreadable-migration", path, null,
              key + " is a Git LFS pointer: the file's content is in LFS storage, not in the Git "
                  + "objects migdiff reads")
              .withHint("keep migrations out of Git LFS (see .gitattributes)"));
          continue;
        }
        MigrationReader.Result r = reader.read(key, path, f.entry().id(), module);
        problems.addAll(r.problems());
        if (r.migration() != null) {
          migrations.add(r.migration());
        }
      }
    }
    return new DjangoProject(root, settings == null ? null : settingsModule, apps, migrations,
        closedWorld, List.copyOf(problems));
  }

  /** A Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). */
  static boolean isLfsPointer(byte[] content) {
    byte[] head = "version https://git-lfs.github.com/spec/".getBytes(StandardCharsets.US_ASCII);
    return content.length < 1024 && content.length >= head.length
        && java.util.Arrays.equals(content, 0, head.length, head, 0, head.length);
  }

  private PyValue setting(Settings settings, String name) {
    if (name.equals("AUTH_USER_MODEL")) {
      if (config.authUserModel() != null) {
        return new PyValue.Str(config.authUserModel());
      }
      PyValue v = settings == null ? null : settings.get("AUTH_USER_MODEL");
      return v != null ? v : new PyValue.Str("auth.User");
    }
    return settings == null ? null : settings.get(name);
  }

  /** The three settings migdiff reads, evaluated from the settings module. */
  record Settings(String path, ModuleScope scope, List<PyValue.Item> installedApps,
      Map<String, Optional<String>> migrationModules) {

    PyValue get(String name) {
      return scope.get(name);
    }

    static Settings read(SourceFiles files, String module, List<Problem> problems)
        throws IOException {
      Optional<ModuleScope> scope = ModuleScope.of(files, module);
      if (scope.isEmpty()) {
        problems.add(Problem.warning("settings-not-found", null, null,
            "settings module '" + module + "' is not in the repository")
            .withHint("set settings (and project-root) in [tool.migdiff]; until then migdiff "
                + "uses every migrations package in the tree"));
        return null;
      }
      ModuleScope s = scope.get();
      List<PyValue.Item> installed = null;
      PyValue apps = s.get("INSTALLED_APPS");
      if (apps instanceof PyValue.Seq seq) {
        installed = seq.items();
      } else {
        NotStaticException why = s.failures.get("INSTALLED_APPS");
        List<dev.migdiff.python.SyntaxProblem> syntax = files.parse(s.path).problems();
        if (why == null && !syntax.isEmpty()) {
          problems.add(Problem.warning("settings-not-static", s.path, syntax.get(0).pos(),
              "INSTALLED_APPS cannot be read: the settings file does not parse: "
                  + syntax.get(0).message())
              .withHint("migdiff uses every migrations package in the tree instead"));
        } else {
          problems.add(Problem.warning("settings-not-static", s.path,
              why == null ? null : why.pos(),
              "INSTALLED_APPS cannot be read statically"
                  + (why == null ? " (not set)" : ": " + why.getMessage()))
              .withHint("migdiff uses every migrations package in the tree instead"));
        }
      }
      Position cond = s.conditional.get("INSTALLED_APPS");
      if (installed != null && cond != null) {
        problems.add(Problem.info("settings-conditional", s.path, cond,
            "INSTALLED_APPS is also changed conditionally; migdiff uses the unconditional value"));
      }
      Map<String, Optional<String>> modules = new LinkedHashMap<>();
      PyValue mm = s.get("MIGRATION_MODULES");
      if (mm instanceof PyValue.Dict d) {
        d.entries().forEach((k, v) -> {
          if (k instanceof PyValue.Str ks) {
            if (v instanceof PyValue.Str vs) {
              modules.put(ks.value(), Optional.of(vs.value()));
            } else if (v == PyValue.None.NONE) {
              modules.put(ks.value(), Optional.empty());
            }
          }
        });
      } else if (s.failures.containsKey("MIGRATION_MODULES")) {
        NotStaticException why = s.failures.get("MIGRATION_MODULES");
        problems.add(Problem.warning("settings-not-static", s.path, why.pos(),
            "MIGRATION_MODULES cannot be read statically: " + why.getMessage())
            .withHint("set migration-modules in [tool.migdiff]"));
      }
      return new Settings(s.path, s, installed, modules);
    }
  }

  static Map<String, Optional<String>> mergedModules(Settings settings, DjangoConfig config) {
    Map<String, Optional<String>> out = new HashMap<>();
    if (settings != null) {
      out.putAll(settings.migrationModules());
    }
    config.migrationModules().forEach((k, v) -> out.put(k, Optional.ofNullable(v)));
    return out;
  }
}
