package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes wrong when a migration is unapplied, read from its operations: Django's own
 * {@code reversible} flags (django/db/migrations/operations/special.py: RunPython without
 * reverse_code, RunSQL without reverse_sql; checked top-level only by {@code Migration.unapply}),
 * reverses nested in SeparateDatabaseAndState that fail mid-run, and reverses that fail or lose
 * data (RemoveField of a NOT NULL field without default, DeleteModel, narrowing AlterField).
 */
public final class Reversibility {
  private Reversibility() {}

  /** {@code before} holds the field definitions as they were before {@code m}. */
  public static List<Reversal> of(Migration m, FieldState before) {
    List<Reversal> out = new ArrayList<>();
    String app = m.key().app();
    for (Expr op : m.operations()) {
      check(app, op, before, out, false);
      before.apply(app, op);
    }
    return out;
  }

  private static void check(String app, Expr op, FieldState state, List<Reversal> out,
      boolean nested) {
    String name = Operations.name(op);
    if (name == null) {
      out.add(new Reversal(Reversal.Kind.UNKNOWN, "?", op.pos(),
          "an operation migdiff cannot read statically"));
      return;
    }
    Reversal.Kind stop = nested ? Reversal.Kind.FAILS : Reversal.Kind.IRREVERSIBLE;
    String inside = nested ? " inside SeparateDatabaseAndState (NotImplementedError mid-run)" : "";
    switch (name) {
      case "RunPython" -> {
        if (Operations.isNone(Operations.arg(op, 1, "reverse_code"))) {
          out.add(new Reversal(stop, name, op.pos(), "RunPython without reverse_code" + inside));
        }
      }
      case "RunSQL" -> {
        if (Operations.isNone(Operations.arg(op, 1, "reverse_sql"))) {
          out.add(new Reversal(stop, name, op.pos(), "RunSQL without reverse_sql" + inside));
        }
      }
      case "SeparateDatabaseAndState" -> {
        for (Expr inner : Operations.elements(Operations.arg(op, 0, "database_operations"))) {
          check(app, inner, state, out, true);
        }
      }
      case "DeleteModel" -> out.add(new Reversal(Reversal.Kind.LOSES_DATA, name, op.pos(),
          "DeleteModel " + quoted(Operations.string(op, 0, "name"))
              + ": the table comes back empty"));
      case "RemoveField" -> removeField(app, op, state, out);
      case "AlterField" -> alterField(app, op, state, out);
      default -> {
        if (!Operations.BUILT_IN.contains(name)) {
          out.add(new Reversal(Reversal.Kind.UNKNOWN, name, op.pos(),
              "custom operation " + name + ": its reverse is not known statically"));
        }
      }
    }
  }

  private static void removeField(String app, Expr op, FieldState state, List<Reversal> out) {
    String model = Operations.string(op, 0, "model_name");
    String field = Operations.string(op, 1, "name");
    Expr def = model == null || field == null ? null : state.field(app, model, field);
    String what = quoted(model) + "." + (field == null ? "?" : field);
    if (def != null && !nullable(def) && !hasDefault(def)) {
      out.add(new Reversal(Reversal.Kind.FAILS, "RemoveField", op.pos(), "RemoveField " + what
          + ": re-adding a NOT NULL column without a default fails on a non-empty table"));
    } else {
      out.add(new Reversal(Reversal.Kind.LOSES_DATA, "RemoveField", op.pos(), "RemoveField "
          + what + ": the column comes back " + (def == null ? "without its data"
              : hasDefault(def) ? "filled with its default" : "empty (NULL)")));
    }
  }

  private static void alterField(String app, Expr op, FieldState state, List<Reversal> out) {
    String model = Operations.string(op, 0, "model_name");
    String field = Operations.string(op, 1, "name");
    Expr before = model == null || field == null ? null : state.field(app, model, field);
    Expr after = Operations.arg(op, 2, "field");
    if (before == null || after == null) {
      return;
    }
    String what = model + "." + field;
    String typeBefore = Operations.name(before);
    String typeAfter = Operations.name(after);
    if (typeBefore != null && !typeBefore.equals(typeAfter)) {
      out.add(new Reversal(Reversal.Kind.MAY_FAIL, "AlterField", op.pos(), "AlterField " + what
          + ": the reverse changes the type back from " + typeAfter + " to " + typeBefore));
    }
    Long lenBefore = maxLength(before);
    Long lenAfter = maxLength(after);
    if (lenBefore != null && lenAfter != null && lenBefore < lenAfter) {
      out.add(new Reversal(Reversal.Kind.MAY_FAIL, "AlterField", op.pos(), "AlterField " + what
          + ": the reverse narrows max_length from " + lenAfter + " to " + lenBefore));
    }
    if (!nullable(before) && nullable(after)) {
      out.add(new Reversal(Reversal.Kind.MAY_FAIL, "AlterField", op.pos(), "AlterField " + what
          + ": the reverse makes the column NOT NULL again (fails if NULLs were written)"));
    }
  }

  private static boolean nullable(Expr field) {
    Expr v = Operations.arg(field, -1, "null");
    return v instanceof Expr.Const k && k.kind() == Expr.Const.Kind.TRUE;
  }

  private static boolean hasDefault(Expr field) {
    return Operations.arg(field, -1, "default") != null
        || Operations.arg(field, -1, "db_default") != null;
  }

  private static Long maxLength(Expr field) {
    if (Operations.arg(field, -1, "max_length") instanceof Expr.Num n) {
      try {
        return Long.parseLong(n.text().replace("_", ""));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String quoted(String s) {
    return s == null ? "?" : s;
  }
}
