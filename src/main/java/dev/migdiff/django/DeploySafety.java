package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a new migration is safe to apply while the previous release's code still runs (a
 * rolling deploy, or migrate-then-deploy): the operations that break old code, read statically.
 * Safe, and not reported: CreateModel, AddField of a nullable field or one with db_default,
 * RemoveConstraint/RemoveIndex, widening or relaxing AlterField, options, managers, comments,
 * and SeparateDatabaseAndState's state_operations (they do not touch the database).
 */
public final class DeploySafety {
  private DeploySafety() {}

  /** {@code before} holds the field definitions as they were before {@code m}; it is advanced. */
  public static List<DeployFinding> of(Migration m, FieldState before) {
    List<DeployFinding> out = new ArrayList<>();
    String app = m.key().app();
    for (Expr op : m.operations()) {
      check(app, op, before, out);
      before.apply(app, op);
    }
    return out;
  }

  private static void check(String app, Expr op, FieldState state, List<DeployFinding> out) {
    String name = Operations.name(op);
    if (name == null) {
      out.add(caution("unknown-operation", "?", op, "an operation migdiff cannot read statically",
          "check by hand what it does to the tables old code uses"));
      return;
    }
    switch (name) {
      case "RemoveField" -> out.add(unsafe("remove-field", name, op, "RemoveField "
          + what(op, 0, 1) + ": old code still selects this column and fails",
          "deploy twice: first stop using the field in code (make it null=True or give it a "
              + "db_default), release; then remove it, or drop it from the state only with "
              + "SeparateDatabaseAndState and delete the column in a later release"));
      case "DeleteModel" -> out.add(unsafe("delete-model", name, op, "DeleteModel "
          + str(op, 0, "name") + ": old code still queries this table and fails",
          "deploy twice: first remove every use of the model, release; then delete it"));
      case "RenameField" -> out.add(unsafe("rename-field", name, op, "RenameField "
          + str(op, 0, "model_name") + "." + str(op, 1, "old_name") + " to "
          + str(op, 2, "new_name") + ": old code still uses the old column name",
          "keep the column: rename only in Python with db_column='" + str(op, 1, "old_name")
              + "' (no database change); or add the new field, copy, switch code, then remove "
              + "the old one in a later release"));
      case "RenameModel" -> out.add(unsafe("rename-model", name, op, "RenameModel "
          + str(op, 0, "old_name") + " to " + str(op, 1, "new_name")
          + ": old code still uses the old table name",
          "keep the table: rename only in Python with Meta.db_table set to the old table name "
              + "(no database change)"));
      case "AlterModelTable" -> out.add(unsafe("rename-table", name, op, "AlterModelTable "
          + str(op, 0, "name") + ": old code still uses the old table name",
          "keep db_table until no running code uses the old name, or create a view"));
      case "AddField" -> addField(op, out);
      case "AlterField" -> alterField(app, op, state, out);
      case "AddConstraint", "AlterUniqueTogether" -> out.add(caution("add-constraint", name, op,
          name + ": checks every existing row under a lock, and old code may write rows that "
              + "violate it",
          "deploy the code that respects the constraint first; on PostgreSQL add it NOT VALID "
              + "and validate it in a later migration"));
      case "AddIndex" -> out.add(caution("add-index-locks", name, op,
          "AddIndex: building the index blocks writes to the table",
          "on PostgreSQL use AddIndexConcurrently in a migration with atomic = False"));
      case "RunPython" -> out.add(caution("run-python", name, op,
          "RunPython: runs in the migration's transaction while old code writes; may lock or "
              + "rewrite whole tables",
          "batch the data change, keep it idempotent, and keep schema changes in other "
              + "migrations"));
      case "RunSQL" -> out.add(caution("run-sql", name, op,
          "RunSQL: migdiff cannot tell what it does to tables old code uses",
          "check it for locks and rewrites; give it a reverse_sql"));
      case "SeparateDatabaseAndState" -> {
        for (Expr inner : Operations.elements(Operations.arg(op, 0, "database_operations"))) {
          check(app, inner, state, out);
        }
      }
      default -> {
        if (!Operations.BUILT_IN.contains(name)) {
          out.add(caution("unknown-operation", name, op, "custom operation " + name
              + ": what it does to the database is not known statically",
              "check by hand what it does to the tables old code uses"));
        }
      }
    }
  }

