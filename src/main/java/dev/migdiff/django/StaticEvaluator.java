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
  private final Environment environment;

  /** {@code names} and {@code settings} return null for what they do not know. */
  public StaticEvaluator(Function<String, PyValue> names, Function<String, PyValue> settings) {
    this(names, settings, null);
  }

  /**
   * An evaluator for a settings module, which Django runs in an environment: with one, it also
   * evaluates what settings decide with ({@code os.environ.get}, {@code os.getenv}, {@code in
   * os.environ}, comparisons, {@code and}/{@code or}/{@code not}, {@code bool()}, {@code int()},
   * {@code str.lower()}...), reading the variables from it.
   */
  StaticEvaluator(Function<String, PyValue> names, Function<String, PyValue> settings,
      Environment environment) {
    this.names = names;
    this.settings = settings;
    this.environment = environment;
  }

  /**
   * The environment variables a settings module sees: those the user gave migdiff (none by
   * default, as in a clean checkout's shell or CI job) and those the module sets itself; every
   * variable asked for is noted in {@code read}, set or not.
   */
  static final class Environment {
    private final Map<String, String> values;
    private java.util.Set<String> read = new java.util.TreeSet<>();

    Environment(Map<String, String> given) {
      this.values = new java.util.HashMap<>(given);
    }

    String get(String name) {
      read.add(name);
      return values.get(name);
    }

    /** Notes variables read through a name whose value came from them. */
    void noteRead(java.util.Collection<String> names) {
      read.addAll(names);
    }

    /** {@code os.environ.setdefault(name, value)}. */
    void setDefault(String name, String value) {
      read.add(name);
      values.putIfAbsent(name, value);
    }

    void set(String name, String value) {
      values.put(name, value);
    }

    /**
     * The schemes of the module's django-environ {@code Env(...)} objects, by number: an
     * {@code Env} is the value {@code environ.Env#N} ({@link PyValue.Opaque}).
     */
    private final List<Map<String, EnvScheme>> schemes = new ArrayList<>();

    /** The variables read since the last call, which starts a new set. */
    java.util.Set<String> takeRead() {
      java.util.Set<String> r = read;
      read = new java.util.TreeSet<>();
      return r;
    }

    /** What a variable is, for a message: {@code NAME=value} or {@code NAME unset}. */
    String describe(String name) {
      String v = values.get(name);
      return v == null ? name + " unset" : name + "=" + v;
    }
  }

  public PyValue eval(Expr e) throws NotStaticException {
    if (environment != null) {
      PyValue v;
      try {
        v = evalInEnvironment(e);
      } catch (ArithmeticException | NumberFormatException x) {
        // (a settings file is untrusted input: an expression that defeats the arithmetic is
        // one migdiff does not evaluate, never a failed run)
        throw new NotStaticException(e.pos(), describe(e) + " is not evaluated statically");
      }
      if (v != null) {
        return v;
      }
    }
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
    return e instanceof Expr.Compare ? "comparison"
        : e instanceof Expr.BoolOp ? "boolean operation"
        : e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- a settings module's expressions: its environment, comparisons and truth ----

  /** What {@code e} is in a settings module, where it differs from elsewhere; else null. */
  private PyValue evalInEnvironment(Expr e) throws NotStaticException {
    if (e instanceof Expr.Call c) {
      String func = canonical(c.func());
      if ("os.environ.get".equals(func) || "os.getenv".equals(func)) {
        return getenv(c, func);
      }
      if (func != null && func.startsWith(ENV)) {
        return djangoEnviron(c, func);
      }
      if (c.func() instanceof Expr.Attribute m && c.args().isEmpty() && c.keywords().isEmpty()
          && (m.attr().equals("lower") || m.attr().equals("upper") || m.attr().equals("strip"))
          && valueOrNull(m.value()) instanceof PyValue.Str str) {
        String v = str.value();
        return new PyValue.Str(m.attr().equals("lower") ? v.toLowerCase(java.util.Locale.ROOT)
            : m.attr().equals("upper") ? v.toUpperCase(java.util.Locale.ROOT) : v.strip());
      }
      if (c.func() instanceof Expr.Name n && c.args().size() == 1 && c.keywords().isEmpty()
          && names.apply(n.id()) == null && !(c.args().get(0) instanceof Expr.Starred)) {
        switch (n.id()) {
          case "bool":
            return new PyValue.Bool(truth(eval(c.args().get(0)), c));
          case "int":
            return toInt(eval(c.args().get(0)), c);
          default:
            return null;
        }
      }
      return null;
    }
    if (e instanceof Expr.Subscript sub && "os.environ".equals(canonical(sub.value()))) {
      String name = stringOf(eval(sub.index()), sub, "a variable name");
      String v = environment.get(name);
      if (v == null) {
        throw new NotStaticException(e.pos(), "os.environ['" + name + "'] is not set (Django "
            + "would fail to import the settings)");
      }
      return new PyValue.Str(v);
    }
    if (e instanceof Expr.UnaryOp u && u.op().equals("not")) {
      return new PyValue.Bool(!truth(eval(u.operand()), u));
    }
    if (e instanceof Expr.BoolOp b) {
      PyValue v = null;
      for (Expr x : b.values()) {
        v = eval(x);
        if (truth(v, x) == b.op().equals("or")) {
          return v;
        }
      }
      return v;
    }
    if (e instanceof Expr.Compare c) {
      PyValue left = eval(c.left());
      for (int i = 0; i < c.ops().size(); i++) {
        Expr rightExpr = c.comparators().get(i);
        String op = c.ops().get(i);
        boolean holds;
        if ((op.equals("in") || op.equals("not in"))
            && "os.environ".equals(canonical(rightExpr))) {
          holds = environment.get(stringOf(left, c, "a variable name")) != null;
          if (op.equals("not in")) {
            holds = !holds;
          }
          left = null;
        } else {
          PyValue right = eval(rightExpr);
          holds = compare(left, op, right, c);
          left = right;
        }
        if (!holds) {
          return new PyValue.Bool(false);
        }
        if (left == null && i + 1 < c.ops().size()) {
          throw new NotStaticException(c.pos(), "a chained comparison with os.environ");
        }
      }
      return new PyValue.Bool(true);
    }
    return null;
  }

  private PyValue valueOrNull(Expr e) {
    try {
      return eval(e);
    } catch (NotStaticException x) {
      return null;
    }
  }

  /** {@code os.environ.get(name[, default])}, {@code os.getenv(name[, default])}. */
  private PyValue getenv(Expr.Call c, String func) throws NotStaticException {
    Expr fallback = c.args().size() == 2 ? c.args().get(1) : null;
    for (Expr.Keyword k : c.keywords()) {
      if (!"default".equals(k.name()) || fallback != null || !func.equals("os.getenv")) {
        return null;
      }
      fallback = k.value();
    }
    if (c.args().isEmpty() || c.args().size() > 2
        || c.args().stream().anyMatch(a -> a instanceof Expr.Starred)) {
      return null;
    }
    String name = stringOf(eval(c.args().get(0)), c, "a variable name");
    String v = environment.get(name);
    if (v != null) {
      return new PyValue.Str(v);
    }
    return fallback == null ? PyValue.None.NONE : eval(fallback);
  }

  // ---- django-environ (environ/environ.py): Env(...) and its getters ----

  /** The class, as {@code import environ} names it; an object of it is {@code environ.Env#N}. */
  private static final String ENV = "environ.Env";

  /** A scheme entry of {@code Env(NAME=cast)} or {@code Env(NAME=(cast, default))}. */
  record EnvScheme(String cast, PyValue fallback) {}

  /** The casts read: {@code bool}, {@code int}, {@code str} and {@code list}. */
  private static final java.util.Set<String> CASTS = java.util.Set.of("bool", "int", "str",
      "list");

  /**
   * {@code environ.Env(...)} (a new object, its scheme noted), or a call of one's getter:
   * {@code env(NAME, cast=None, default=NOTSET, parse_default=False)}, {@code env.str},
   * {@code env.bool}, {@code env.int}, {@code env.list}, as {@code Env.get_value} answers them.
   * Null for anything else (then not evaluated).
   */
  private PyValue djangoEnviron(Expr.Call c, String func) throws NotStaticException {
    if (func.equals(ENV) || func.equals("environ.environ.Env")) {
      if (!c.args().isEmpty()) {
        return null;
      }
      Map<String, EnvScheme> scheme = new LinkedHashMap<>();
      for (Expr.Keyword k : c.keywords()) {
        EnvScheme entry = k.name() == null ? null : scheme(k.value());
        if (entry == null) {
          return null;
        }
        scheme.put(k.name(), entry);
      }
      environment.schemes.add(scheme);
      return new PyValue.Opaque(ENV + "#" + (environment.schemes.size() - 1));
    }
    int dot = func.indexOf('.', ENV.length());
    String number = func.substring(ENV.length(), dot < 0 ? func.length() : dot);
    String method = dot < 0 ? "" : func.substring(dot + 1);
    if (!number.matches("#[0-9]{1,9}") || c.args().stream().anyMatch(a -> a instanceof Expr.Starred)
        || c.keywords().stream().anyMatch(k -> k.name() == null)) {
      return null;
    }
    int n = Integer.parseInt(number.substring(1));
    if (n >= environment.schemes.size()) {
      return null;
    }
    // each getter's parameters after the variable's name, in order
    List<String> params = switch (method) {
      case "" -> List.of("cast", "default", "parse_default");
      case "str" -> List.of("default", "multiline", "choices");
      case "bool", "int" -> List.of("default");
      case "list" -> List.of("cast", "default");
      default -> null;
    };
    if (params == null || c.args().isEmpty() || c.args().size() > params.size() + 1) {
      return null;
    }
    Map<String, Expr> given = new LinkedHashMap<>();
    for (int i = 1; i < c.args().size(); i++) {
      given.put(params.get(i - 1), c.args().get(i));
    }
    for (Expr.Keyword k : c.keywords()) {
      if (!params.contains(k.name()) || given.put(k.name(), k.value()) != null) {
        return null;
      }
    }
    String cast = method.isEmpty() ? null : method;
    if (given.containsKey("cast")) {
      String castGiven = castOf(given.get("cast"));
      if (castGiven == null || method.equals("list") && !castGiven.equals("None")) {
        return null; // (a list's items cast: not read)
      }
      cast = method.equals("list") ? "list" : castGiven.equals("None") ? null : castGiven;
    }
    if (given.containsKey("choices")
        || given.containsKey("multiline") && truth(eval(given.get("multiline")), c)) {
      return null;
    }
    boolean parseDefault = given.containsKey("parse_default")
        && truth(eval(given.get("parse_default")), c);
    PyValue fallback = given.containsKey("default") ? eval(given.get("default")) : null;
    String var = stringOf(eval(c.args().get(0)), c, "a variable name");
    return getValue(var, cast, fallback, parseDefault, environment.schemes.get(n), c);
  }

  /** A scheme's entry ({@code cast} or {@code (cast, default)}), or null when not read. */
  private EnvScheme scheme(Expr e) throws NotStaticException {
    if (e instanceof Expr.Tuple t && t.elements().size() == 2) {
      String cast = castOf(t.elements().get(0));
      return cast == null || cast.equals("None") ? null
          : new EnvScheme(cast, eval(t.elements().get(1)));
    }
    String cast = castOf(e);
    return cast == null || cast.equals("None") ? null : new EnvScheme(cast, null);
  }

  /** A cast this reads (a builtin's name, or "None"), or null. */
  private String castOf(Expr e) {
    if (e instanceof Expr.Const k && k.kind() == Expr.Const.Kind.NONE) {
      return "None";
    }
    return e instanceof Expr.Name n && CASTS.contains(n.id()) && names.apply(n.id()) == null
        ? n.id() : null;
  }

  /**
   * {@code Env.get_value}: the scheme's cast and default where none is given; the variable, else
   * the default (none: ImproperlyConfigured, so Django fails to import the settings); with no
   * cast, the default's type ({@code smart_cast}); then parsed by the cast unless it is the
   * default itself ({@code value != default}) and {@code parse_default} is off. {@code fallback}
   * null: no default ({@code NOTSET}).
   */
  private PyValue getValue(String var, String cast, PyValue fallback, boolean parseDefault,
      Map<String, EnvScheme> scheme, Expr.Call at) throws NotStaticException {
    EnvScheme s = scheme.get(var);
    if (s != null) {
      cast = cast == null ? s.cast() : cast;
      fallback = fallback == null ? s.fallback() : fallback;
    }
    String raw = environment.get(var);
    PyValue value;
    if (raw != null) {
      value = new PyValue.Str(raw);
    } else if (fallback != null) {
      value = fallback;
    } else {
      throw new NotStaticException(at.pos(), "environment variable " + var + " is not set "
          + "(django-environ raises ImproperlyConfigured: Django would fail to import the "
          + "settings)");
    }
    if (value instanceof PyValue.Str str && str.value().startsWith("$")) {
      throw new NotStaticException(at.pos(), "a proxied value ('$NAME') of django-environ is "
          + "not evaluated statically");
    }
    if (cast == null && fallback != null && fallback != PyValue.None.NONE) {
      cast = fallback instanceof PyValue.Bool ? "bool" : fallback instanceof PyValue.Str ? "str"
          : fallback instanceof PyValue.Seq q ? (q.tuple() ? "tuple" : "list")
          : isInt(fallback) ? "int" : "other";
    }
    if (fallback == PyValue.None.NONE && value instanceof PyValue.Str str
        && str.value().isEmpty()) {
      value = PyValue.None.NONE;
    }
    Boolean same = fallback == null ? Boolean.FALSE : equal(value, fallback);
    if (same == null) {
      throw new NotStaticException(at.pos(), "this django-environ value is not known statically");
    }
    if (!same || parseDefault && value != PyValue.None.NONE) {
      value = parseValue(value, cast, at);
    }
    return value;
  }

  /** {@code Env.parse_value} for the casts read. */
  private static PyValue parseValue(PyValue value, String cast, Expr at)
      throws NotStaticException {
    if (cast == null) {
      return value;
    }
    if (value instanceof PyValue.Str str) {
      String v = str.value();
      switch (cast) {
        case "str":
          return value;
        case "bool":
          String digits = pythonInt(v);
          if (digits != null) {
            return new PyValue.Bool(new java.math.BigInteger(digits).signum() != 0);
          }
          if (!v.chars().allMatch(ch -> ch < 128)) {
            break;
          }
          return new PyValue.Bool(List.of("true", "on", "ok", "y", "yes", "1")
              .contains(v.toLowerCase(java.util.Locale.ROOT).strip()));
        case "int":
          return toInt(value, at);
        case "list":
          List<PyValue.Item> items = new ArrayList<>();
          for (String x : v.split(",", -1)) {
            if (!x.isEmpty()) {
              items.add(new PyValue.Item(new PyValue.Str(x), at.pos()));
            }
          }
          return new PyValue.Seq(items, false);
        default:
          break;
      }
    } else if (cast.equals("bool") && (value instanceof PyValue.Bool || isInt(value))) {
      return new PyValue.Bool(number(value).signum() != 0);
    } else if (cast.equals("int") && (value instanceof PyValue.Bool || isInt(value))) {
      return toInt(value, at);
    }
    throw new NotStaticException(at.pos(), "django-environ's " + cast + " cast of this value is "
        + "not evaluated statically");
  }

  /** An int literal (not a float or a complex number). */
  private static boolean isInt(PyValue v) {
    return v instanceof PyValue.Num n && !n.text().contains(".") && !n.text().contains("e")
        && !n.text().contains("E") && !n.text().endsWith("j") && !n.text().endsWith("J")
        && number(v) != null;
  }

  /**
   * The digits of a string Python's {@code int()} reads in base 10 (surrounding whitespace, a
   * sign, and single underscores between digits), without underscores; null for any other.
   */
  private static String pythonInt(String s) {
    String t = s.strip();
    return t.matches("[+-]?[0-9]+(_[0-9]+)*") ? t.replace("_", "") : null;
  }

  /**
   * The dotted name an expression refers to through the module's imports ({@code environ} after
   * {@code from os import environ} is {@code os.environ}), or null.
   */
  String canonical(Expr e) {
    if (e instanceof Expr.Name n) {
      return names.apply(n.id()) instanceof PyValue.Opaque o ? o.dotted() : null;
    }
    if (e instanceof Expr.Attribute a) {
      String base = canonical(a.value());
      return base == null ? null : base + "." + a.attr();
    }
    return null;
  }

  private static String stringOf(PyValue v, Expr at, String what) throws NotStaticException {
    if (v instanceof PyValue.Str s) {
      return s.value();
    }
    throw new NotStaticException(at.pos(), what + " that is not a string");
  }

  /** Python's truth of a value. */
  static boolean truth(PyValue v, Expr at) throws NotStaticException {
    if (v == PyValue.None.NONE) {
      return false;
    } else if (v instanceof PyValue.Bool b) {
      return b.value();
    } else if (v instanceof PyValue.Str s) {
      return !s.value().isEmpty();
    } else if (v instanceof PyValue.Seq s) {
      return !s.items().isEmpty();
    } else if (v instanceof PyValue.Dict d) {
      return !d.entries().isEmpty();
    }
    java.math.BigDecimal x = v instanceof PyValue.Num ? number(v) : null;
    if (x != null) {
      return x.signum() != 0;
    }
    throw new NotStaticException(at.pos(), "the truth of this value is not known statically");
  }

  private static java.math.BigDecimal number(PyValue v) {
    if (v instanceof PyValue.Bool b) {
      return b.value() ? java.math.BigDecimal.ONE : java.math.BigDecimal.ZERO;
    }
    if (!(v instanceof PyValue.Num n)) {
      return null;
    }
    String t = n.text().replace("_", "");
    try {
      if (t.length() > 2 && t.charAt(0) == '0' && Character.isLetter(t.charAt(1))) {
        int radix = switch (Character.toLowerCase(t.charAt(1))) {
          case 'x' -> 16;
          case 'o' -> 8;
          case 'b' -> 2;
          default -> 0;
        };
        return radix == 0 ? null
            : new java.math.BigDecimal(new java.math.BigInteger(t.substring(2), radix));
      }
      return t.endsWith("j") || t.endsWith("J") ? null : new java.math.BigDecimal(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code int(x)} of a string of digits, a bool or an int. */
  private static PyValue toInt(PyValue v, Expr at) throws NotStaticException {
    // (an int literal, decimal or not: a float's text has '.', 'e' or 'E')
    java.math.BigDecimal literal = v instanceof PyValue.Num n && !n.text().contains(".")
        && !n.text().contains("e") && !n.text().contains("E") ? number(n) : null;
    String text = v instanceof PyValue.Str s ? pythonInt(s.value())
        : v instanceof PyValue.Bool b ? (b.value() ? "1" : "0")
        : literal != null ? literal.toBigInteger().toString() : null;
    if (text != null && text.matches("[+-]?[0-9]+")) {
      return new PyValue.Num(new java.math.BigInteger(text).toString());
    }
    throw new NotStaticException(at.pos(), "int() of this value is not known statically");
  }

  /** One comparison of a chain, as Python makes it between these values. */
  private static boolean compare(PyValue l, String op, PyValue r, Expr at)
      throws NotStaticException {
    switch (op) {
      case "==", "!=" -> {
        Boolean eq = equal(l, r);
        if (eq != null) {
          return eq == op.equals("==");
        }
      }
      case "is", "is not" -> {
        Boolean same = l == PyValue.None.NONE || r == PyValue.None.NONE
            || (l instanceof PyValue.Bool && r instanceof PyValue.Bool) ? equal(l, r) : null;
        if (same != null) { // (None, or a module such as os.environ: not known)
          return same == op.equals("is");
        }
      }
      case "in", "not in" -> {
        Boolean in = contains(r, l);
        if (in != null) {
          return in == op.equals("in");
        }
      }
      default -> {
        java.math.BigDecimal a = number(l);
        java.math.BigDecimal b = number(r);
        if (a != null && b != null) {
          int c = a.compareTo(b);
          return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
          };
        }
        if (l instanceof PyValue.Str a2 && r instanceof PyValue.Str b2) {
          int c = a2.value().compareTo(b2.value());
          return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
          };
        }
      }
    }
    throw new NotStaticException(at.pos(), "this comparison is not evaluated statically");
  }

  /** Python's {@code ==} between two values, or null where it is not known statically. */
  private static Boolean equal(PyValue l, PyValue r) {
    if (l == PyValue.None.NONE || r == PyValue.None.NONE) {
      return l == r ? Boolean.TRUE
          : (l instanceof PyValue.Opaque || r instanceof PyValue.Opaque) ? null : Boolean.FALSE;
    }
    if (l instanceof PyValue.Str a && r instanceof PyValue.Str b) {
      return a.value().equals(b.value());
    }
    java.math.BigDecimal x = number(l);
    java.math.BigDecimal y = number(r);
    if (x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    if ((l instanceof PyValue.Str && (r instanceof PyValue.Num || r instanceof PyValue.Bool
        || r instanceof PyValue.Seq)) || (r instanceof PyValue.Str && (l instanceof PyValue.Num
        || l instanceof PyValue.Bool || l instanceof PyValue.Seq))) {
      return false;
    }
    if (l instanceof PyValue.Seq a && r instanceof PyValue.Seq b) {
      if (a.tuple() != b.tuple() || a.items().size() != b.items().size()) {
        return false;
      }
      for (int i = 0; i < a.items().size(); i++) {
        Boolean eq = equal(a.items().get(i).value(), b.items().get(i).value());
        if (eq == null || !eq) {
          return eq;
        }
      }
      return true;
    }
    return null;
  }

  /** Python's {@code item in container}, or null where it is not known statically. */
  private static Boolean contains(PyValue container, PyValue item) {
    if (container instanceof PyValue.Str s) {
      return item instanceof PyValue.Str i ? s.value().contains(i.value()) : null;
    }
    java.util.Collection<PyValue> values;
    if (container instanceof PyValue.Seq seq) {
      values = seq.items().stream().map(PyValue.Item::value).toList();
    } else if (container instanceof PyValue.Dict d) {
      values = d.entries().keySet();
    } else {
      return null;
    }
    for (PyValue v : values) {
      Boolean eq = equal(item, v);
      if (eq == null) {
        return null;
      }
      if (eq) {
        return true;
      }
    }
    return false;
  }
}
