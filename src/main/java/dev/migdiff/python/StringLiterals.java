package dev.migdiff.python;

import java.util.List;

/** Decodes the body of a Python string or bytes literal (escape sequences, as CPython does). */
final class StringLiterals {
  private StringLiterals() {}

  /**
   * Decodes {@code body} (between the quotes). Invalid escapes stay as written, like CPython
   * (which only warns); a bad {@code \x}/{@code \ u}/{@code \N} escape is a problem.
   */
  static String decode(String body, boolean raw, boolean bytes, Position at,
      List<SyntaxProblem> problems) {
    if (raw || body.indexOf('\\') < 0) {
      return body;
    }
    StringBuilder b = new StringBuilder(body.length());
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 >= body.length()) {
        b.append(c);
        i++;
        continue;
      }
      char n = body.charAt(i + 1);
      i += 2;
      switch (n) {
        case '\n' -> { }
        case '\\' -> b.append('\\');
        case '\'' -> b.append('\'');
        case '"' -> b.append('"');
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'v' -> b.append('\u000b');
        case 'x' -> i = hex(body, i, 2, b, at, problems, "\\x");
        case 'u', 'U' -> {
          if (bytes) {
            b.append('\\').append(n);
          } else {
            i = hex(body, i, n == 'u' ? 4 : 8, b, at, problems, "\\" + n);
          }
        }
        case 'N' -> {
          if (bytes) {
            b.append("\\N");
          } else {
            int close = body.indexOf('}', i);
            if (i < body.length() && body.charAt(i) == '{' && close > i) {
              try {
                b.appendCodePoint(Character.codePointOf(body.substring(i + 1, close)));
              } catch (IllegalArgumentException e) {
                problems.add(new SyntaxProblem(at, "unknown Unicode character name in \\N{...}"));
              }
              i = close + 1;
            } else {
              problems.add(new SyntaxProblem(at, "malformed \\N character escape"));
            }
          }
        }
        default -> {
          if (n >= '0' && n <= '7') {
            int v = n - '0';
            int k = 0;
            while (k < 2 && i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '7') {
              v = v * 8 + (body.charAt(i) - '0');
              i++;
              k++;
            }
            b.appendCodePoint(bytes ? v & 0xff : v);
          } else {
            b.append('\\').append(n);
          }
        }
      }
    }
    return b.toString();
  }

  private static int hex(String body, int i, int digits, StringBuilder b, Position at,
      List<SyntaxProblem> problems, String escape) {
    if (i + digits > body.length()) {
      problems.add(new SyntaxProblem(at, "truncated " + escape + " escape"));
      return body.length();
    }
    long v = 0;
    for (int k = i; k < i + digits; k++) {
      // Only hex digits: parseInt would also take a sign ("\x+1"), which Python refuses.
      int d = Character.digit(body.charAt(k), 16);
      if (d < 0 || body.charAt(k) > 'f') {
        problems.add(new SyntaxProblem(at, "truncated " + escape + " escape"));
        return i + digits;
      }
      v = v * 16 + d;
    }
    // \UDDDDDDDD is above 0x7fffffff: compared as a long, not as a (negative) int.
    if (v > 0x10ffff) {
      problems.add(new SyntaxProblem(at, "illegal Unicode character in " + escape + " escape"));
    } else {
      b.appendCodePoint((int) v);
    }
    return i + digits;
  }
}
