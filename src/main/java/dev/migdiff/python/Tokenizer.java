package dev.migdiff.python;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Python 3's lexical grammar (CPython's tokenizer, minus what a parser of this subset ignores):
 * logical lines, INDENT/DEDENT, implicit and explicit line joining, comments, every string prefix
 * and quote form, f-strings with nested fields, numbers, Unicode names and all operators. Never
 * throws: what it cannot read becomes a {@link SyntaxProblem} and scanning goes on.
 */
final class Tokenizer {
  private static final String OPS1 = "+-*/%@&|^~<>()[]{},:;.=";
  /** The one-character operators as interned strings, indexed by character. */
  private static final String[] ONE = new String[128];

  static {
    for (char c : OPS1.toCharArray()) {
      ONE[c] = String.valueOf(c).intern();
    }
  }

  private final String s;
  private final List<SyntaxProblem> problems;
  private final List<Token> out;
  private final Deque<Integer> indents = new ArrayDeque<>();
  /** The same indentation counting a tab as one column: CPython's TabError check (altcol). */
  private final Deque<Integer> altIndents = new ArrayDeque<>();
  private final Deque<Token> brackets = new ArrayDeque<>();
  private int i;
  private int line = 1;
  private int lineStart;

  private final java.util.Set<String> skim;
  /**
   * The source as an array, and its length: every scan reads it (with only the client compiler
   * of a short run, an array read is far cheaper than {@code String.charAt}'s coder check).
   */
  private final char[] src;
  private final int len;
  /** Whether the source has a surrogate pair: else a column is its offset in the line. */
  private final boolean surrogates;

  private Tokenizer(String s, List<SyntaxProblem> problems, java.util.Set<String> skim) {
    this.s = s;
    this.src = s.toCharArray();
    this.len = src.length;
    this.surrogates = hasSurrogate(src);
    this.problems = problems;
    this.skim = skim;
    // (about one token per four characters in a migration: sized once, not grown by copies)
    this.out = new ArrayList<>(len / 4 + 16);
    indents.push(0);
    altIndents.push(0);
  }

  static List<Token> tokenize(String source, List<SyntaxProblem> problems) {
    return tokenize(source, problems, java.util.Set.of());
  }

  /**
   * Tokenizes; the bracketed value of a statement {@code NAME = [...]} or {@code NAME = (...)}
   * whose NAME is in {@code skim} becomes one DEFERRED token, scanned only for its strings,
   * comments and brackets. When that scan meets anything unusual (an f-string, a mismatched or
   * unclosed bracket, an unterminated string), the value is tokenized normally instead.
   */
  static List<Token> tokenize(String source, List<SyntaxProblem> problems,
      java.util.Set<String> skim) {
    Tokenizer t = new Tokenizer(source, problems, skim);
    t.run();
    return t.out;
  }

  /** Whether the tokens so far end with a logical line's {@code NAME =} for a skimmed name. */
  private boolean atSkimmedValue() {
    int n = out.size();
    if (skim.isEmpty() || n < 2 || !brackets.isEmpty() || !out.get(n - 1).isOp("=")) {
      return false;
    }
    Token name = out.get(n - 2);
    if (name.type() != Token.Type.NAME || !skim.contains(name.text())) {
      return false;
    }
    Token.Type before = n >= 3 ? out.get(n - 3).type() : Token.Type.NEWLINE;
    return before == Token.Type.NEWLINE || before == Token.Type.INDENT
        || before == Token.Type.DEDENT;
  }

