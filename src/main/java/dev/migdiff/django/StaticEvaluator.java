package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates the expression subset that settings, apps and migration files use: literals, tuples,
 * lists, dicts, names bound earlier in the file, {@code settings.X}, {@code +} concatenation and
 * {@code swappable_dependency(...)}. Anything else is a {@link NotStaticException}, never a guess.
 */
public final class StaticEvaluator {
  private final Function<String, PyValue> names;
  private final Function<String, PyValue> settings;

  /** {@code names} and {@code settings} return null for what they do not know. */
  public StaticEvaluator(Function<String, PyValue> names, Function<String, PyValue> settings) {
    this.names = names;
    this.settings = settings;
  }

  public PyValue eval(Expr e) throws NotStaticException {
    if (e instanceof Expr.Str s) {
      return new PyValue.Str(s.value());
    } else if (e instanceof Expr.Const c) {
      return switch (c.kind()) {
        case TRUE -> new PyValue.Bool(true);
        case FALSE -> new PyValue.Bool(false);
        case NONE -> PyValue.None.NONE;
        case ELLIPSIS -> throw new NotStaticException(e.pos(), "'...' is not a value migdiff reads");
      };
    } else if (e instanceof Expr.Num n) {
      return new PyValue.Num(n.text());
    } else if (e instanceof Expr.Tuple t) {
      return seq(t.elements(), true);
    } else if (e instanceof Expr.ListExpr l) {
      return seq(l.elements(), false);
    } else if (e instanceof Expr.Dict d) {
      Map<PyValue, PyValue> map = new LinkedHashMap<>();
      for (Expr.DictEntry entry : d.entries()) {
        if (entry.key() == null) {
          PyValue inner = eval(entry.value());
          if (!(inner instanceof PyValue.Dict id)) {
            throw new NotStaticException(entry.value().pos(), "'**' of something that is not a dict");
          }
          map.putAll(id.entries());
        } else {
          map.put(eval(entry.key()), eval(entry.value()));
        }
      }
      return new PyValue.Dict(map);
    } else if (e instanceof Expr.Name n) {
      PyValue v = names.apply(n.id());
      if (v == null) {
        throw new NotStaticException(e.pos(), "name '" + n.id() + "' has no static value here");
      }
      return v;
    } else if (e instanceof Expr.Attribute a) {
      if (a.value() instanceof Expr.Name base && base.id().equals("settings")) {
        PyValue v = settings.apply(a.attr());
        if (v == null) {
          throw new NotStaticException(e.pos(), "settings." + a.attr() + " is not known statically");
        }
        return v;
      }
      String dotted = dotted(e);
      if (dotted != null) {
        return new PyValue.Opaque(dotted);
      }
      throw new NotStaticException(e.pos(), "attribute access is not static");
    } else if (e instanceof Expr.BinOp b && b.op().equals("+")) {
      return add(eval(b.left()), eval(b.right()), b);
    } else if (e instanceof Expr.Call c) {
      String func = dotted(c.func());
      if (func != null && (func.equals("swappable_dependency")
          || func.endsWith(".swappable_dependency")) && c.args().size() == 1
          && c.keywords().isEmpty()) {
        PyValue v = eval(c.args().get(0));
        if (!(v instanceof PyValue.Str s)) {
          throw new NotStaticException(c.pos(), "swappable_dependency() of a non-string");
        }
        String setting = c.args().get(0) instanceof Expr.Attribute at ? at.attr() : null;
        return new PyValue.Swappable(setting, s.value());
      }
      throw new NotStaticException(e.pos(), "call of " + (func == null ? "an expression" : func + "()")
          + " is not evaluated statically");
    } else if (e instanceof Expr.Other o) {
      throw new NotStaticException(e.pos(), o.kind() + " is not evaluated statically");
    }
    throw new NotStaticException(e.pos(), describe(e) + " is not evaluated statically");
  }

  private PyValue seq(List<Expr> elements, boolean tuple) throws NotStaticException {
    List<PyValue.Item> items = new ArrayList<>();
    for (Expr x : elements) {
      if (x instanceof Expr.Starred s) {
        PyValue inner = eval(s.value());
        if (!(inner instanceof PyValue.Seq is)) {
          throw new NotStaticException(x.pos(), "'*' of something that is not a list or tuple");
        }
        items.addAll(is.items());
      } else {
        items.add(new PyValue.Item(eval(x), x.pos()));
      }
    }
    return new PyValue.Seq(items, tuple);
  }

  private static PyValue add(PyValue l, PyValue r, Expr.BinOp at) throws NotStaticException {
    if (l instanceof PyValue.Str a && r instanceof PyValue.Str b) {
      return new PyValue.Str(a.value() + b.value());
    }
    if (l instanceof PyValue.Seq a && r instanceof PyValue.Seq b && a.tuple() == b.tuple()) {
      List<PyValue.Item> items = new ArrayList<>(a.items());
      items.addAll(b.items());
      return new PyValue.Seq(items, a.tuple());
    }
    throw new NotStaticException(at.pos(), "'+' of values that cannot be added statically");
  }

  /** {@code a.b.c} for a chain of names, else null. */
  public static String dotted(Expr e) {
    if (e instanceof Expr.Name n) {
      return n.id();
    }
    if (e instanceof Expr.Attribute a) {
      String base = dotted(a.value());
      return base == null ? null : base + "." + a.attr();
    }
    return null;
  }

  private static String describe(Expr e) {
    return e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
