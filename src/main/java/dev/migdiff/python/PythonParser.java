package dev.migdiff.python;

import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser of Python 3 statements and expressions into {@link Stmt} and
 * {@link Expr}. Statements migdiff evaluates are modelled; the rest are parsed (so the file is
 * checked) or skipped by indentation (function bodies). A syntax error becomes a
 * {@link SyntaxProblem}, the statement is skipped and parsing resumes; nesting deeper than
 * {@link #MAX_DEPTH} is an error rather than a stack overflow.
 */
public final class PythonParser {
  static final int MAX_DEPTH = 100;
  /**
   * Chained operators ({@code a + b + ...}) and trailers ({@code a.b(c)[d]...}) nest the tree
   * too, one level per link, so long chains are refused like deep brackets.
   */
  static final int MAX_CHAIN = 200;
  /** The deepest expression tree built, counting brackets and chain links on one path. */
  static final int MAX_TREE = 300;

  private final List<Token> toks;
  private final List<SyntaxProblem> problems;
  private int p;
  private int depth;
  private int tree;

  private PythonParser(List<Token> toks, List<SyntaxProblem> problems) {
    this.toks = toks;
    this.problems = problems;
  }

  /** Decodes and parses a source file. */
  /** The kind of the {@link Expr.Other} that stands for a value skipped by {@link #skim}. */
  public static final String DEFERRED = "deferred";

  public static Module parse(byte[] source) {
    return parse(source, java.util.Set.of());
  }

  /**
   * Parses, but leaves the bracketed value of each statement {@code NAME = [...]} with NAME in
   * {@code names} unparsed: it becomes {@code Expr.Other(pos, DEFERRED)}. Its tokens are still
   * scanned (strings, comments, brackets), so a file whose skipped value is lexically broken is
   * parsed in full and reported as usual; a grammar error inside a skipped value is not seen.
   */
  public static Module skim(byte[] source, java.util.Set<String> names) {
    return parse(source, names);
  }

  private static Module parse(byte[] source, java.util.Set<String> skim) {
    SourceDecoder.Decoded d = SourceDecoder.decode(source);
    Module m = parse(d.text(), skim);
    if (d.problems().isEmpty()) {
      return m;
    }
    // A bad byte is also an invalid character and a broken expression on its line: say it once.
    List<SyntaxProblem> all = new ArrayList<>(d.problems());
    java.util.Set<Integer> lines = new java.util.HashSet<>();
    d.problems().forEach(x -> lines.add(x.pos().line()));
    for (SyntaxProblem x : m.problems()) {
      if (!lines.contains(x.pos().line())) {
        all.add(x);
      }
    }
    all.sort((a, b) -> a.pos().compareTo(b.pos()));
    return new Module(m.body(), all);
  }

  public static Module parse(String source) {
    return parse(source, java.util.Set.of());
  }

  private static Module parse(String source, java.util.Set<String> skim) {
    List<SyntaxProblem> problems = new ArrayList<>();
    List<Token> toks = Tokenizer.tokenize(source, problems, skim);
    PythonParser parser = new PythonParser(toks, problems);
    List<Stmt> body = parser.statements(false);
    problems.sort((a, b) -> a.pos().compareTo(b.pos()));
    return new Module(body, problems);
  }

  /** Thrown inside the parser to abandon one statement. */
  private static final class Fail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fail() {
      super(null, null, false, false);
    }
  }

  // ---- tokens ----

  private Token peek() {
    return toks.get(p);
  }

  private Token peek(int k) {
    return toks.get(Math.min(p + k, toks.size() - 1));
  }

  private Token next() {
    Token t = toks.get(p);
    if (t.type() != Token.Type.END) {
      p++;
    }
    return t;
  }

  private boolean acceptOp(String op) {
    if (peek().isOp(op)) {
      p++;
      return true;
    }
    return false;
  }

  private boolean acceptName(String kw) {
    if (peek().isName(kw)) {
      p++;
      return true;
    }
    return false;
  }

  private Token expectOp(String op) {
    if (!peek().isOp(op)) {
      throw error("expected '" + op + "'");
    }
    return next();
  }

  private String expectName() {
    if (peek().type() != Token.Type.NAME) {
      throw error("expected a name");
    }
    return next().text();
  }

  private Fail error(String message) {
    Token t = peek();
    String found = switch (t.type()) {
      case NEWLINE -> "end of line";
      case END -> "end of file";
      case INDENT -> "an indent";
      case DEDENT -> "a dedent";
      default -> "'" + t.text() + "'";
    };
    problems.add(new SyntaxProblem(t.pos(), message + " but found " + found));
    return new Fail();
  }

  private void enter() {
    tree++;
    if (++depth > MAX_DEPTH) {
      depth = 0;
      problems.add(new SyntaxProblem(peek().pos(), "too deeply nested (more than " + MAX_DEPTH
          + " levels)"));
      throw new Fail();
    }
  }

  private void leave() {
    depth--;
    tree--;
  }

  // ---- statements ----

  private List<Stmt> statements(boolean block) {
    List<Stmt> out = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.type() == Token.Type.END || (block && t.type() == Token.Type.DEDENT)) {
        break;
      }
      if (t.type() == Token.Type.NEWLINE || t.type() == Token.Type.DEDENT) {
        p++;
        continue;
      }
      if (t.type() == Token.Type.INDENT) {
        problems.add(new SyntaxProblem(t.pos(), "unexpected indent"));
        p++;
        out.addAll(statements(true));
        acceptDedent();
        continue;
      }
      int start = p;
      int savedDepth = depth;
      int savedTree = tree;
      try {
        statement(out);
      } catch (Fail f) {
        depth = savedDepth;
        tree = savedTree;
        recover(start);
      }
    }
    return out;
  }

  private void acceptDedent() {
    if (peek().type() == Token.Type.DEDENT) {
      p++;
    }
  }

  /** Skips the rest of a broken statement, and the block it opens, if any. */
  private void recover(int start) {
    if (p == start) {
      p++;
    }
    while (peek().type() != Token.Type.NEWLINE && peek().type() != Token.Type.END) {
      p++;
    }
    if (peek().type() == Token.Type.NEWLINE) {
      p++;
    }
    if (peek().type() == Token.Type.INDENT) {
      skipBlock();
    }
  }

  /** Skips an indented block (INDENT ... matching DEDENT). */
  private void skipBlock() {
    int level = 0;
    do {
      Token t = next();
      if (t.type() == Token.Type.INDENT) {
        level++;
      } else if (t.type() == Token.Type.DEDENT) {
        level--;
      } else if (t.type() == Token.Type.END) {
        return;
      }
    } while (level > 0);
  }

  private void statement(List<Stmt> out) {
    Token t = peek();
    if (t.type() == Token.Type.NAME) {
      switch (t.text()) {
        case "class" -> {
          out.add(classDef());
          return;
        }
        case "def" -> {
          out.add(funcDef());
          return;
        }
        case "async" -> {
          if (peek(1).isName("def")) {
            p++;
            out.add(funcDef());
            return;
          }
          if (peek(1).isName("for") || peek(1).isName("with")) {
            p++;
            out.add(compound(peek().text()));
            return;
          }
        }
        case "if", "while", "for", "try", "with" -> {
          out.add(compound(t.text()));
          return;
        }
        case "match", "case" -> {
          if (isSoftCompound()) {
            out.add(compound(t.text()));
            return;
          }
        }
        default -> { }
      }
    } else if (t.isOp("@")) {
      while (acceptOp("@")) {
        test();
        expectNewline();
      }
      if (peek().isName("class")) {
        out.add(classDef());
      } else if (peek().isName("def")) {
        out.add(funcDef());
      } else if (peek().isName("async") && peek(1).isName("def")) {
        p++;
        out.add(funcDef());
      } else {
        throw error("expected 'def' or 'class' after a decorator");
      }
      return;
    }
    simpleStatements(out);
  }

  /** Whether a 'match'/'case' line is a compound statement: its logical line ends with ':'. */
  private boolean isSoftCompound() {
    int k = p + 1;
    if (toks.get(k).isOp("=") || toks.get(k).isOp(".") || toks.get(k).type() == Token.Type.NEWLINE) {
      return false;
    }
    while (toks.get(k).type() != Token.Type.NEWLINE && toks.get(k).type() != Token.Type.END) {
      k++;
    }
    return toks.get(k - 1).isOp(":") && toks.get(k + 1).type() == Token.Type.INDENT;
  }

  private void expectNewline() {
    if (peek().type() == Token.Type.NEWLINE) {
      p++;
    } else if (peek().type() != Token.Type.END) {
      throw error("expected end of line");
    }
  }

  private Stmt classDef() {
    Position pos = next().pos();
    String name = expectName();
    List<Expr> bases = new ArrayList<>();
    List<Expr.Keyword> keywords = new ArrayList<>();
    if (peek().isOp("[")) {
      skipBracketed();
    }
    if (acceptOp("(")) {
      arguments(bases, keywords);
    }
    expectOp(":");
    return new Stmt.ClassDef(pos, name, bases, keywords, block());
  }

  private Stmt funcDef() {
    Position pos = next().pos();
    String name = expectName();
    int level = 0;
    while (true) {
      Token t = peek();
      if (t.type() == Token.Type.END || (t.type() == Token.Type.NEWLINE && level == 0)) {
        throw error("expected ':'");
      }
      p++;
      if (t.isOp("(") || t.isOp("[") || t.isOp("{")) {
        level++;
      } else if (t.isOp(")") || t.isOp("]") || t.isOp("}")) {
        level--;
      } else if (t.isOp(":") && level == 0) {
        break;
      }
    }
    skipSuite();
    return new Stmt.FunctionDef(pos, name);
  }

  private void skipBracketed() {
    int level = 0;
    do {
      Token t = next();
      if (t.isOp("(") || t.isOp("[") || t.isOp("{")) {
        level++;
      } else if (t.isOp(")") || t.isOp("]") || t.isOp("}")) {
        level--;
      } else if (t.type() == Token.Type.END) {
        return;
      }
    } while (level > 0);
  }

  /** A suite that is not kept: a block or the rest of the line. */
  private void skipSuite() {
    if (peek().type() == Token.Type.NEWLINE) {
      p++;
      if (peek().type() != Token.Type.INDENT) {
        throw error("expected an indented block");
      }
      skipBlock();
    } else {
      while (peek().type() != Token.Type.NEWLINE && peek().type() != Token.Type.END) {
        p++;
      }
      expectNewline();
    }
  }

  /** A suite after ':' : an indented block, or simple statements on the same line. */
  private List<Stmt> block() {
    if (peek().type() == Token.Type.NEWLINE) {
      p++;
      if (peek().type() != Token.Type.INDENT) {
        throw error("expected an indented block");
      }
      p++;
      enter();
      List<Stmt> body = statements(true);
      leave();
      acceptDedent();
      return body;
    }
    List<Stmt> out = new ArrayList<>();
    simpleStatements(out);
    return out;
  }

  /**
   * if/while/for/try/with/match: headers skipped to ':', all blocks' statements flattened; an
   * if's tests are parsed too, and kept with its blocks when all of them parse.
   */
  private Stmt compound(String keyword) {
    Position pos = peek().pos();
    List<Stmt> body = new ArrayList<>();
    List<Stmt.Branch> branches = keyword.equals("if") ? new ArrayList<>() : null;
    branches = clause(body, branches);
    while (true) {
      Token t = peek();
      if (t.isName("elif") || t.isName("else") || t.isName("except") || t.isName("finally")) {
        branches = clause(body, branches);
      } else {
        break;
      }
    }
    return new Stmt.Compound(pos, keyword, body,
        branches == null ? List.of() : List.copyOf(branches));
  }

  /**
   * One clause: its statements go to {@code body}; with {@code branches} (an if's so far), its
   * test and block are added there, or null is returned when the test does not parse.
   */
  private List<Stmt.Branch> clause(List<Stmt> body, List<Stmt.Branch> branches) {
    boolean isElse = peek().isName("else");
    p++;
    if (branches != null) {
      int start = p;
      Expr test = null;
      if (!isElse) {
        // a header the expression grammar does not take is skipped as before, unreported
        int savedDepth = depth;
        int savedTree = tree;
        int reported = problems.size();
        try {
          test = namedTest();
        } catch (Fail e) {
          depth = savedDepth;
          tree = savedTree;
        }
        if (problems.size() > reported) {
          problems.subList(reported, problems.size()).clear();
          test = null;
        }
      }
      if ((isElse || test != null) && peek().isOp(":")) {
        p++;
        List<Stmt> block = block();
        body.addAll(block);
        branches.add(new Stmt.Branch(test, List.copyOf(block)));
        return branches;
      }
      p = start;
    }
    skipHeader();
    body.addAll(block());
    return null;
  }

  /** A clause's header after its keyword, to and with its ':'. */
  private void skipHeader() {
    int level = 0;
    while (true) {
      Token t = peek();
      if (t.type() == Token.Type.END || (t.type() == Token.Type.NEWLINE && level == 0)) {
        throw error("expected ':'");
      }
      if (t.isName("lambda") && level == 0) {
        p++;
        skipTo(":");
        continue;
      }
      p++;
      if (t.isOp("(") || t.isOp("[") || t.isOp("{")) {
        level++;
      } else if (t.isOp(")") || t.isOp("]") || t.isOp("}")) {
        level--;
      } else if (t.isOp(":") && level == 0) {
        break;
      }
    }
  }

  private void skipTo(String op) {
    while (!peek().isOp(op) && peek().type() != Token.Type.NEWLINE
        && peek().type() != Token.Type.END) {
      p++;
    }
    if (peek().isOp(op)) {
      p++;
    }
  }

  private void simpleStatements(List<Stmt> out) {
    while (true) {
      out.add(small());
      if (acceptOp(";")) {
        if (peek().type() == Token.Type.NEWLINE || peek().type() == Token.Type.END) {
          break;
        }
        continue;
      }
      break;
    }
    expectNewline();
  }

  private Stmt small() {
    Token t = peek();
    if (t.type() == Token.Type.NAME) {
      switch (t.text()) {
        case "pass", "break", "continue" -> {
          p++;
          return new Stmt.Other(t.pos(), t.text());
        }
        case "return", "raise", "del", "global", "nonlocal", "assert" -> {
          p++;
          if (!atStatementEnd()) {
            starExpressions();
            while (acceptName("from") || acceptOp(",")) {
              test();
            }
          }
          return new Stmt.Other(t.pos(), t.text());
        }
        case "import" -> {
          return importStmt();
        }
        case "from" -> {
          return fromImport();
        }
        case "type" -> {
          if (peek(1).type() == Token.Type.NAME && (peek(2).isOp("=") || peek(2).isOp("["))) {
            p++;
            while (!atStatementEnd()) {
              p++;
            }
            return new Stmt.Other(t.pos(), "type");
          }
        }
        default -> { }
      }
    }
    Position pos = t.pos();
    Expr first = starExpressions();
    if (peek().isOp("=")) {
      List<Expr> targets = new ArrayList<>();
      targets.add(first);
      Expr value = null;
      while (acceptOp("=")) {
        value = peek().isName("yield") ? yieldExpr() : starExpressions();
        targets.add(value);
      }
      targets.remove(targets.size() - 1);
      return new Stmt.Assign(pos, targets, value);
    }
    if (peek().isOp(":")) {
      p++;
      test();
      if (acceptOp("=")) {
        Expr value = peek().isName("yield") ? yieldExpr() : starExpressions();
        return new Stmt.Assign(pos, List.of(first), value);
      }
      return new Stmt.Other(pos, "annotation");
    }
    Token op = peek();
    if (op.type() == Token.Type.OP && op.text().length() >= 2 && op.text().endsWith("=")
        && !op.text().equals("==") && !op.text().equals("<=") && !op.text().equals(">=")
        && !op.text().equals("!=")) {
      p++;
      Expr value = peek().isName("yield") ? yieldExpr() : starExpressions();
      return new Stmt.AugAssign(pos, first, op.text(), value);
    }
    return new Stmt.ExprStmt(pos, first);
  }

  private boolean atStatementEnd() {
    Token t = peek();
    return t.type() == Token.Type.NEWLINE || t.type() == Token.Type.END || t.isOp(";");
  }

  private Stmt importStmt() {
    Position pos = next().pos();
    List<Stmt.Alias> names = new ArrayList<>();
    do {
      String name = dottedName();
      String as = acceptName("as") ? expectName() : null;
      names.add(new Stmt.Alias(name, as));
    } while (acceptOp(","));
    return new Stmt.Import(pos, names);
  }

  private String dottedName() {
    StringBuilder b = new StringBuilder(expectName());
    while (acceptOp(".")) {
      b.append('.').append(expectName());
    }
    return b.toString();
  }

  private Stmt fromImport() {
    Position pos = next().pos();
    int level = 0;
    while (peek().isOp(".") || peek().isOp("...")) {
      level += next().text().length();
    }
    String module = peek().isName("import") ? "" : dottedName();
    if (!acceptName("import")) {
      throw error("expected 'import'");
    }
    List<Stmt.Alias> names = new ArrayList<>();
    if (acceptOp("*")) {
      names.add(new Stmt.Alias("*", null));
    } else {
      boolean paren = acceptOp("(");
      do {
        if (paren && peek().isOp(")")) {
          break;
        }
        String name = expectName();
        String as = acceptName("as") ? expectName() : null;
        names.add(new Stmt.Alias(name, as));
      } while (acceptOp(","));
      if (paren) {
        expectOp(")");
      }
    }
    return new Stmt.ImportFrom(pos, level, module, names);
  }

  // ---- expressions ----

  /** star_expressions: a bare tuple when there are commas. */
  private Expr starExpressions() {
    Position pos = peek().pos();
    Expr first = starOrTest();
    if (!peek().isOp(",")) {
      return first;
    }
    List<Expr> items = new ArrayList<>();
    items.add(first);
    while (acceptOp(",")) {
      if (!startsExpression()) {
        break;
      }
      items.add(starOrTest());
    }
    return new Expr.Tuple(pos, items);
  }

  private boolean startsExpression() {
    Token t = peek();
    return switch (t.type()) {
      case NAME -> !t.text().equals("in") && !t.text().equals("for") && !t.text().equals("if")
          && !t.text().equals("else") && !t.text().equals("import") && !t.text().equals("as");
      case NUMBER, STRING, DEFERRED -> true;
      case OP -> switch (t.text()) {
        case "(", "[", "{", "-", "+", "~", "*", "...", "**" -> true;
        default -> false;
      };
      default -> false;
    };
  }

  private Expr starOrTest() {
    if (peek().isOp("*")) {
      Position pos = next().pos();
      return new Expr.Starred(pos, bitOr());
    }
    return namedTest();
  }

  private Expr namedTest() {
    if (peek().type() == Token.Type.NAME && peek(1).isOp(":=")) {
      Position pos = next().pos();
      p++;
      test();
      return new Expr.Other(pos, "assignment expression");
    }
    return test();
  }

  private Expr yieldExpr() {
    Position pos = next().pos();
    if (acceptName("from")) {
      test();
    } else if (!atStatementEnd() && !peek().isOp(")") && !peek().isOp("=")) {
      starExpressions();
    }
    return new Expr.Other(pos, "yield expression");
  }

  private Expr test() {
    enter();
    try {
      if (peek().isName("lambda")) {
        Position pos = next().pos();
        int level = 0;
        while (!(peek().isOp(":") && level == 0)) {
          Token t = next();
          if (t.type() == Token.Type.END || t.type() == Token.Type.NEWLINE) {
            throw error("expected ':' in lambda");
          }
          if (t.isOp("(") || t.isOp("[") || t.isOp("{")) {
            level++;
          } else if (t.isOp(")") || t.isOp("]") || t.isOp("}")) {
            level--;
          }
        }
        p++;
        test();
        return new Expr.Other(pos, "lambda");
      }
      Expr e = orTest();
      if (peek().isName("if")) {
        p++;
        orTest();
        if (!acceptName("else")) {
          throw error("expected 'else' in conditional expression");
        }
        test();
        return new Expr.Other(e.pos(), "conditional expression");
      }
      return e;
    } finally {
      leave();
    }
  }

  private Expr orTest() {
    return booleanOperation("or", this::andTest);
  }

  private Expr andTest() {
    return booleanOperation("and", this::notTest);
  }

  /** {@code operand (keyword operand)*}. */
  private Expr booleanOperation(String keyword, java.util.function.Supplier<Expr> operand) {
    Expr e = operand.get();
    List<Expr> values = null;
    while (acceptName(keyword)) {
      if (values == null) {
        values = new ArrayList<>();
        values.add(e);
      }
      values.add(operand.get());
    }
    return values == null ? e : new Expr.BoolOp(e.pos(), keyword, List.copyOf(values));
  }

  private Expr notTest() {
    if (peek().isName("not")) {
      Position pos = next().pos();
      enter();
      try {
        return new Expr.UnaryOp(pos, "not", notTest());
      } finally {
        leave();
      }
    }
    return comparison();
  }

  private Expr comparison() {
    Expr e = bitOr();
    List<String> ops = null;
    List<Expr> comparators = null;
    while (true) {
      Token t = peek();
      String op;
      if (t.type() == Token.Type.OP && (t.text().equals("<") || t.text().equals(">")
          || t.text().equals("==") || t.text().equals(">=") || t.text().equals("<=")
          || t.text().equals("!="))) {
        p++;
        op = t.text();
      } else if (t.isName("in")) {
        p++;
        op = "in";
      } else if (t.isName("not") && peek(1).isName("in")) {
        p += 2;
        op = "not in";
      } else if (t.isName("is")) {
        p++;
        op = acceptName("not") ? "is not" : "is";
      } else {
        break;
      }
      if (ops == null) {
        ops = new ArrayList<>();
        comparators = new ArrayList<>();
      }
      ops.add(op);
      comparators.add(bitOr());
    }
    return ops == null ? e
        : new Expr.Compare(e.pos(), e, List.copyOf(ops), List.copyOf(comparators));
  }

  private Expr bitOr() {
    return binary(0);
  }

  private static final String[][] LEVELS = {{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"},
      {"*", "/", "//", "%", "@"}};

  private Expr binary(int level) {
    if (level == LEVELS.length) {
      return factor();
    }
    Expr e = binary(level + 1);
    int links = 0;
    while (true) {
      Token t = peek();
      String op = null;
      if (t.type() == Token.Type.OP) {
        for (String o : LEVELS[level]) {
          if (t.text().equals(o)) {
            op = o;
          }
        }
      }
      if (op == null) {
        tree -= links;
        return e;
      }
      p++;
      chain(++links);
      e = new Expr.BinOp(e.pos(), e, op, binary(level + 1));
    }
  }

  private Expr factor() {
    Token t = peek();
    if (t.isOp("-") || t.isOp("+") || t.isOp("~")) {
      p++;
      enter();
      try {
        return new Expr.UnaryOp(t.pos(), t.text(), factor());
      } finally {
        leave();
      }
    }
    Expr e = power();
    return e;
  }

  private Expr power() {
    Expr e;
    if (peek().isName("await")) {
      Position pos = next().pos();
      primary();
      e = new Expr.Other(pos, "await expression");
    } else {
      e = primary();
    }
    if (acceptOp("**")) {
      enter();
      try {
        return new Expr.BinOp(e.pos(), e, "**", factor());
      } finally {
        leave();
      }
    }
    return e;
  }

  private void chain(int links) {
    tree++;
    if (links > MAX_CHAIN || tree > MAX_TREE) {
      problems.add(new SyntaxProblem(peek().pos(), "expression too long (more than " + MAX_CHAIN
          + " chained operations)"));
      throw new Fail();
    }
  }

  private Expr primary() {
    Expr e = atom();
    int links = 0;
    while (true) {
      chain(++links);
      if (acceptOp(".")) {
        e = new Expr.Attribute(e.pos(), e, expectName());
      } else if (peek().isOp("(")) {
        p++;
        List<Expr> args = new ArrayList<>();
        List<Expr.Keyword> kws = new ArrayList<>();
        arguments(args, kws);
        e = new Expr.Call(e.pos(), e, args, kws);
      } else if (peek().isOp("[")) {
        p++;
        Expr index = subscript();
        expectOp("]");
        e = new Expr.Subscript(e.pos(), e, index);
      } else {
        tree -= links;
        return e;
      }
    }
  }

  /** Call arguments after '(' up to and including ')'. */
  private void arguments(List<Expr> args, List<Expr.Keyword> kws) {
    enter();
    try {
      while (!peek().isOp(")")) {
        Token t = peek();
        if (t.isOp("*")) {
          p++;
          args.add(new Expr.Starred(t.pos(), test()));
        } else if (t.isOp("**")) {
          p++;
          kws.add(new Expr.Keyword(t.pos(), null, test()));
        } else if (t.type() == Token.Type.NAME && peek(1).isOp("=")) {
          p += 2;
          kws.add(new Expr.Keyword(t.pos(), t.text(), test()));
        } else {
          Expr a = namedTest();
          if (atComprehension()) {
            compFor();
            a = new Expr.Other(a.pos(), "comprehension");
          }
          args.add(a);
        }
        if (!acceptOp(",")) {
          break;
        }
      }
      expectOp(")");
    } finally {
      leave();
    }
  }

  private Expr subscript() {
    Position pos = peek().pos();
    List<Expr> items = new ArrayList<>();
    boolean tuple = false;
    boolean slice = false;
    while (true) {
      if (peek().isOp(":") || startsExpression()) {
        Expr lower = peek().isOp(":") ? null : starOrTest();
        if (peek().isOp(":")) {
          slice = true;
          p++;
          if (!peek().isOp(":") && !peek().isOp("]") && !peek().isOp(",")) {
            test();
          }
          if (acceptOp(":") && !peek().isOp("]") && !peek().isOp(",")) {
            test();
          }
        } else {
          items.add(lower);
        }
      } else {
        throw error("expected an index");
      }
      if (!acceptOp(",")) {
        break;
      }
      tuple = true;
      if (peek().isOp("]")) {
        break;
      }
    }
    if (slice) {
      return new Expr.Other(pos, "slice");
    }
    return tuple ? new Expr.Tuple(pos, items) : items.get(0);
  }

  /** Whether a comprehension clause ({@code for} or {@code async for}) starts here. */
  private boolean atComprehension() {
    return peek().isName("for") || (peek().isName("async") && peek(1).isName("for"));
  }

  private void compFor() {
    while (true) {
      if (acceptName("async")) {
        continue;
      }
      if (acceptName("for")) {
        targetList();
        if (!acceptName("in")) {
          throw error("expected 'in'");
        }
        orTest();
      } else if (acceptName("if")) {
        orTest();
      } else {
        return;
      }
    }
  }

  private void targetList() {
    do {
      acceptOp("*");
      bitOr();
    } while (acceptOp(",") && !peek().isName("in"));
  }

  private Expr atom() {
    Token t = peek();
    switch (t.type()) {
      case NAME -> {
        p++;
        return switch (t.text()) {
          case "True" -> new Expr.Const(t.pos(), Expr.Const.Kind.TRUE);
          case "False" -> new Expr.Const(t.pos(), Expr.Const.Kind.FALSE);
          case "None" -> new Expr.Const(t.pos(), Expr.Const.Kind.NONE);
          default -> {
            if (isKeyword(t.text())) {
              p--;
              throw error("expected an expression");
            }
            yield new Expr.Name(t.pos(), t.text());
          }
        };
      }
      case NUMBER -> {
        p++;
        return new Expr.Num(t.pos(), t.text());
      }
      case STRING -> {
        return strings();
      }
      case DEFERRED -> {
        p++;
        return new Expr.Other(t.pos(), DEFERRED);
      }
      case OP -> {
        switch (t.text()) {
          case "(" -> {
            return parenthesised();
          }
          case "[" -> {
            return listDisplay();
          }
          case "{" -> {
            return dictOrSet();
          }
          case "..." -> {
            p++;
            return new Expr.Const(t.pos(), Expr.Const.Kind.ELLIPSIS);
          }
          default -> throw error("expected an expression");
        }
      }
      default -> throw error("expected an expression");
    }
  }

  private static boolean isKeyword(String s) {
    return switch (s) {
      case "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
          "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
          "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
          "with", "yield" -> true;
      default -> false;
    };
  }

  private Expr strings() {
    Token first = peek();
    StringBuilder b = new StringBuilder();
    boolean bytes = first.bytes();
    boolean dynamic = false;
    while (peek().type() == Token.Type.STRING) {
      Token t = next();
      if (t.bytes() != bytes) {
        problems.add(new SyntaxProblem(t.pos(), "cannot mix bytes and nonbytes literals"));
        throw new Fail();
      }
      if (t.value() == null) {
        dynamic = true;
      } else {
        b.append(t.value());
      }
    }
    if (dynamic) {
      return new Expr.Other(first.pos(), "f-string");
    }
    return bytes ? new Expr.Bytes(first.pos(), b.toString()) : new Expr.Str(first.pos(), b.toString());
  }

  private Expr parenthesised() {
    Position pos = next().pos();
    enter();
    try {
      if (acceptOp(")")) {
        return new Expr.Tuple(pos, List.of());
      }
      if (peek().isName("yield")) {
        Expr y = yieldExpr();
        expectOp(")");
        return y;
      }
      Expr first = starOrTest();
      if (atComprehension()) {
        compFor();
        expectOp(")");
        return new Expr.Other(pos, "generator expression");
      }
      if (acceptOp(")")) {
        return first;
      }
      return new Expr.Tuple(pos, rest(first, ")"));
    } finally {
      leave();
    }
  }

  /** A display's items after its first one: {@code , item} up to {@code close}, consumed. */
  private List<Expr> rest(Expr first, String close) {
    List<Expr> items = new ArrayList<>();
    items.add(first);
    while (acceptOp(",")) {
      if (peek().isOp(close)) {
        break;
      }
      items.add(starOrTest());
    }
    expectOp(close);
    return items;
  }

  private Expr listDisplay() {
    Position pos = next().pos();
    enter();
    try {
      if (acceptOp("]")) {
        return new Expr.ListExpr(pos, List.of());
      }
      Expr first = starOrTest();
      if (atComprehension()) {
        compFor();
        expectOp("]");
        return new Expr.Other(pos, "comprehension");
      }
      return new Expr.ListExpr(pos, rest(first, "]"));
    } finally {
      leave();
    }
  }

  private Expr dictOrSet() {
    Position pos = next().pos();
    enter();
    try {
      if (acceptOp("}")) {
        return new Expr.Dict(pos, List.of());
      }
      List<Expr.DictEntry> entries = new ArrayList<>();
      List<Expr> items = new ArrayList<>();
      boolean dict;
      if (acceptOp("**")) {
        entries.add(new Expr.DictEntry(null, bitOr()));
        dict = true;
      } else {
        Expr first = starOrTest();
        if (acceptOp(":")) {
          entries.add(new Expr.DictEntry(first, test()));
          dict = true;
        } else {
          items.add(first);
          dict = false;
        }
      }
      if (atComprehension()) {
        compFor();
        expectOp("}");
        return new Expr.Other(pos, "comprehension");
      }
      while (acceptOp(",")) {
        if (peek().isOp("}")) {
          break;
        }
        if (dict) {
          if (acceptOp("**")) {
            entries.add(new Expr.DictEntry(null, bitOr()));
          } else {
            Expr k = test();
            expectOp(":");
            entries.add(new Expr.DictEntry(k, test()));
          }
        } else {
          items.add(starOrTest());
        }
      }
      expectOp("}");
      return dict ? new Expr.Dict(pos, entries) : new Expr.SetExpr(pos, items);
    } finally {
      leave();
    }
  }
}