  /**
   * Skips the bracketed value opened at {@code i - 1}: returns true and leaves {@code i} after
   * its closing bracket, or returns false and restores the position when the value needs the full
   * tokenizer.
   */
  private boolean skipValue() {
    int start = i;
    int savedLine = line;
    int savedLineStart = lineStart;
    int depth = 1;
    final char[] a = src;
    int n = a.length;
    char[] stack = new char[64];
    stack[0] = a[i - 1];
    while (i < n) {
      char c = a[i];
      switch (c) {
        case '(', '[', '{' -> {
          if (depth == stack.length) {
            stack = java.util.Arrays.copyOf(stack, depth * 2);
          }
          stack[depth++] = c;
          i++;
        }
        case ')', ']', '}' -> {
          char open = stack[--depth];
          if ((open == '(' ? ')' : open == '[' ? ']' : '}') != c) {
            return restore(start, savedLine, savedLineStart);
          }
          i++;
          if (depth == 0) {
            return true;
          }
        }
        case '#' -> {
          while (i < n && a[i] != '\n' && a[i] != '\r') {
            i++;
          }
        }
        case '\n' -> {
          i++;
          newline(i);
        }
        case '\r' -> {
          i += i + 1 < n && a[i + 1] == '\n' ? 2 : 1;
          newline(i);
        }
        case '\\' -> {
          // A line continuation; anything else after a backslash is the full tokenizer's business.
          int j = i + 1;
          if (j < n && a[j] == '\r') {
            j++;
          }
          if (j < n && a[j] == '\n') {
            i = j + 1;
            newline(i);
          } else {
            return restore(start, savedLine, savedLineStart);
          }
        }
        case '"', '\'' -> {
          if (!skipString(c)) {
            return restore(start, savedLine, savedLineStart);
          }
        }
        default -> {
          if (c >= 0x80 && !Character.isLetterOrDigit(c) && !Character.isWhitespace(c)) {
            return restore(start, savedLine, savedLineStart);
          }
          i++;
        }
      }
    }
    return restore(start, savedLine, savedLineStart);
  }

  /** Skips a string literal starting at {@code i}; false for f-/t-strings or when unterminated. */
  private boolean skipString(char q) {
    final char[] a = src;
    for (int k = i - 1; k >= 0 && Character.isLetter(a[k]); k--) {
      char p = Character.toLowerCase(a[k]);
      if (p == 'f' || p == 't') {
        return false;
      }
    }
    int n = a.length;
    boolean triple = i + 2 < n && a[i + 1] == q && a[i + 2] == q;
    i += triple ? 3 : 1;
    while (i < n) {
      char c = a[i];
      if (c == '\\') {
        if (i + 1 < n && (a[i + 1] == '\n' || a[i + 1] == '\r')) {
          i += a[i + 1] == '\r' && i + 2 < n && a[i + 2] == '\n' ? 3 : 2;
          newline(i);
        } else {
          i += 2;
        }
      } else if (c == q && (!triple || (i + 2 < n && a[i + 1] == q
          && a[i + 2] == q))) {
        i += triple ? 3 : 1;
        return true;
      } else if (c == '\n' || c == '\r') {
        if (!triple) {
          return false;
        }
        i += c == '\r' && i + 1 < n && a[i + 1] == '\n' ? 2 : 1;
        newline(i);
      } else {
        i++;
      }
    }
    return false;
  }

  private boolean restore(int at, int savedLine, int savedLineStart) {
    i = at;
    line = savedLine;
    lineStart = savedLineStart;
    return false;
  }

  private int memoLineStart = -1;
  private int memoAt;
  private int memoCol;

  /** The position of index {@code at} on the current line; memoised so long lines stay linear. */
  private Position pos(int at) {
    at = Math.min(at, len);
    if (!surrogates) {
      return new Position(line, Math.max(1, at - lineStart + 1));
    }
    int k = lineStart;
    int col = 1;
    if (memoLineStart == lineStart && memoAt <= at) {
      k = memoAt;
      col = memoCol;
    }
    for (; k < at; k++) {
      if (!Character.isLowSurrogate(src[k])) {
        col++;
      }
    }
    memoLineStart = lineStart;
    memoAt = at;
    memoCol = col;
    return new Position(line, col);
  }

