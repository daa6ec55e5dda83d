package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Module;
import dev.migdiff.python.Position;
import dev.migdiff.python.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code AppConfig} subclasses of one module and their class attributes, read statically,
 * with inheritance between classes of the same module.
 */
final class AppConfigs {
  /** One config class: its own attributes, and its base if that is a config of this module. */
  record Config(String name, Position pos, Map<String, Expr> attributes, String localBase) {}

  private final Map<String, Config> configs = new LinkedHashMap<>();

  AppConfigs(Module module) {
    for (Stmt s : module.body()) {
      if (s instanceof Stmt.ClassDef c) {
        String base = configBase(c);
        if (base != null) {
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
          configs.put(c.name(), new Config(c.name(), c.pos(), attrs,
              base.isEmpty() ? null : base));
        }
      }
    }
  }

  /** "" for a direct AppConfig subclass, the base's name for a subclass of a local config. */
  private String configBase(Stmt.ClassDef c) {
    for (Expr b : c.bases()) {
      String dotted = StaticEvaluator.dotted(b);
      if (dotted == null) {
        continue;
      }
      if (dotted.equals("AppConfig") || dotted.endsWith(".AppConfig")) {
        return "";
      }
      if (configs.containsKey(dotted)) {
        return dotted;
      }
    }
    return null;
  }

  List<Config> all() {
    return new ArrayList<>(configs.values());
  }

  Config get(String name) {
    return configs.get(name);
  }

  /** A class attribute, looked up through local bases; null when not set. */
  Expr attribute(Config c, String attr) {
    for (Config k = c; k != null; k = k.localBase() == null ? null : configs.get(k.localBase())) {
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
