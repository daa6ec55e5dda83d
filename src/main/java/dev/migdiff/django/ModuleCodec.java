package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Module;
import dev.migdiff.python.Stmt;
import dev.migdiff.python.SyntaxProblem;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Python module (settings, an apps module, a package's {@code __init__}) as bytes, for
 * the store: every statement, expression, position and syntax problem, so that a module read
 * back is equal to the one parsed. A warm run reads the settings it would otherwise parse again.
 */
final class ModuleCodec {
  private ModuleCodec() {}

  /** Part of every stored module's key. */
  static final int VERSION = 2;

  private static final int ASSIGN = 0;
  private static final int AUG_ASSIGN = 1;
  private static final int CLASS_DEF = 2;
  private static final int FUNCTION_DEF = 3;
  private static final int IMPORT = 4;
  private static final int IMPORT_FROM = 5;
  private static final int EXPR_STMT = 6;
  private static final int COMPOUND = 7;
  private static final int OTHER = 8;
  /** Nested blocks deeper than this are not stored (the parser's own bound is lower). */
  private static final int MAX_DEPTH = 200;

  /** The first bytes of every stored module: a value that lacks them is not one. */
  private static final int MAGIC = 0x4d4f4431; // "MOD1"

  static byte[] encode(Module m) {
    return MigrationCodec.write(out -> {
      out.writeInt(MAGIC);
      stmts(out, m.body(), 0);
      MigrationCodec.var(out, m.problems().size());
      for (SyntaxProblem p : m.problems()) {
        MigrationCodec.pos(out, p.pos());
        MigrationCodec.str(out, p.message());
      }
    });
  }

  static Module decode(byte[] bytes) throws IOException {
    ByteReader in = new ByteReader(bytes);
    if (bytes.length < 4 || in.readInt() != MAGIC) {
      throw new IOException("not a stored module");
    }
    List<Stmt> body = stmts(in, 0);
    int n = MigrationCodec.count(in);
    List<SyntaxProblem> problems = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      problems.add(new SyntaxProblem(MigrationCodec.pos(in), MigrationCodec.str(in)));
    }
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return new Module(List.copyOf(body), List.copyOf(problems));
  }

  private static void stmts(DataOutputStream out, List<Stmt> body, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("too deep");
    }
    MigrationCodec.var(out, body.size());
    for (Stmt s : body) {
      stmt(out, s, depth);
    }
  }

  private static void stmt(DataOutputStream out, Stmt s, int depth) throws IOException {
    if (s instanceof Stmt.Assign a) {
      out.writeByte(ASSIGN);
      MigrationCodec.pos(out, a.pos());
      MigrationCodec.exprs(out, a.targets());
      ExprTag.write(out, a.value());
    } else if (s instanceof Stmt.AugAssign a) {
      out.writeByte(AUG_ASSIGN);
      MigrationCodec.pos(out, a.pos());
      ExprTag.write(out, a.target());
      MigrationCodec.str(out, a.op());
      ExprTag.write(out, a.value());
    } else if (s instanceof Stmt.ClassDef c) {
      out.writeByte(CLASS_DEF);
      MigrationCodec.pos(out, c.pos());
      MigrationCodec.str(out, c.name());
      MigrationCodec.exprs(out, c.bases());
      MigrationCodec.var(out, c.keywords().size());
      for (Expr.Keyword k : c.keywords()) {
        MigrationCodec.pos(out, k.pos());
        MigrationCodec.str(out, k.name());
        ExprTag.write(out, k.value());
      }
      stmts(out, c.body(), depth + 1);
    } else if (s instanceof Stmt.FunctionDef f) {
      out.writeByte(FUNCTION_DEF);
      MigrationCodec.pos(out, f.pos());
      MigrationCodec.str(out, f.name());
    } else if (s instanceof Stmt.Import i) {
      out.writeByte(IMPORT);
      MigrationCodec.pos(out, i.pos());
      aliases(out, i.names());
    } else if (s instanceof Stmt.ImportFrom i) {
      out.writeByte(IMPORT_FROM);
      MigrationCodec.pos(out, i.pos());
      MigrationCodec.var(out, i.level());
      MigrationCodec.str(out, i.module());
      aliases(out, i.names());
    } else if (s instanceof Stmt.ExprStmt e) {
      out.writeByte(EXPR_STMT);
      MigrationCodec.pos(out, e.pos());
      ExprTag.write(out, e.value());
    } else if (s instanceof Stmt.Compound c) {
      out.writeByte(COMPOUND);
      MigrationCodec.pos(out, c.pos());
      MigrationCodec.str(out, c.keyword());
      stmts(out, c.body(), depth + 1);
      // an if's branches: each test and how many of the body's statements are its block
      MigrationCodec.var(out, c.branches().size());
      for (Stmt.Branch b : c.branches()) {
        ExprTag.write(out, b.test());
        MigrationCodec.var(out, b.body().size());
      }
    } else if (s instanceof Stmt.Other o) {
      out.writeByte(OTHER);
      MigrationCodec.pos(out, o.pos());
      MigrationCodec.str(out, o.keyword());
    } else {
      throw new IOException("unknown statement " + s.getClass().getSimpleName());
    }
  }

  private static List<Stmt> stmts(ByteReader in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("too deep");
    }
    int n = MigrationCodec.count(in);
    List<Stmt> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(stmt(in, depth));
    }
    return List.copyOf(out);
  }

  private static Stmt stmt(ByteReader in, int depth) throws IOException {
    int tag = in.readUnsignedByte();
    return switch (tag) {
      case ASSIGN -> new Stmt.Assign(MigrationCodec.pos(in), MigrationCodec.exprs(in),
          ExprTag.read(in));
      case AUG_ASSIGN -> new Stmt.AugAssign(MigrationCodec.pos(in), ExprTag.read(in),
          MigrationCodec.str(in), ExprTag.read(in));
      case CLASS_DEF -> {
        var pos = MigrationCodec.pos(in);
        String name = MigrationCodec.str(in);
        List<Expr> bases = MigrationCodec.exprs(in);
        int n = MigrationCodec.count(in);
        List<Expr.Keyword> keywords = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          keywords.add(new Expr.Keyword(MigrationCodec.pos(in), MigrationCodec.str(in),
              ExprTag.read(in)));
        }
        yield new Stmt.ClassDef(pos, name, bases, List.copyOf(keywords), stmts(in, depth + 1));
      }
      case FUNCTION_DEF -> new Stmt.FunctionDef(MigrationCodec.pos(in), MigrationCodec.str(in));
      case IMPORT -> new Stmt.Import(MigrationCodec.pos(in), aliases(in));
      case IMPORT_FROM -> new Stmt.ImportFrom(MigrationCodec.pos(in), MigrationCodec.var(in),
          MigrationCodec.str(in), aliases(in));
      case EXPR_STMT -> new Stmt.ExprStmt(MigrationCodec.pos(in), ExprTag.read(in));
      case COMPOUND -> compound(in, depth);
      case OTHER -> new Stmt.Other(MigrationCodec.pos(in), MigrationCodec.str(in));
      default -> throw new IOException("bad statement tag " + tag);
    };
  }

  private static Stmt compound(ByteReader in, int depth) throws IOException {
    var pos = MigrationCodec.pos(in);
    String keyword = MigrationCodec.str(in);
    List<Stmt> body = stmts(in, depth + 1);
    int n = MigrationCodec.count(in);
    List<Stmt.Branch> branches = new ArrayList<>(n);
    int from = 0;
    for (int i = 0; i < n; i++) {
      Expr test = ExprTag.read(in);
      int size = MigrationCodec.count(in);
      if (size > body.size() - from) {
        throw new IOException("bad branch");
      }
      branches.add(new Stmt.Branch(test, body.subList(from, from + size)));
      from += size;
    }
    if (n > 0 && from != body.size()) {
      throw new IOException("bad branches");
    }
    return new Stmt.Compound(pos, keyword, body, List.copyOf(branches));
  }

  private static void aliases(DataOutputStream out, List<Stmt.Alias> names) throws IOException {
    MigrationCodec.var(out, names.size());
    for (Stmt.Alias a : names) {
      MigrationCodec.str(out, a.name());
      MigrationCodec.str(out, a.asName());
    }
  }

  private static List<Stmt.Alias> aliases(ByteReader in) throws IOException {
    int n = MigrationCodec.count(in);
    List<Stmt.Alias> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Stmt.Alias(MigrationCodec.str(in), MigrationCodec.str(in)));
    }
    return List.copyOf(out);
  }
}
