package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Module;
import dev.migdiff.python.Position;
import dev.migdiff.python.Stmt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code AppConfig} subclasses of one module and their class attributes, read statically,
 * with inheritance between config classes of the repository: a base class defined in the module,
 * or imported from another module of the repository ({@code from oscar.core.application import
 * OscarConfig}). Like {@code inspect.getmembers} in {@code AppConfig.create}, the configs of a
 * module include those it imports by name.
 */
final class AppConfigs {
  private static final int MAX_DEPTH = 8;

  /**
   * One config class: where it is defined, its own attributes, and its base when that is a config
   * class migdiff can read (null for a direct AppConfig subclass).
   */
  record Config(String name, String file, Position pos, Map<String, Expr> attributes, Config base) {}

  private final Map<String, Config> configs = new LinkedHashMap<>();

  private AppConfigs() {}

  /** Reads the module in file {@code path}, following imports of config classes. */
  static AppConfigs read(SourceFiles files, String path) throws IOException {
    return read(files, path, new HashSet<>());
  }

  private static AppConfigs read(SourceFiles files, String path, Set<String> active)
      throws IOException {
    AppConfigs out = new AppConfigs();
    if (active.size() > MAX_DEPTH || !active.add(path)) {
      return out;
    }
    Module module = files.parse(path);
    String dotted = files.moduleName(path);
    String pkg = dotted == null ? null : path.endsWith("/__init__.py") ? dotted
        : dotted.contains(".") ? dotted.substring(0, dotted.lastIndexOf('.')) : "";
    Map<String, String> moduleAliases = new LinkedHashMap<>();
    Set<String> external = new HashSet<>();
    for (Stmt s : module.body()) {
      if (s instanceof Stmt.ImportFrom imp && pkg != null) {
        String from = ModuleScope.resolveRelative(pkg, imp.level(), imp.module());
        Optional<String> file = from == null ? Optional.empty() : files.moduleFile(from);
        AppConfigs other = null;
        for (Stmt.Alias a : imp.names()) {
          String bound = a.asName() != null ? a.asName() : a.name();
          if (a.name().equals("*") || from == null) {
            continue;
          }
          if (files.moduleFile(from + "." + a.name()).isPresent()) {
            moduleAliases.put(bound, from + "." + a.name()); // from shop.core import application
            continue;
          }
          if (file.isEmpty()) {
            external.add(bound); // from modelsearch.apps import ModelSearchAppConfig
            continue;
          }
          other = other != null ? other : read(files, file.get(), active);
          Config c = other.get(a.name());
          if (c != null) {
            out.configs.put(bound, c);
          }
        }
      } else if (s instanceof Stmt.Import imp) {
        for (Stmt.Alias a : imp.names()) {
          moduleAliases.put(a.asName() != null ? a.asName() : a.name(), a.name());
        }
      } else if (s instanceof Stmt.ClassDef c) {
        Map<String, Expr> attrs = new LinkedHashMap<>();
        for (Stmt b : c.body()) {
          if (b instanceof Stmt.Assign a) {
            for (Expr t : a.targets()) {
              if (t instanceof Expr.Name n) {
                attrs.put(n.id(), a.value());
              }
            }
          }
        }
        Optional<Config> base = out.configBase(c, files, moduleAliases, active);
        if (base == null && derivesFromExternalConfig(c, attrs, external)) {
          base = Optional.empty();
        }
        if (base != null) {
          out.configs.put(c.name(), new Config(c.name(), path, c.pos(), attrs,
              base.orElse(null)));
        }
      }
    }
    active.remove(path);
    return out;
  }

  /**
   * Empty for a direct AppConfig subclass, the base config for a subclass of a known config, null
   * when the class is not a config.
   */
  private Optional<Config> configBase(Stmt.ClassDef c, SourceFiles files,
      Map<String, String> moduleAliases, Set<String> active) throws IOException {
    for (Expr b : c.bases()) {
      String dotted = StaticEvaluator.dotted(b);
      if (dotted == null) {
        continue;
      }
      if (dotted.equals("AppConfig") || dotted.endsWith(".AppConfig")) {
        return Optional.empty();
      }
      if (configs.containsKey(dotted)) {
        return Optional.of(configs.get(dotted));
      }
      int dot = dotted.lastIndexOf('.');
      if (dot > 0) {
        // module.Class, with the module imported as 'import a.b' or 'import a.b as m'
        String head = dotted.substring(0, dot);
        String first = head.contains(".") ? head.substring(0, head.indexOf('.')) : head;
        String module = moduleAliases.containsKey(head) ? moduleAliases.get(head)
            : moduleAliases.containsKey(first) ? head : null;
        Optional<String> file = module == null ? Optional.empty() : files.moduleFile(module);
        if (file.isPresent()) {
          Config base = read(files, file.get(), active).get(dotted.substring(dot + 1));
          if (base != null) {
            return Optional.of(base);
          }
        }
      }
    }
    return null;
  }

  /**
   * A class whose base is a name imported from outside the repository (wagtail's
   * {@code class WagtailSearchAppConfig(ModelSearchAppConfig)}, the base from the third-party
   * {@code modelsearch.apps}) and that says {@code default = True}: only a config is chosen by that
   * attribute, so it is taken for one. Without it the answer is the module's name either way: if
   * the imported base is a config, {@code inspect.getmembers} sees two candidates and no default;
   * if it is not, neither class is a config.
   */
  private static boolean derivesFromExternalConfig(Stmt.ClassDef c, Map<String, Expr> attrs,
      Set<String> external) {
    boolean externalBase = false;
    for (Expr b : c.bases()) {
      String dotted = StaticEvaluator.dotted(b);
      externalBase |= dotted != null && external.contains(dotted);
    }
    return externalBase && attrs.get("default") instanceof Expr.Const k
        && k.kind() == Expr.Const.Kind.TRUE;
  }

  /** The config classes bound in the module, defined there or imported, in binding order. */
  List<Config> all() {
    return new ArrayList<>(configs.values());
  }

  /** The config class bound to {@code name} in the module, or null. */
  Config get(String name) {
    return configs.get(name);
  }

  /** A class attribute, looked up through known bases; null when not set. */
  Expr attribute(Config c, String attr) {
    for (Config k = c; k != null; k = k.base()) {
      Expr e = k.attributes().get(attr);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /** Python truthiness of a literal attribute; {@code dflt} when unset or not a literal. */
  boolean truthy(Config c, String attr, boolean dflt) {
    Expr e = attribute(c, attr);
    if (e instanceof Expr.Const k) {
      return k.kind() == Expr.Const.Kind.TRUE;
    }
    if (e instanceof Expr.Num n) {
      return !n.text().matches("0+(\\.0*)?");
    }
    if (e instanceof Expr.Str s) {
      return !s.value().isEmpty();
    }
    return dflt;
  }
}
