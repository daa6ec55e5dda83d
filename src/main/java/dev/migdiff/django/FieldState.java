package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The field definitions the migrations so far have declared, by {@code app.model.field}: just
 * enough of Django's project state to tell what a reverse would re-create.
 */
public final class FieldState {
  /** By app label, then by {@code model.field} (the model lower-cased). */
  private final Map<String, Map<String, Expr>> fields = new HashMap<>();
  /** App label -> lower-case model names this state keeps; null: every model. */
  private final Map<String, Set<String>> scope;

  /** A state of every model's fields. */
  public FieldState() {
    this(null);
  }

  private FieldState(Map<String, Set<String>> scope) {
    this.scope = scope;
  }

  /**
   * A state that keeps only the fields of the models {@link #scopeOf} names for {@code asked}:
   * all that the reversibility and deploy-safety checks of those migrations read. Every
   * operation this state follows changes one model's fields only (a RenameField stays in its
   * model), so a scoped state answers exactly as a whole one for its models; it does not even
   * decode the operations of other apps. Reading another model's field is a programming error.
   */
  public static FieldState scoped(Map<String, Set<String>> scope) {
    return new FieldState(scope);
  }

  /**
   * App label -> lower-case names of the models whose fields the checks of {@code asked} may
   * read: those of every RemoveField and AlterField, at the top level or inside
   * SeparateDatabaseAndState.
   */
  public static Map<String, Set<String>> scopeOf(Collection<Migration> asked) {
    Map<String, Set<String>> out = new HashMap<>();
    for (Migration m : asked) {
      for (Expr op : m.operations()) {
        read(m.key().app(), op, out);
      }
    }
    return out;
  }

  private static void read(String app, Expr op, Map<String, Set<String>> out) {
    String name = Operations.name(op);
    if (name == null) {
      return;
    }
    switch (name) {
      case "RemoveField", "AlterField" -> {
        String model = Operations.string(op, 0, "model_name");
        if (model != null) {
          out.computeIfAbsent(app, a -> new HashSet<>()).add(model.toLowerCase(Locale.ROOT));
        }
      }
      case "SeparateDatabaseAndState" -> {
        List<Expr> inner = new ArrayList<>(
            Operations.elements(Operations.arg(op, 0, "database_operations")));
        inner.addAll(Operations.elements(Operations.arg(op, 1, "state_operations")));
        for (Expr e : inner) {
          read(app, e, out);
        }
      }
      default -> { }
    }
  }

  /** Whether this state follows any model of {@code app} (a scoped state may follow none). */
  public boolean follows(String app) {
    return scope == null || scope.containsKey(app);
  }

  /** An independent copy, to be advanced separately. */
  public FieldState copy() {
    FieldState c = new FieldState(scope);
    for (Map.Entry<String, Map<String, Expr>> e : fields.entrySet()) {
      c.fields.put(e.getKey(), new HashMap<>(e.getValue()));
    }
    return c;
  }

  /** Applies the operations of one migration, in order. */
  public void apply(Migration m) {
    String app = m.key().app();
    if (!follows(app) || scope != null && !m.touchesFields(scope.get(app))) {
      return; // (a scoped state passes a migration of other models without decoding it)
    }
    for (Effect e : m.fieldEffects()) {
      apply(app, e);
    }
  }

  /** Applies one operation of {@code app}. */
  public void apply(String app, Expr op) {
    if (!follows(app)) {
      return;
    }
    List<Effect> effects = new ArrayList<>();
    decode(op, effects);
    for (Effect e : effects) {
      apply(app, e);
    }
  }

  private void apply(String app, Effect e) {
    if (scope != null) {
      Set<String> models = scope.get(app);
      if (models == null || !models.contains(e.model())) {
        return;
      }
    }
    Map<String, Expr> own = fields.computeIfAbsent(app, a -> new HashMap<>());
    if (e.renamedTo() == null) {
      own.put(e.key(), e.def());
    } else {
      Expr def = own.remove(e.key());
      if (def != null) {
        own.put(e.model() + "." + e.renamedTo(), def);
      }
    }
  }