  private static boolean hasSurrogate(char[] a) {
    int any = 0;
    for (char c : a) {
      any |= c; // (no branch per character: most sources are ASCII)
    }
    if (any < Character.MIN_SURROGATE) {
      return false;
    }
    for (char c : a) {
      if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private void newline(int at) {
    line++;
    lineStart = at;
  }

  private void run() {
    boolean lineBegin = true;
    while (i < len) {
      if (lineBegin && brackets.isEmpty()) {
        lineBegin = indentation();
        if (lineBegin) {
          continue;
        }
      }
      char c = src[i];
      if (c == ' ' || c == '\t' || c == '\f') {
        i++;
      } else if (c == '#') {
        while (i < len && src[i] != '\n' && src[i] != '\r') {
          i++;
        }
      } else if (c == '\\') {
        int j = i + 1;
        if (j < len && src[j] == '\r') {
          j++;
        }
        if (j < len && src[j] == '\n') {
          i = j + 1;
          newline(i);
        } else if (j >= len) {
          problems.add(new SyntaxProblem(pos(i), "unexpected end of file after line continuation"));
          i = j;
        } else {
          problems.add(new SyntaxProblem(pos(i), "unexpected character after line continuation"));
          i++;
        }
      } else if (c == '\n' || c == '\r') {
        Position p = pos(i);
        i += (c == '\r' && i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
        if (brackets.isEmpty()) {
          add(Token.Type.NEWLINE, "\n", p);
          lineBegin = true;
        }
        newline(i);
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < len
          && Character.isDigit(src[i + 1]))) {
        number();
      } else if (c == '"' || c == '\'') {
        string(i, "");
      } else if (c < 128 ? isIdStart(c) : isIdStart(Character.codePointAt(src, i))) {
        name();
      } else {
        op();
      }
    }
    Position end = pos(i);
    if (!brackets.isEmpty()) {
      // The outermost one: every bracket opened inside it is unclosed for the same reason.
      Token b = brackets.peekLast();
      problems.add(new SyntaxProblem(b.pos(), "'" + b.text() + "' was never closed"
          + (brackets.size() > 1 ? " (nor " + (brackets.size() - 1) + " inside it)" : "")));
    }
    if (!out.isEmpty() && out.get(out.size() - 1).type() != Token.Type.NEWLINE
        && out.get(out.size() - 1).type() != Token.Type.DEDENT) {
      add(Token.Type.NEWLINE, "", end);
    }
    while (indents.size() > 1) {
      indents.pop();
      add(Token.Type.DEDENT, "", end);
    }
    add(Token.Type.END, "", end);
  }

  /** Measures a new line's indentation; true when the line is blank or a comment. */
  private boolean indentation() {
    int col = 0;
    int alt = 0;
    int j = i;
    while (j < len) {
      char c = src[j];
      if (c == ' ') {
        col++;
        alt++;
      } else if (c == '\t') {
        col = (col / 8 + 1) * 8;
        alt++;
      } else if (c == '\f') {
        col = 0;
        alt = 0;
      } else {
        break;
      }
      j++;
    }
    if (j >= len || src[j] == '#' || src[j] == '\n' || src[j] == '\r'
        || (src[j] == '\\' && j + 1 < len && (src[j + 1] == '\n'
            || src[j + 1] == '\r'))) {
      i = j;
      if (j < len && src[j] == '#') {
        while (i < len && src[i] != '\n' && src[i] != '\r') {
          i++;
        }
      }
      if (i < len && src[i] == '\\') {
        return false;
      }
      if (i < len) {
        i += (src[i] == '\r' && i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
        newline(i);
      }
      return true;
    }
    Position p = pos(j);
    i = j;
    // Parser/tokenizer.c, tok_get_normal_mode: indentation must compare the same way with a tab
    // as 8 columns and as 1, else TabError.
    boolean inconsistent = false;
    if (col > indents.peek()) {
      inconsistent = alt <= altIndents.peek();
      indents.push(col);
      altIndents.push(alt);
      add(Token.Type.INDENT, "", p);
    } else {
      while (col < indents.peek()) {
        indents.pop();
        altIndents.pop();
        add(Token.Type.DEDENT, "", p);
      }
      if (col != indents.peek()) {
        problems.add(new SyntaxProblem(p, "unindent does not match any outer indentation level"));
        indents.push(col);
        altIndents.push(alt);
      } else {
        inconsistent = alt != altIndents.peek();
      }
    }
    if (inconsistent) {
      problems.add(new SyntaxProblem(p, "inconsistent use of tabs and spaces in indentation"));
    }
    return false;
  }

  private void add(Token.Type type, String text, Position p) {
    out.add(new Token(type, text, null, p, false));
  }

  private static boolean isIdStart(int cp) {
    if (cp < 128) {
      return cp == '_' || cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z';
    }
    return Character.isUnicodeIdentifierStart(cp);
  }

  private static boolean isIdPart(int cp) {
    if (cp < 128) {
      // (what the general rule below answers for ASCII, without its table lookups: names are
      // most of a migration file's characters)
      return cp == '_' || cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z'
          || cp >= '0' && cp <= '9';
    }
    return Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
  }

  private void name() {
    int start = i;
    int n = len;
    while (i < n) {
      char c = src[i];
      int cp = c < 128 ? c : Character.codePointAt(src, i);
      if (!isIdPart(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    String text = s.substring(start, i);
    if (i < len && (src[i] == '"' || src[i] == '\'') && isPrefix(text)) {
      string(start, text.toLowerCase(java.util.Locale.ROOT));
      return;
    }
    add(Token.Type.NAME, text, pos(start));
  }

  private static boolean isPrefix(String p) {
    return switch (p.toLowerCase(java.util.Locale.ROOT)) {
      case "r", "u", "b", "br", "rb", "f", "fr", "rf" -> true;
      default -> false;
    };
  }

  private void number() {
    int start = i;
    if (src[i] == '0' && i + 1 < len && "xXoObB".indexOf(src[i + 1]) >= 0) {
      i += 2;
      while (i < len && (Character.isLetterOrDigit(src[i]) || src[i] == '_')) {
        i++;
      }
    } else {
      digits();
      if (i < len && src[i] == '.') {
        i++;
        digits();
      }
      if (i < len && (src[i] == 'e' || src[i] == 'E')) {
        int save = i;
        i++;
        if (i < len && (src[i] == '+' || src[i] == '-')) {
          i++;
        }
        if (i < len && Character.isDigit(src[i])) {
          digits();
        } else {
          i = save;
        }
      }
      if (i < len && (src[i] == 'j' || src[i] == 'J')) {
        i++;
      }
    }
    add(Token.Type.NUMBER, s.substring(start, i), pos(start));
  }

  private void digits() {
    while (i < len && (Character.isDigit(src[i]) || src[i] == '_')) {
      i++;
    }
  }

  /** A string literal starting at {@code start} whose prefix (lower case) is {@code prefix}. */
  private void string(int start, String prefix) {
    Position p = pos(start);
    int startLine = line;
    int startLineStart = lineStart;
    char q = src[i];
    boolean triple = i + 2 < len && src[i + 1] == q && src[i + 2] == q;
    int open = triple ? 3 : 1;
    i += open;
    int bodyStart = i;
    boolean raw = prefix.contains("r");
    boolean f = prefix.contains("f");
    boolean fields = false;
    int bodyEnd = -1;
    while (i < len) {
      char c = src[i];
      if (c == '\\') {
        if (i + 1 < len && (src[i + 1] == '\n' || src[i + 1] == '\r')) {
          i += (src[i + 1] == '\r' && i + 2 < len && src[i + 2] == '\n') ? 3 : 2;
          newline(i);
        } else {
          i += 2;
        }
      } else if (c == q && (!triple || (i + 2 < len && src[i + 1] == q
          && src[i + 2] == q))) {
        bodyEnd = i;
        i += open;
        break;
      } else if (c == '\n' || c == '\r') {
        if (!triple) {
          break;
        }
        i += (c == '\r' && i + 1 < len && src[i + 1] == '\n') ? 2 : 1;
        newline(i);
      } else if (f && c == '{') {
        if (i + 1 < len && src[i + 1] == '{') {
          i += 2;
        } else {
          fields = true;
          field();
        }
      } else {
        i++;
      }
    }
    i = Math.min(i, len);
    if (bodyEnd < 0) {
      int savedLine = line;
      int savedStart = lineStart;
      line = startLine;
      lineStart = startLineStart;
      problems.add(new SyntaxProblem(p, triple ? "unterminated triple-quoted string literal"
          : "unterminated string literal"));
      line = savedLine;
      lineStart = savedStart;
      bodyEnd = i;
    }
    String body = s.substring(bodyStart, Math.min(bodyEnd, len));
    boolean bytes = prefix.contains("b");
    String value = null;
    if (!fields) {
      if (f) {
        body = body.replace("{{", "{").replace("}}", "}");
      }
      value = StringLiterals.decode(body, raw, bytes, p, problems);
      if (bytes) {
        for (int k = 0; k < value.length(); k++) {
          if (value.charAt(k) > 0x7f && !raw) {
            problems.add(new SyntaxProblem(p, "bytes can only contain ASCII literal characters"));
            break;
          }
        }
      }
    }
    out.add(new Token(Token.Type.STRING, s.substring(start, Math.min(i, len)), value, p,
        bytes));
  }

  /** Skips an f-string replacement field: nested brackets and strings, up to its '}'. */
  private void field() {
    int depth = 0;
    i++;
    while (i < len) {
      char c = src[i];
      if (c == '{' || c == '(' || c == '[') {
        depth++;
        i++;
      } else if (c == ')' || c == ']') {
        depth--;
        i++;
      } else if (c == '}') {
        i++;
        if (depth-- == 0) {
          return;
        }
      } else if (c == '\'' || c == '"') {
        int before = out.size();
        string(i, "");
        while (out.size() > before) {
          out.remove(out.size() - 1);
        }
      } else if (c == '\n') {
        i++;
        newline(i);
      } else {
        i++;
      }
    }
  }

  /**
   * The operator of two or three characters starting with {@code c d e} (the longest), or null:
   * {@code **= //= >>= <<= ...}, {@code ** // >> << <= >= == != -> :=} and the augmented
   * assignments. One switch: matching each candidate in turn cost a migration's every {@code =}
   * and {@code .} some 25 comparisons.
   */
  private static String longOp(char c, char d, char e) {
    return switch (c) {
      case '*' -> d == '*' ? (e == '=' ? "**=" : "**") : d == '=' ? "*=" : null;
      case '/' -> d == '/' ? (e == '=' ? "//=" : "//") : d == '=' ? "/=" : null;
      case '>' -> d == '>' ? (e == '=' ? ">>=" : ">>") : d == '=' ? ">=" : null;
      case '<' -> d == '<' ? (e == '=' ? "<<=" : "<<") : d == '=' ? "<=" : null;
      case '.' -> d == '.' && e == '.' ? "..." : null;
      case '-' -> d == '>' ? "->" : d == '=' ? "-=" : null;
      case '!' -> d == '=' ? "!=" : null;
      case '=' -> d == '=' ? "==" : null;
      case ':' -> d == '=' ? ":=" : null;
      case '+' -> d == '=' ? "+=" : null;
      case '%' -> d == '=' ? "%=" : null;
      case '&' -> d == '=' ? "&=" : null;
      case '|' -> d == '=' ? "|=" : null;
      case '^' -> d == '=' ? "^=" : null;
      case '@' -> d == '=' ? "@=" : null;
      default -> null;
    };
  }

  private void op() {
    Position p = pos(i);
    char c = src[i];
    // Most operators are brackets and commas: only a few characters can start a longer one.
    String text = i + 1 < len ? longOp(c, src[i + 1], i + 2 < len ? src[i + 2] : 0) : null;
    if (text == null && c < 128) {
      text = ONE[c];
    }
    if (text == null) {
      int cp = Character.codePointAt(src, i);
      problems.add(new SyntaxProblem(p, String.format("invalid character '%s' (U+%04X)",
          Character.isISOControl(cp) ? "?" : new String(Character.toChars(cp)), cp)));
      i += Character.charCount(cp);
      return;
    }
    i += text.length();
    if ((text == ONE['['] || text == ONE['(']) && atSkimmedValue() && skipValue()) {
      out.add(new Token(Token.Type.DEFERRED, text, null, p, false));
      return;
    }
    Token t = new Token(Token.Type.OP, text, null, p, false);
    switch (text.length() == 1 ? c : 0) {
      case '(', '[', '{' -> brackets.push(t);
      case ')', ']', '}' -> {
        if (brackets.isEmpty()) {
          problems.add(new SyntaxProblem(p, "unmatched '" + text + "'"));
        } else {
          Token openTok = brackets.pop();
          String want = switch (openTok.text()) {
            case "(" -> ")";
            case "[" -> "]";
            default -> "}";
          };
          if (!want.equals(text)) {
            problems.add(new SyntaxProblem(p, "closing parenthesis '" + text
                + "' does not match opening parenthesis '" + openTok.text() + "' on line "
                + openTok.pos().line()));
          }
        }
      }
      default -> { }
    }
    out.add(t);
  }
}
