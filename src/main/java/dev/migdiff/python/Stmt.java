package dev.migdiff.python;

import java.util.List;

/** A Python statement, at the depth of detail migdiff needs. */
public sealed interface Stmt {
  Position pos();

  /** {@code a = b = value}; also {@code a: T = value} (one target). Targets as written. */
  record Assign(Position pos, List<Expr> targets, Expr value) implements Stmt {}

  /** {@code target op= value}, op as written ("+=", "|=", ...). */
  record AugAssign(Position pos, Expr target, String op, Expr value) implements Stmt {}

  /** A class and the statements of its body (nested classes included). */
  record ClassDef(Position pos, String name, List<Expr> bases, List<Expr.Keyword> keywords,
      List<Stmt> body) implements Stmt {}

  /** A {@code def} (or {@code async def}); its body is not kept. */
  record FunctionDef(Position pos, String name) implements Stmt {}

  /** {@code import a.b as c, d}. */
  record Import(Position pos, List<Alias> names) implements Stmt {}

  /**
   * {@code from .mod import a as b}; {@code level} counts leading dots, {@code module} is the
   * dotted name after them ("" for {@code from . import x}); a star import has one alias "*".
   */
  record ImportFrom(Position pos, int level, String module, List<Alias> names) implements Stmt {}

  record Alias(String name, String asName) {}

  /** An expression statement, e.g. a docstring or {@code INSTALLED_APPS.append("x")}. */
  record ExprStmt(Position pos, Expr value) implements Stmt {}

  /**
   * if/elif/else, for, while, try/except/finally, with, match: the statements of all of its
   * blocks, flattened in source order, so callers can see what is assigned conditionally. An
   * {@code if} whose tests all parse also has its {@code branches} in order (an {@code else} has
   * a null test), whose bodies together are {@code body}; any other has none.
   */
  record Compound(Position pos, String keyword, List<Stmt> body, List<Branch> branches)
      implements Stmt {
    public Compound(Position pos, String keyword, List<Stmt> body) {
      this(pos, keyword, body, List.of());
    }
  }

  /** One block of an if statement: its test (null for {@code else}) and its statements. */
  record Branch(Expr test, List<Stmt> body) {}

  /** pass, del, return, global, assert, raise, ...: nothing migdiff evaluates. */
  record Other(Position pos, String keyword) implements Stmt {}
}
