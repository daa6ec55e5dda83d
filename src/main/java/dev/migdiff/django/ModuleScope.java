package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Module;
import dev.migdiff.python.Position;
import dev.migdiff.python.Stmt;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The module-level names of a settings-like file after running its top-level statements
 * statically: assignments, {@code +=}, {@code .append}/{@code .extend}, and imports from other
 * modules of the repository (star imports included). An {@code if} whose tests evaluate runs the
 * block Python would run; the environment they read ({@code os.environ}) is the one migdiff was
 * given (none by default), and the names it decides remember which variables they depend on.
 * Names bound inside other if/try/for blocks are remembered as conditional rather than guessed.
 */
final class ModuleScope {
  private static final int MAX_IMPORT_DEPTH = 16;

  final String path;
  final Map<String, PyValue> values = new HashMap<>();
  final Map<String, NotStaticException> failures = new HashMap<>();
  final Map<String, Position> conditional = new HashMap<>();
  final Map<String, Position> assignedAt = new HashMap<>();
  /** Lists built with {@code +} from literal parts and parts that need running code. */
  final Map<String, Partial> partial = new HashMap<>();
  /** Names whose value depends on environment variables: where, and which variables. */
  final Map<String, EnvironmentUse> environmental = new HashMap<>();
  /** The environment the module runs in; null for a scope read back from the store. */
  final StaticEvaluator.Environment environment;

  /** Where a name came to depend on environment variables, and on which. */
  record EnvironmentUse(String path, Position pos, java.util.SortedSet<String> variables) {
    EnvironmentUse plus(EnvironmentUse o) {
      java.util.SortedSet<String> all = new java.util.TreeSet<>(variables);
      all.addAll(o.variables);
      return new EnvironmentUse(path, pos, all);
    }
  }

  /**
   * A list known only in part: its literal items, and the expressions migdiff cannot evaluate
   * ({@code [...] + get_core_apps()}).
   */
  record Partial(List<PyValue.Item> items, List<Unknown> unknown) {
    Partial plus(Partial o) {
      List<PyValue.Item> i = new java.util.ArrayList<>(items);
      i.addAll(o.items);
      List<Unknown> u = new java.util.ArrayList<>(unknown);
      u.addAll(o.unknown);
      return new Partial(List.copyOf(i), List.copyOf(u));
    }
  }

  /** An expression that adds unknown items: where it is and how it reads. */
  record Unknown(Position pos, String text) {}

  private ModuleScope(String path, StaticEvaluator.Environment environment) {
    this.path = path;
    this.environment = environment;
  }

  /**
   * A scope of the module at {@code path} read back from the store: its values are {@code
   * values}' (decoded by name when asked for), its other maps are to be filled.
   */
  static ModuleScope stored(String path, java.util.function.Function<String, PyValue> values) {
    ModuleScope s = new ModuleScope(path, null);
    s.storedValues = values;
    return s;
  }

  /** A stored scope's values, by name (null for a scope evaluated in this run). */
  private java.util.function.Function<String, PyValue> storedValues;

  /** Evaluates module {@code dotted} in an empty environment; empty when not in the repository. */
  static Optional<ModuleScope> of(SourceFiles files, String dotted) throws IOException {
    return of(files, dotted, Map.of());
  }

  /** Evaluates module {@code dotted} where {@code environment} holds the variables set. */
  static Optional<ModuleScope> of(SourceFiles files, String dotted,
      Map<String, String> environment) throws IOException {
    return of(files, dotted, new HashSet<>(), new StaticEvaluator.Environment(environment));
  }

  private static Optional<ModuleScope> of(SourceFiles files, String dotted, Set<String> active,
      StaticEvaluator.Environment environment) throws IOException {
    Optional<String> path = files.moduleFile(dotted);
    if (path.isEmpty() || active.size() > MAX_IMPORT_DEPTH || !active.add(dotted)) {
      return Optional.empty();
    }
    ModuleScope scope = new ModuleScope(path.get(), environment);
    Module module = files.parse(path.get());
    String pkg = path.get().endsWith("/__init__.py") ? dotted
        : dotted.contains(".") ? dotted.substring(0, dotted.lastIndexOf('.')) : "";
    for (Stmt s : module.body()) {
      scope.run(s, files, pkg, active);
    }
    active.remove(dotted);
    return Optional.of(scope);
  }

  PyValue get(String name) {
    return storedValues != null ? storedValues.apply(name) : values.get(name);
  }

  private StaticEvaluator evaluator() {
    return new StaticEvaluator(this::valueOf, name -> null, environment);
  }

  /** A name's value, noting the environment variables it came from as read. */
  private PyValue valueOf(String name) {
    EnvironmentUse use = environmental.get(name);
    if (use != null) {
      environment.noteRead(use.variables());
      if (readThrough == null) {
        readThrough = use;
      }
    }
    return values.get(name);
  }

