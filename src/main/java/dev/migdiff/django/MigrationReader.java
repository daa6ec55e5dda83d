package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Module;
import dev.migdiff.python.Position;
import dev.migdiff.python.PythonParser;
import dev.migdiff.python.Stmt;
import dev.migdiff.python.SyntaxProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the {@code class Migration} of one parsed migration file statically
 * (django/db/migrations/migration.py, {@code class Migration}): dependencies, run_before,
 * replaces, initial, atomic and operations. What cannot be read becomes a finding.
 */
public final class MigrationReader {
  private final Function<String, PyValue> settings;

  /** {@code settings} answers {@code settings.X} (e.g. AUTH_USER_MODEL), null if unknown. */
  public MigrationReader(Function<String, PyValue> settings) {
    this.settings = settings;
  }

  /** The result: the migration (null when Django could not load it) and the findings. */
  public record Result(Migration migration, List<Problem> problems) {}

  public Result read(MigrationKey key, String path, String blobId, Module module) {
    return read(key, path, blobId, module, null);
  }

  /**
   * Reads a module parsed with {@code operations} skimmed ({@link
   * dev.migdiff.python.PythonParser#skim}); {@code full} parses the whole file when the
   * operations are first asked for.
   */
  public Result read(MigrationKey key, String path, String blobId, Module module,
      Supplier<Module> full) {
    List<Problem> problems = new ArrayList<>();
    boolean broken = !module.problems().isEmpty();
    if (broken) {
      SyntaxProblem p = module.problems().get(0);
      problems.add(Problem.error("unparsable-migration", path, p.pos(), p.message())
          .withHint("Django cannot import this file either; fix the syntax"));
    }
    Stmt.ClassDef cls = null;
    int classes = 0;
    Map<String, PyValue> names = new LinkedHashMap<>();
    // Module-level lists of operations (NAME = [migrations.AddField(...), ...]), as bound when the
    // class body runs: saleor builds operations = (A + B + C) from such lists.
    Map<String, List<Expr>> lists = new LinkedHashMap<>();
    Map<String, List<Expr>> listsAtClass = Map.of();
    Position rebound = null;
    for (Stmt s : module.body()) {
      if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
        cls = c;
        classes++;
        rebound = null;
        listsAtClass = new LinkedHashMap<>(lists);
      } else if (s instanceof Stmt.AugAssign a && a.target() instanceof Expr.Name n) {
        lists.remove(n.id());
      } else if (s instanceof Stmt.Assign a) {
        List<Expr> list = a.targets().size() == 1 ? operationList(a.value(), lists) : null;
        for (Expr t : a.targets()) {
          if (t instanceof Expr.Name n && list != null) {
            lists.put(n.id(), list);
          } else if (t instanceof Expr.Name n) {
            lists.remove(n.id());
          }
        }
        for (Expr t : a.targets()) {
          if (t instanceof Expr.Name n && n.id().equals("Migration")) {
            rebound = a.pos();
          } else if (t instanceof Expr.Name n) {
            try {
              names.put(n.id(), new StaticEvaluator(names::get, settings).eval(a.value()));
            } catch (NotStaticException e) {
              names.remove(n.id());
            }
          }
        }
      } else if (s instanceof Stmt.ImportFrom imp) {
        imp.names().forEach(al -> lists.remove(al.asName() != null ? al.asName() : al.name()));
        for (Stmt.Alias al : imp.names()) {
          if ("Migration".equals(al.asName() != null ? al.asName() : al.name())) {
            rebound = imp.pos();
          }
        }
      }
    }
    if (rebound != null) {
      problems.add(Problem.error("dynamic-migration-class", path, rebound,
          "'Migration' is bound dynamically; migdiff reads only a literal 'class Migration'"));
      return new Result(null, problems);
    }
    if (cls == null) {
      if (!broken) {
        problems.add(Problem.error("no-migration-class", path, Position.START,
            "Migration " + key.name() + " in app " + key.app() + " has no Migration class")
            .withHint("BadMigrationError in Django: every migration module needs a Migration class"));
      }
      return new Result(null, problems);
    }
    if (classes > 1) {
      problems.add(Problem.warning("duplicate-migration-class", path, cls.pos(),
          "'class Migration' is defined " + classes + " times; Python keeps the last one"));
    }
    StaticEvaluator eval = new StaticEvaluator(names::get, settings);
    Map<String, Stmt.Assign> attrs = new LinkedHashMap<>();
    for (Stmt s : cls.body()) {
      if (s instanceof Stmt.Assign a) {
        for (Expr t : a.targets()) {
          if (t instanceof Expr.Name n) {
            attrs.put(n.id(), a);
          }
        }
      } else if (s instanceof Stmt.AugAssign a && a.target() instanceof Expr.Name n
          && isKeyList(n.id())) {
        problems.add(Problem.error("non-static-value", path, a.pos(),
            n.id() + " is changed with '" + a.op() + "'; migdiff reads only a literal list"));
      }
    }
    if (!isPlainMigrationBase(cls)) {
      problems.add(Problem.warning("custom-migration-base", path, cls.pos(),
          "Migration does not derive from migrations.Migration directly; inherited attributes are not read"));
    }
    List<Migration.Dependency> deps = keys(attrs.get("dependencies"), "dependencies", key, path,
        eval, problems);
    List<Migration.Dependency> runBefore = keys(attrs.get("run_before"), "run_before", key, path,
        eval, problems);
    List<Migration.Dependency> replaces = keys(attrs.get("replaces"), "replaces", key, path, eval,
        problems);
    Boolean initial = null;
    boolean atomic = true;
    if (attrs.containsKey("initial")) {
      initial = bool(attrs.get("initial"), eval, path, problems, null);
    }
    if (attrs.containsKey("atomic")) {
      Boolean a = bool(attrs.get("atomic"), eval, path, problems, true);
      atomic = a == null || a;
    }
    Stmt.Assign ops = attrs.get("operations");
    Supplier<List<Expr>> operations;
    if (full != null && ops != null && ops.value() instanceof Expr.Other o
        && o.kind().equals(PythonParser.DEFERRED)) {
      operations = new Lazy<>(() -> {
        Stmt.Assign a = operationsOf(full.get());
        if (a == null) {
          return List.of();
        }
        List<Expr> spliced = operationList(a.value(), Map.of());
        return spliced != null ? spliced : elements(a);
      });
    } else {
      List<Expr> parsed = ops == null ? List.of() : operationList(ops.value(), listsAtClass);
      if (ops != null && parsed == null) {
        problems.add(Problem.warning("non-static-value", path, ops.value().pos(),
            "operations is not a literal list; its operations are not analysed"));
        parsed = List.of();
      }
      List<Expr> fixed = parsed;
      operations = () -> fixed;
    }
    // Compact, immutable lists: a large project holds a hundred thousand of these.
    return new Result(new Migration(key, path, blobId, cls.pos(), List.copyOf(deps),
        List.copyOf(runBefore), List.copyOf(replaces), initial, atomic, operations),
        List.copyOf(problems));
  }

  /** The elements of a literal operations list or tuple; null for anything else. */
  private static List<Expr> elements(Stmt.Assign ops) {
    if (ops.value() instanceof Expr.ListExpr l) {
      return l.elements();
    } else if (ops.value() instanceof Expr.Tuple t) {
      return t.elements();
    }
    return null;
  }

  /** The last {@code operations = ...} of the last module-level {@code class Migration}. */
  private static Stmt.Assign operationsOf(Module full) {
    Stmt.ClassDef cls = null;
    for (Stmt s : full.body()) {
      if (s instanceof Stmt.ClassDef c && c.name().equals("Migration")) {
        cls = c;
      }
    }
    Stmt.Assign found = null;
    if (cls != null) {
      for (Stmt s : cls.body()) {
        if (s instanceof Stmt.Assign a && a.targets().stream()
            .anyMatch(t -> t instanceof Expr.Name n && n.id().equals("operations"))) {
          found = a;
        }
      }
    }
    return found == null || elements(found) == null ? null : found;
  }

  /**
   * The elements of a list or tuple display, of a name bound to one at module level, of their
   * {@code +} concatenation, with {@code *name} spliced in; null for anything else.
   */
  private static List<Expr> operationList(Expr e, Map<String, List<Expr>> lists) {
    List<Expr> elements;
    if (e instanceof Expr.ListExpr l) {
      elements = l.elements();
    } else if (e instanceof Expr.Tuple t) {
      elements = t.elements();
    } else if (e instanceof Expr.Name n) {
      return lists.get(n.id());
    } else if (e instanceof Expr.BinOp b && b.op().equals("+")) {
      List<Expr> left = operationList(b.left(), lists);
      List<Expr> right = left == null ? null : operationList(b.right(), lists);
      if (right == null) {
        return null;
      }
      List<Expr> out = new ArrayList<>(left);
      out.addAll(right);
      return out;
    } else {
      return null;
    }
    List<Expr> out = new ArrayList<>();
    for (Expr x : elements) {
      if (x instanceof Expr.Starred st) {
        List<Expr> spliced = operationList(st.value(), lists);
        if (spliced == null) {
          return null;
        }
        out.addAll(spliced);
      } else {
        out.add(x);
      }
    }
    return out;
  }

  private static boolean isKeyList(String name) {
    return name.equals("dependencies") || name.equals("run_before") || name.equals("replaces");
  }

  private static boolean isPlainMigrationBase(Stmt.ClassDef cls) {
    for (Expr b : cls.bases()) {
      String d = StaticEvaluator.dotted(b);
      if (d != null && (d.equals("Migration") || d.endsWith(".Migration"))) {
        return true;
      }
    }
    return false;
  }

  private static Boolean bool(Stmt.Assign a, StaticEvaluator eval, String path,
      List<Problem> problems, Boolean dflt) {
    try {
      PyValue v = eval.eval(a.value());
      if (v instanceof PyValue.Bool b) {
        return b.value();
      }
      if (v == PyValue.None.NONE) {
        return null;
      }
    } catch (NotStaticException e) {
      // reported below
    }
    problems.add(Problem.warning("non-static-value", path, a.value().pos(),
        "expected True, False or None here"));
    return dflt;
  }

  private static List<Migration.Dependency> keys(Stmt.Assign a, String attr, MigrationKey key,
      String path, StaticEvaluator eval, List<Problem> problems) {
    List<Migration.Dependency> out = new ArrayList<>();
    if (a == null) {
      return out;
    }
    PyValue v;
    try {
      v = eval.eval(a.value());
    } catch (NotStaticException e) {
      problems.add(Problem.error("non-static-value", path, e.pos(),
          "cannot read " + attr + " of " + key + " statically: " + e.getMessage())
          .withHint("write " + attr + " as a literal list of (app_label, name) tuples"));
      return out;
    }
    if (!(v instanceof PyValue.Seq seq)) {
      problems.add(Problem.error("invalid-dependency", path, a.value().pos(),
          attr + " of " + key + " is not a list or tuple"));
      return out;
    }
    for (PyValue.Item item : seq.items()) {
      if (item.value() instanceof PyValue.Swappable s) {
        String label = s.value().split("\\.", 2)[0];
        out.add(new Migration.Dependency(new MigrationKey(label, MigrationKey.FIRST), item.pos(),
            s.setting()));
      } else if (item.value() instanceof PyValue.Seq pair && pair.tuple() && pair.items().size() == 2
          && pair.items().get(0).value() instanceof PyValue.Str app
          && pair.items().get(1).value() instanceof PyValue.Str name) {
        out.add(new Migration.Dependency(new MigrationKey(app.value(), name.value()), item.pos(),
            null));
      } else if (item.value() instanceof PyValue.Seq pair && !pair.tuple()) {
        problems.add(Problem.error("invalid-dependency", path, item.pos(),
            "an entry of " + attr + " is a list; Django needs a tuple (TypeError: unhashable type: 'list')"));
      } else {
        problems.add(Problem.error("invalid-dependency", path, item.pos(),
            "an entry of " + attr + " is not an (app_label, migration_name) tuple of strings"));
      }
    }
    return out;
  }
}