  /**
   * Django adds a column with {@code default=} as a database default only while filling
   * existing rows, then drops it (django/db/backends/base/schema.py, {@code add_field}): old
   * code's INSERTs, which omit the column, then fail on NOT NULL. {@code db_default} (5.0+)
   * stays.
   */
  private static void addField(Expr op, List<DeployFinding> out) {
    Expr field = Operations.arg(op, 2, "field");
    if (field == null || nullable(field) || has(field, "db_default") || manyToMany(field)) {
      return;
    }
    String what = what(op, 0, 1);
    if (has(field, "default")) {
      out.add(caution("add-field-python-default", "AddField", op, "AddField " + what
          + ": NOT NULL with a Python-side default only; Django drops the database default "
          + "after filling existing rows, so old code's INSERTs fail",
          "use db_default (Django 5.0+), or add it null=True first and make it NOT NULL in a "
              + "later release"));
    } else {
      out.add(unsafe("add-field-not-null", "AddField", op, "AddField " + what
          + ": NOT NULL without a default; old code's INSERTs fail (and makemigrations needs a "
          + "one-off default for existing rows)",
          "add it null=True (or with db_default), deploy, backfill, then make it NOT NULL in a "
              + "later release"));
    }
  }

  private static void alterField(String app, Expr op, FieldState state, List<DeployFinding> out) {
    String model = Operations.string(op, 0, "model_name");
    String field = Operations.string(op, 1, "name");
    Expr before = model == null || field == null ? null : state.field(app, model, field);
    Expr after = Operations.arg(op, 2, "field");
    String what = what(op, 0, 1);
    if (before == null || after == null) {
      return;
    }
    String typeBefore = Operations.name(before);
    String typeAfter = Operations.name(after);
    if (typeBefore != null && typeAfter != null && !typeBefore.equals(typeAfter)) {
      out.add(unsafe("alter-field-type", "AlterField", op, "AlterField " + what + ": "
          + typeBefore + " to " + typeAfter + " rewrites the table under a lock, and old code "
          + "reads and writes the old type",
          "add a new field of the new type, write both, backfill, switch reads, then remove "
              + "the old field in a later release"));
    }
    Long lenBefore = maxLength(before);
    Long lenAfter = maxLength(after);
    if (lenBefore != null && lenAfter != null && lenAfter < lenBefore) {
      out.add(unsafe("alter-field-narrows", "AlterField", op, "AlterField " + what
          + ": max_length " + lenBefore + " to " + lenAfter + "; old code may still write "
          + "longer values, and existing ones may not fit",
          "shorten the values in code first, release, then narrow the column"));
    }
    if (nullable(before) && !nullable(after)) {
      out.add(unsafe("alter-field-not-null", "AlterField", op, "AlterField " + what
          + ": NULL to NOT NULL; old code may still write NULL, and existing NULLs fail it",
          "deploy code that always writes a value, backfill the NULLs, then make it NOT NULL"));
    }
  }

  private static DeployFinding unsafe(String code, String operation, Expr op, String message,
      String help) {
    return new DeployFinding(DeployFinding.Level.UNSAFE, code, operation, op.pos(), message, help);
  }

  private static DeployFinding caution(String code, String operation, Expr op, String message,
      String help) {
    return new DeployFinding(DeployFinding.Level.CAUTION, code, operation, op.pos(), message,
        help);
  }

  private static String what(Expr op, int modelIndex, int fieldIndex) {
    return str(op, modelIndex, "model_name") + "." + str(op, fieldIndex, "name");
  }

  private static String str(Expr op, int index, String keyword) {
    String s = Operations.string(op, index, keyword);
    return s == null ? "?" : s;
  }

  static boolean nullable(Expr field) {
    Expr v = Operations.arg(field, -1, "null");
    return v instanceof Expr.Const k && k.kind() == Expr.Const.Kind.TRUE;
  }

  private static boolean has(Expr field, String keyword) {
    return Operations.arg(field, -1, keyword) != null;
  }

  private static boolean manyToMany(Expr field) {
    return "ManyToManyField".equals(Operations.name(field));
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
}
