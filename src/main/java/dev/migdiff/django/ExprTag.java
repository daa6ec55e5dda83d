package dev.migdiff.django;

import static dev.migdiff.django.MigrationCodec.pos;
import static dev.migdiff.django.MigrationCodec.pooledStr;
import static dev.migdiff.django.MigrationCodec.str;

import dev.migdiff.python.Expr;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The stored form of an {@link Expr} tree: one tag byte per node, then its fields in order. */
final class ExprTag {
  private ExprTag() {}

  private static final int NULL = 0, STR = 1, BYTES = 2, NUM = 3, CONST = 4, NAME = 5, ATTRIBUTE = 6,
      CALL = 7, TUPLE = 8, LIST = 9, SET = 10, DICT = 11, BINOP = 12, UNARY = 13, STARRED = 14,
      SUBSCRIPT = 15, OTHER = 16, COMPARE = 17, BOOLOP = 18;

  /** Deeper trees than this are not stored (the parser's own nesting limit is far lower). */
  private static final int MAX_DEPTH = 2000;

  static void write(DataOutputStream out, Expr e) throws IOException {
    write(out, e, 0);
  }

  private static void write(DataOutputStream out, Expr e, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("expression too deep to store");
    }
    int d = depth + 1;
    if (e == null) {
      out.writeByte(NULL);
      return;
    }
    out.writeByte(tag(e));
    pos(out, e.pos());
    if (e instanceof Expr.Str s) {
      str(out, s.value());
    } else if (e instanceof Expr.Bytes b) {
      str(out, b.value());
    } else if (e instanceof Expr.Num n) {
      str(out, n.text());
    } else if (e instanceof Expr.Const c) {
      out.writeByte(c.kind().ordinal());
    } else if (e instanceof Expr.Name n) {
      str(out, n.id());
    } else if (e instanceof Expr.Attribute a) {
      write(out, a.value(), d);
      str(out, a.attr());
    } else if (e instanceof Expr.Call c) {
      write(out, c.func(), d);
      list(out, c.args(), d);
      MigrationCodec.var(out, c.keywords().size());
      for (Expr.Keyword k : c.keywords()) {
        pos(out, k.pos());
        str(out, k.name());
        write(out, k.value(), d);
      }
    } else if (e instanceof Expr.Tuple t) {
      list(out, t.elements(), d);
    } else if (e instanceof Expr.ListExpr l) {
      list(out, l.elements(), d);
    } else if (e instanceof Expr.SetExpr s) {
      list(out, s.elements(), d);
    } else if (e instanceof Expr.Dict di) {
      MigrationCodec.var(out, di.entries().size());
      for (Expr.DictEntry en : di.entries()) {
        write(out, en.key(), d);
        write(out, en.value(), d);
      }
    } else if (e instanceof Expr.BinOp b) {
      write(out, b.left(), d);
      str(out, b.op());
      write(out, b.right(), d);
    } else if (e instanceof Expr.UnaryOp u) {
      str(out, u.op());
      write(out, u.operand(), d);
    } else if (e instanceof Expr.Starred s) {
      write(out, s.value(), d);
    } else if (e instanceof Expr.Subscript s) {
      write(out, s.value(), d);
      write(out, s.index(), d);
    } else if (e instanceof Expr.Other o) {
      str(out, o.kind());
    } else if (e instanceof Expr.Compare c) {
      write(out, c.left(), d);
      MigrationCodec.var(out, c.ops().size());
      for (int i = 0; i < c.ops().size(); i++) {
        str(out, c.ops().get(i));
        write(out, c.comparators().get(i), d);
      }
    } else if (e instanceof Expr.BoolOp b) {
      str(out, b.op());
      list(out, b.values(), d);
    }
  }

  private static int tag(Expr e) {
    return e instanceof Expr.Str ? STR : e instanceof Expr.Bytes ? BYTES : e instanceof Expr.Num ? NUM
        : e instanceof Expr.Const ? CONST : e instanceof Expr.Name ? NAME
        : e instanceof Expr.Attribute ? ATTRIBUTE : e instanceof Expr.Call ? CALL
        : e instanceof Expr.Tuple ? TUPLE : e instanceof Expr.ListExpr ? LIST
        : e instanceof Expr.SetExpr ? SET : e instanceof Expr.Dict ? DICT
        : e instanceof Expr.BinOp ? BINOP : e instanceof Expr.UnaryOp ? UNARY
        : e instanceof Expr.Starred ? STARRED : e instanceof Expr.Subscript ? SUBSCRIPT
        : e instanceof Expr.Compare ? COMPARE : e instanceof Expr.BoolOp ? BOOLOP : OTHER;
  }

  private static void list(DataOutputStream out, List<Expr> list, int depth) throws IOException {
    MigrationCodec.var(out, list.size());
    for (Expr e : list) {
      write(out, e, depth);
    }
  }

  static Expr read(ByteReader in) throws IOException {
    return read(in, 0);
  }

  private static Expr read(ByteReader in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("expression too deep");
    }
    int d = depth + 1;
    int tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case STR -> new Expr.Str(pos(in), pooledStr(in));
      case BYTES -> new Expr.Bytes(pos(in), pooledStr(in));
      case NUM -> new Expr.Num(pos(in), pooledStr(in));
      case CONST -> {
        var p = pos(in);
        int k = in.readByte();
        if (k < 0 || k >= Expr.Const.Kind.values().length) {
          throw new IOException("bad constant");
        }
        yield new Expr.Const(p, Expr.Const.Kind.values()[k]);
      }
      case NAME -> new Expr.Name(pos(in), pooledStr(in));
      case ATTRIBUTE -> new Expr.Attribute(pos(in), read(in, d), pooledStr(in));
      case CALL -> {
        var p = pos(in);
        Expr func = read(in, d);
        List<Expr> args = list(in, d);
        int n = MigrationCodec.count(in);
        List<Expr.Keyword> kws = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          kws.add(new Expr.Keyword(pos(in), pooledStr(in), read(in, d)));
        }
        yield new Expr.Call(p, func, args, Collections.unmodifiableList(kws));
      }
      case TUPLE -> new Expr.Tuple(pos(in), list(in, d));
      case LIST -> new Expr.ListExpr(pos(in), list(in, d));
      case SET -> new Expr.SetExpr(pos(in), list(in, d));
      case DICT -> {
        var p = pos(in);
        int n = MigrationCodec.count(in);
        List<Expr.DictEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          entries.add(new Expr.DictEntry(read(in, d), read(in, d)));
        }
        yield new Expr.Dict(p, Collections.unmodifiableList(entries));
      }
      case BINOP -> new Expr.BinOp(pos(in), read(in, d), pooledStr(in), read(in, d));
      case UNARY -> new Expr.UnaryOp(pos(in), pooledStr(in), read(in, d));
      case STARRED -> new Expr.Starred(pos(in), read(in, d));
      case SUBSCRIPT -> new Expr.Subscript(pos(in), read(in, d), read(in, d));
      case OTHER -> new Expr.Other(pos(in), pooledStr(in));
      case COMPARE -> {
        var p = pos(in);
        Expr left = read(in, d);
        int n = MigrationCodec.count(in);
        List<String> ops = new ArrayList<>(n);
        List<Expr> comparators = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ops.add(pooledStr(in));
          comparators.add(read(in, d));
        }
        yield new Expr.Compare(p, left, List.copyOf(ops), List.copyOf(comparators));
      }
      case BOOLOP -> new Expr.BoolOp(pos(in), pooledStr(in), list(in, d));
      default -> throw new IOException("bad expression tag " + tag);
    };
  }

  static List<Expr> list(ByteReader in, int depth) throws IOException {
    int n = MigrationCodec.count(in);
    List<Expr> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(read(in, depth));
    }
    return Collections.unmodifiableList(out);
  }
}