  /**
   * What one operation does to the fields: a definition of {@code model.field} ({@code def}),
   * or its renaming to {@code renamedTo}. {@code model} is lower-cased, as Django keys models.
   */
  record Effect(String model, String field, String renamedTo, Expr def, String key) {
    Effect(String model, String field, String renamedTo, Expr def) {
      // the state's key, made once per migration rather than on every walk over it
      this(model, field, renamedTo, def, model + "." + field);
    }
  }

  /**
   * Parses and decodes, on every core, what a walk over {@code migrations} would parse and decode
   * one at a time ({@link #apply(Migration)}): on a first run, the operations of every ancestor
   * of a checked migration. Migrations whose effects are known, or which the store's index
   * answers for, are left alone; a failure is left for the walk to meet and report.
   */
  public static void prepare(Collection<Migration> migrations) {
    prepare(migrations, null);
  }

  /**
   * {@link #prepare(Collection)} for a walk of a state {@link #scoped} to {@code scope} (null: a
   * whole state): also decodes, on every core, the stored operations of the migrations the
   * store's index says the walk reads (they touch a scoped model), which the walk would decode
   * one at a time: on a warm run, all the decoding there is ("large" `main feature`: 827 of the
   * 867 ancestors of the 46 migrations it unapplies).
   */
  public static void prepare(Collection<Migration> migrations, Map<String, Set<String>> scope) {
    List<OperationSource> unread = new ArrayList<>();
    for (Migration m : migrations) {
      if (m.operationsSource() instanceof OperationSource s && (s.unread()
          || scope != null && !s.decoded() && scope.containsKey(m.key().app())
              && s.touches(scope.get(m.key().app())))) {
        unread.add(s);
      }
    }
    if (unread.size() < PREPARE_MIN) {
      return;
    }
    unread.parallelStream().forEach(s -> {
      try {
        s.effects();
      } catch (RuntimeException e) {
        // met again, and reported, by the walk
      }
    });
  }

  /** Fewer than this are not worth a second thread. */
  private static final int PREPARE_MIN = 8;

  /** The effects of all of {@code ops}, in order ({@link #decode} of each). */
  static List<Effect> effectsOf(List<Expr> ops) {
    List<Effect> out = new ArrayList<>();
    for (Expr op : ops) {
      decode(op, out);
    }
    return out.isEmpty() ? List.of() : List.copyOf(out);
  }

  /**
   * The effects of {@code op}, in order: decoded once per migration ({@link
   * Migration#fieldEffects}), as a walk over every ancestor of a checked migration reads them.
   */
  static void decode(Expr op, List<Effect> out) {
    String name = Operations.name(op);
    if (name == null) {
      return;
    }
    switch (name) {
      case "CreateModel" -> {
        String model = Operations.string(op, 0, "name");
        if (model == null) {
          return;
        }
        String lower = model.toLowerCase(Locale.ROOT);
        for (Expr f : Operations.elements(Operations.arg(op, 1, "fields"))) {
          List<Expr> pair = Operations.elements(f);
          if (pair.size() == 2 && pair.get(0) instanceof Expr.Str fn) {
            out.add(new Effect(lower, fn.value(), null, pair.get(1)));
          }
        }
      }
      case "AddField", "AlterField" -> {
        String model = Operations.string(op, 0, "model_name");
        String field = Operations.string(op, 1, "name");
        Expr def = Operations.arg(op, 2, "field");
        if (model != null && field != null && def != null) {
          out.add(new Effect(model.toLowerCase(Locale.ROOT), field, null, def));
        }
      }
      case "RenameField" -> {
        String model = Operations.string(op, 0, "model_name");
        String from = Operations.string(op, 1, "old_name");
        String to = Operations.string(op, 2, "new_name");
        if (model != null && from != null && to != null) {
          out.add(new Effect(model.toLowerCase(Locale.ROOT), from, to, null));
        }
      }
      default -> { }
    }
  }

  /** The definition of a field, or null when unknown. */
  public Expr field(String app, String model, String field) {
    String lower = model.toLowerCase(Locale.ROOT);
    if (scope != null && !scope.getOrDefault(app, Set.of()).contains(lower)) {
      throw new IllegalStateException("a field of " + app + "." + model
          + " read from a state scoped to other models: FieldState.scopeOf misses a read");
    }
    return fields.getOrDefault(app, Map.of()).get(lower + "." + field);
  }
}
