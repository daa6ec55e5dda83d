package dev.migdiff.python;

import java.util.List;

/**
 * A Python expression as the parser sees it. Only the subset that migration, settings and apps
 * files use statically is modelled precisely; anything else is an {@link Other} that keeps its
 * position and a short description ("lambda", "comprehension", ...), so callers can say exactly
 * what they could not evaluate and where.
 */
public sealed interface Expr {
  Position pos();

  /** A str literal; adjacent literals are already concatenated, escapes already decoded. */
  record Str(Position pos, String value) implements Expr {}

  /** A bytes literal; each char of {@code value} is one byte (0-255). */
  record Bytes(Position pos, String value) implements Expr {}

  /** An int, float or imaginary literal, kept as written. */
  record Num(Position pos, String text) implements Expr {}

  /** {@code True}, {@code False}, {@code None} or {@code ...}. */
  record Const(Position pos, Kind kind) implements Expr {
    public enum Kind { TRUE, FALSE, NONE, ELLIPSIS }
  }

  record Name(Position pos, String id) implements Expr {}

  record Attribute(Position pos, Expr value, String attr) implements Expr {}

  /** A call; {@code args} may hold {@link Starred}; a keyword with null name is {@code **x}. */
  record Call(Position pos, Expr func, List<Expr> args, List<Keyword> keywords) implements Expr {}

  record Keyword(Position pos, String name, Expr value) {}

  record Tuple(Position pos, List<Expr> elements) implements Expr {}

  record ListExpr(Position pos, List<Expr> elements) implements Expr {}

  record SetExpr(Position pos, List<Expr> elements) implements Expr {}

  /** A dict display; an entry with null key is {@code **x}. */
  record Dict(Position pos, List<DictEntry> entries) implements Expr {}

  record DictEntry(Expr key, Expr value) {}

  /** A binary operator expression; {@code op} as written: "+", "-", "*", "%", "|", ... */
  record BinOp(Position pos, Expr left, String op, Expr right) implements Expr {}

  /** A unary operator expression; {@code op} is "-", "+", "~" or "not". */
  record UnaryOp(Position pos, String op, Expr operand) implements Expr {}

  /**
   * A comparison chain {@code left ops[0] comparators[0] ops[1] comparators[1] ...}; each op as
   * written ("==", "<", "in", "not in", "is", "is not", ...).
   */
  record Compare(Position pos, Expr left, List<String> ops, List<Expr> comparators)
      implements Expr {}

  /** {@code values[0] op values[1] op ...} for {@code op} "and" or "or" (at least two values). */
  record BoolOp(Position pos, String op, List<Expr> values) implements Expr {}

  record Starred(Position pos, Expr value) implements Expr {}

  record Subscript(Position pos, Expr value, Expr index) implements Expr {}

  /** Any expression outside the modelled subset; {@code kind} names it for messages. */
  record Other(Position pos, String kind) implements Expr {}
}