  /** The first name's use read since {@link #takeRead} (where those variables were read). */
  private EnvironmentUse readThrough;

  /** The variables read since the last call, which starts a new set. */
  private java.util.Set<String> takeRead() {
    readThrough = null;
    return environment.takeRead();
  }

  /** After a statement's evaluation: {@code name} depends on what it read, if anything. */
  private void noteEnvironment(String name, Position pos, boolean replace) {
    EnvironmentUse through = readThrough;
    java.util.Set<String> read = takeRead();
    if (read.isEmpty()) {
      if (replace) {
        environmental.remove(name);
      }
      return;
    }
    // (read only through names: where those were read, as INSTALLED_APPS += [...] after a base)
    boolean inherited = through != null && through.variables().containsAll(read);
    EnvironmentUse use = new EnvironmentUse(inherited ? through.path() : path,
        inherited ? through.pos() : pos, new java.util.TreeSet<>(read));
    if (replace) {
      environmental.put(name, use);
    } else {
      environmental.merge(name, use, EnvironmentUse::plus);
    }
  }

  private void run(Stmt s, SourceFiles files, String pkg, Set<String> active) throws IOException {
    takeRead();
    if (s instanceof Stmt.Assign a) {
      for (Expr target : a.targets()) {
        bind(target, a.value(), a.pos());
      }
    } else if (s instanceof Stmt.AugAssign a && a.target() instanceof Expr.Name n) {
      if (a.op().equals("+=") && partial.containsKey(n.id())) {
        Partial p = partial(new Expr.BinOp(a.pos(), n, "+", a.value()));
        if (p == null) {
          fail(n.id(), new NotStaticException(a.pos(), "'+=' is not evaluated statically"));
        } else {
          partial.put(n.id(), p);
          noteEnvironment(n.id(), a.pos(), false);
        }
      } else if (a.op().equals("+=")) {
        bind(n, new Expr.BinOp(a.pos(), n, "+", a.value()), a.pos());
      } else {
        fail(n.id(), new NotStaticException(a.pos(), "'" + a.op() + "' is not evaluated statically"));
      }
    } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
        && "os.environ.setdefault".equals(evaluator().canonical(c.func()))
        && c.args().size() == 2 && c.keywords().isEmpty()) {
      try {
        if (evaluator().eval(c.args().get(0)) instanceof PyValue.Str name
            && evaluator().eval(c.args().get(1)) instanceof PyValue.Str value) {
          environment.setDefault(name.value(), value.value());
        }
      } catch (NotStaticException x) {
        // a variable migdiff cannot name or value: the module reads it as unset
      }
    } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
        && c.func() instanceof Expr.Attribute at && at.value() instanceof Expr.Name n
        && values.get(n.id()) instanceof PyValue.Seq) {
      mutate(n.id(), at.attr(), c);
      noteEnvironment(n.id(), c.pos(), false);
    } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
        && c.func() instanceof Expr.Attribute at && at.value() instanceof Expr.Name n
        && partial.containsKey(n.id())) {
      Partial p = (at.attr().equals("append") || at.attr().equals("extend"))
          && c.args().size() == 1 && c.keywords().isEmpty()
          ? partial(at.attr().equals("append") ? new Expr.ListExpr(c.pos(), c.args()) : c.args().get(0))
          : null;
      if (p == null) {
        fail(n.id(), new NotStaticException(c.pos(), n.id() + "." + at.attr()
            + "() is not evaluated statically"));
      } else {
        partial.put(n.id(), partial.get(n.id()).plus(p));
        noteEnvironment(n.id(), c.pos(), false);
      }
    } else if (s instanceof Stmt.ImportFrom imp) {
      importFrom(imp, files, pkg, active);
    } else if (s instanceof Stmt.Import imp) {
      for (Stmt.Alias alias : imp.names()) {
        String bound = alias.asName() != null ? alias.asName() : alias.name().split("\\.")[0];
        values.put(bound, new PyValue.Opaque(alias.asName() != null ? alias.name() : bound));
      }
    } else if (s instanceof Stmt.ClassDef c) {
      values.put(c.name(), new PyValue.Opaque(c.name()));
    } else if (s instanceof Stmt.FunctionDef f) {
      values.put(f.name(), new PyValue.Opaque(f.name()));
    } else if (s instanceof Stmt.Compound c && !c.branches().isEmpty()) {
      runIf(c, files, pkg, active);
    } else if (s instanceof Stmt.Compound c) {
      markConditional(c.body());
    }
  }

  /**
   * An if statement: when every test up to the one that holds evaluates, the block Python runs is
   * run; the names any of its blocks bind then depend on the variables the tests read. Otherwise
   * its names are conditional, as for any other compound statement.
   */
  private void runIf(Stmt.Compound c, SourceFiles files, String pkg, Set<String> active)
      throws IOException {
    List<Stmt> taken = List.of();
    java.util.Set<String> read = new java.util.TreeSet<>();
    for (Stmt.Branch b : c.branches()) {
      if (b.test() == null) {
        taken = b.body();
        break;
      }
      boolean holds;
      try {
        holds = StaticEvaluator.truth(evaluator().eval(b.test()), b.test());
      } catch (NotStaticException e) {
        takeRead();
        markConditional(c.body());
        return;
      }
      read.addAll(takeRead());
      if (holds) {
        taken = b.body();
        break;
      }
    }
    for (Stmt s : taken) {
      run(s, files, pkg, active);
    }
    takeRead();
    if (!read.isEmpty()) {
      EnvironmentUse use = new EnvironmentUse(path, c.pos(), new java.util.TreeSet<>(read));
      bindings(c.body(), (name, at) -> environmental.merge(name, use, EnvironmentUse::plus),
          imp -> imp.names().stream().filter(alias -> !alias.name().equals("*"))
              .forEach(alias -> environmental.merge(
                  alias.asName() != null ? alias.asName() : alias.name(), use,
                  EnvironmentUse::plus)));
    }
  }


  private void bind(Expr target, Expr value, Position pos) {
    if (target instanceof Expr.Name n) {
      try {
        values.put(n.id(), evaluator().eval(value));
        failures.remove(n.id());
        partial.remove(n.id());
      } catch (NotStaticException e) {
        Partial p = value instanceof Expr.BinOp b && b.op().equals("+") ? partial(value) : null;
        fail(n.id(), e);
        if (p != null && !p.items().isEmpty()) {
          partial.put(n.id(), p);
        }
      }
      noteEnvironment(n.id(), pos, true);
      assignedAt.put(n.id(), pos);
    } else if (target instanceof Expr.Subscript sub
        && "os.environ".equals(evaluator().canonical(sub.value()))) {
      try {
        if (evaluator().eval(sub.index()) instanceof PyValue.Str name
            && evaluator().eval(value) instanceof PyValue.Str v) {
          environment.set(name.value(), v.value());
        }
      } catch (NotStaticException e) {
        // the variable stays as it was
      }
    } else if (target instanceof Expr.Tuple || target instanceof Expr.ListExpr) {
      List<Expr> names = target instanceof Expr.Tuple t ? t.elements()
          : ((Expr.ListExpr) target).elements();
      for (Expr x : names) {
        if (x instanceof Expr.Name n) {
          fail(n.id(), new NotStaticException(pos, "unpacking assignment is not evaluated"));
        }
      }
    }
  }

  private void fail(String name, NotStaticException e) {
    values.remove(name);
    partial.remove(name);
    failures.put(name, e);
  }

  /**
   * A {@code +} chain of lists as far as it is literal; null when a literal-looking part fails
   * (then nothing is guessed).
   */
  private Partial partial(Expr e) {
    if (e instanceof Expr.BinOp b && b.op().equals("+")) {
      Partial l = partial(b.left());
      Partial r = l == null ? null : partial(b.right());
      return r == null ? null : l.plus(r);
    }
    if (e instanceof Expr.Name n && partial.containsKey(n.id())) {
      return partial.get(n.id());
    }
    if (e instanceof Expr.ListExpr || e instanceof Expr.Tuple || e instanceof Expr.Name) {
      try {
        return evaluator().eval(e) instanceof PyValue.Seq seq
            ? new Partial(seq.items(), List.of()) : null;
      } catch (NotStaticException x) {
        return e instanceof Expr.Name n ? unknown(e, n.id()) : null;
      }
    }
    if (e instanceof Expr.Call c) {
      String func = StaticEvaluator.dotted(c.func());
      return unknown(e, (func == null ? "a call" : func) + "()");
    }
    String dotted = StaticEvaluator.dotted(e);
    return dotted == null ? null : unknown(e, dotted);
  }

  private static Partial unknown(Expr e, String text) {
    return new Partial(List.of(), List.of(new Unknown(e.pos(), text)));
  }

  private void mutate(String name, String method, Expr.Call call) {
    PyValue.Seq seq = (PyValue.Seq) values.get(name);
    try {
      List<PyValue.Item> items = new java.util.ArrayList<>(seq.items());
      if (method.equals("append") && call.args().size() == 1) {
        items.add(new PyValue.Item(evaluator().eval(call.args().get(0)), call.args().get(0).pos()));
      } else if (method.equals("extend") && call.args().size() == 1
          && evaluator().eval(call.args().get(0)) instanceof PyValue.Seq more) {
        items.addAll(more.items());
      } else if (method.equals("remove") && call.args().size() == 1
          && evaluator().eval(call.args().get(0)) instanceof PyValue.Str gone
          && items.stream().anyMatch(i -> gone.equals(i.value()))) {
        // list.remove(x): the first equal item (one that is not there raises ValueError)
        items.remove(items.stream().filter(i -> gone.equals(i.value())).findFirst().get());
      } else if (method.equals("insert") && call.args().size() == 2
          && evaluator().eval(call.args().get(0)) instanceof PyValue.Num n
          && n.text().matches("-?[0-9]{1,9}")) {
        // list.insert(i, x): a negative i counts from the end; either end clamps
        int i = Integer.parseInt(n.text());
        i = i < 0 ? Math.max(0, items.size() + i) : Math.min(i, items.size());
        items.add(i, new PyValue.Item(evaluator().eval(call.args().get(1)),
            call.args().get(1).pos()));
      } else {
        throw new NotStaticException(call.pos(), name + "." + method + "() is not evaluated statically");
      }
      values.put(name, new PyValue.Seq(items, seq.tuple()));
    } catch (NotStaticException e) {
      fail(name, e);
    }
  }

  private void importFrom(Stmt.ImportFrom imp, SourceFiles files, String pkg, Set<String> active)
      throws IOException {
    String target = resolveRelative(pkg, imp.level(), imp.module());
    Optional<ModuleScope> other = target == null ? Optional.empty()
        : of(files, target, active, environment);
    for (Stmt.Alias alias : imp.names()) {
      if (alias.name().equals("*")) {
        other.ifPresent(o -> {
          o.values.forEach((k, v) -> {
            if (!k.startsWith("_")) {
              values.put(k, v);
              failures.remove(k);
            }
          });
          o.failures.forEach((k, v) -> {
            if (!k.startsWith("_")) {
              fail(k, v);
            }
          });
          o.partial.forEach((k, v) -> {
            if (!k.startsWith("_")) {
              partial.put(k, v);
            }
          });
          o.conditional.forEach(conditional::putIfAbsent);
          o.values.keySet().forEach(k -> {
            if (!k.startsWith("_")) {
              environmental.remove(k);
            }
          });
          o.environmental.forEach((k, v) -> {
            if (!k.startsWith("_")) {
              environmental.put(k, v);
            }
          });
        });
        continue;
      }
      String bound = alias.asName() != null ? alias.asName() : alias.name();
      EnvironmentUse use = other.map(o -> o.environmental.get(alias.name())).orElse(null);
      if (use != null) {
        environmental.put(bound, use);
      } else {
        environmental.remove(bound);
      }
      PyValue v = other.map(o -> o.values.get(alias.name())).orElse(null);
      Partial p = other.map(o -> o.partial.get(alias.name())).orElse(null);
      if (v == null && p != null) {
        fail(bound, other.get().failures.get(alias.name()));
        partial.put(bound, p);
        continue;
      }
      values.put(bound, v != null ? v : new PyValue.Opaque(target + "." + alias.name()));
    }
  }

  static String resolveRelative(String pkg, int level, String module) {
    if (level == 0) {
      return module;
    }
    String base = pkg;
    for (int i = 1; i < level; i++) {
      int dot = base.lastIndexOf('.');
      if (dot < 0) {
        return null;
      }
      base = base.substring(0, dot);
    }
    if (base.isEmpty()) {
      return module.isEmpty() ? null : module;
    }
    return module.isEmpty() ? base : base + "." + module;
  }

  /** Names a block binds are conditional: where first bound (a star import by its module). */
  private void markConditional(List<Stmt> body) {
    bindings(body, conditional::putIfAbsent,
        imp -> conditional.putIfAbsent("*" + imp.module(), imp.pos()));
  }

  /**
   * The module-level names that statements, and the blocks within them, bind or change (an
   * assignment, {@code +=}, a method call on a name such as {@code .append}), with where; and
   * their {@code from ... import} statements, which the callers read differently.
   */
  private static void bindings(List<Stmt> body,
      java.util.function.BiConsumer<String, Position> name,
      java.util.function.Consumer<Stmt.ImportFrom> imports) {
    for (Stmt s : body) {
      if (s instanceof Stmt.Assign a) {
        for (Expr t : a.targets()) {
          if (t instanceof Expr.Name n) {
            name.accept(n.id(), a.pos());
          }
        }
      } else if (s instanceof Stmt.AugAssign a && a.target() instanceof Expr.Name n) {
        name.accept(n.id(), a.pos());
      } else if (s instanceof Stmt.ExprStmt e && e.value() instanceof Expr.Call c
          && c.func() instanceof Expr.Attribute fa && fa.value() instanceof Expr.Name n) {
        name.accept(n.id(), e.pos());
      } else if (s instanceof Stmt.ImportFrom imp) {
        imports.accept(imp);
      } else if (s instanceof Stmt.Compound c) {
        bindings(c.body(), name, imports);
      }
    }
  }
}
