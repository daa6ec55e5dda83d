package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.util.List;
import java.util.Set;

/** Reading migration operation calls: which operation, and its arguments by position or name. */
public final class Operations {
  private Operations() {}

  /** Django's built-in operations (django.db.migrations and django.contrib.postgres). */
  public static final Set<String> BUILT_IN = Set.of("CreateModel", "DeleteModel", "RenameModel",
      "AlterModelTable", "AlterModelTableComment", "AlterUniqueTogether", "AlterIndexTogether",
      "AlterOrderWithRespectTo", "AlterModelOptions", "AlterModelManagers", "AddField",
      "RemoveField", "AlterField", "RenameField", "AddIndex", "RemoveIndex", "RenameIndex",
      "AddConstraint", "RemoveConstraint", "AlterConstraint", "SeparateDatabaseAndState",
      "RunSQL", "RunPython", "CreateExtension", "HStoreExtension", "TrigramExtension",
      "BtreeGinExtension", "BtreeGistExtension", "UnaccentExtension", "CryptoExtension",
      "CITextExtension", "BloomExtension", "AddIndexConcurrently", "RemoveIndexConcurrently",
      "CreateCollation", "RemoveCollation", "ValidateConstraint", "AddConstraintNotValid");

  /** The operation's class name ({@code migrations.AddField(...)} gives AddField), or null. */
  public static String name(Expr op) {
    if (op instanceof Expr.Call c) {
      // the last part of StaticEvaluator.dotted(func), without building the dotted string: this
      // runs for every operation of every ancestor a reversibility check reads
      Expr f = c.func();
      if (f instanceof Expr.Name n) {
        return n.id();
      }
      if (f instanceof Expr.Attribute a && isDotted(a.value())) {
        return a.attr();
      }
    }
    return null;
  }

  private static boolean isDotted(Expr e) {
    while (e instanceof Expr.Attribute a) {
      e = a.value();
    }
    return e instanceof Expr.Name;
  }

  /** Argument {@code index} or keyword {@code keyword}; null when absent. */
  public static Expr arg(Expr op, int index, String keyword) {
    if (!(op instanceof Expr.Call c)) {
      return null;
    }
    for (Expr.Keyword k : c.keywords()) {
      if (keyword.equals(k.name())) {
        return k.value();
      }
    }
    List<Expr> args = c.args();
    if (index >= 0 && index < args.size() && !(args.get(index) instanceof Expr.Starred)) {
      return args.get(index);
    }
    return null;
  }

  /** A literal string argument, or null. */
  public static String string(Expr op, int index, String keyword) {
    return arg(op, index, keyword) instanceof Expr.Str s ? s.value() : null;
  }

  public static boolean isNone(Expr e) {
    return e == null || (e instanceof Expr.Const k && k.kind() == Expr.Const.Kind.NONE);
  }

  /** A list or tuple display's elements, or an empty list. */
  public static List<Expr> elements(Expr e) {
    if (e instanceof Expr.ListExpr l) {
      return l.elements();
    }
    if (e instanceof Expr.Tuple t) {
      return t.elements();
    }
    return List.of();
  }
}
