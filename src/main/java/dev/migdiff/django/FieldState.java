package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The field definitions the migrations so far have declared, by {@code app.model.field}: just
 * enough of Django's project state to tell what a reverse would re-create.
 */
public final class FieldState {
  private final Map<String, Expr> fields = new HashMap<>();

  /** An independent copy, to be advanced separately. */
  public FieldState copy() {
    FieldState c = new FieldState();
    c.fields.putAll(fields);
    return c;
  }

  /** Applies the operations of one migration, in order. */
  public void apply(Migration m) {
    for (Expr op : m.operations()) {
      apply(m.key().app(), op);
    }
  }

  public void apply(String app, Expr op) {
    String name = Operations.name(op);
    if (name == null) {
      return;
    }
    switch (name) {
      case "CreateModel" -> {
        String model = Operations.string(op, 0, "name");
        for (Expr f : Operations.elements(Operations.arg(op, 1, "fields"))) {
          java.util.List<Expr> pair = Operations.elements(f);
          if (model != null && pair.size() == 2 && pair.get(0) instanceof Expr.Str fn) {
            fields.put(key(app, model, fn.value()), pair.get(1));
          }
        }
      }
      case "AddField", "AlterField" -> {
        String model = Operations.string(op, 0, "model_name");
        String field = Operations.string(op, 1, "name");
        Expr def = Operations.arg(op, 2, "field");
        if (model != null && field != null && def != null) {
          fields.put(key(app, model, field), def);
        }
      }
      case "RenameField" -> {
        String model = Operations.string(op, 0, "model_name");
        String from = Operations.string(op, 1, "old_name");
        String to = Operations.string(op, 2, "new_name");
        if (model != null && from != null && to != null) {
          Expr def = fields.remove(key(app, model, from));
          if (def != null) {
            fields.put(key(app, model, to), def);
          }
        }
      }
      default -> { }
    }
  }

  /** The definition of a field, or null when unknown. */
  public Expr field(String app, String model, String field) {
    return fields.get(key(app, model, field));
  }

  private static String key(String app, String model, String field) {
    return app + "." + model.toLowerCase(Locale.ROOT) + "." + field;
  }
}
