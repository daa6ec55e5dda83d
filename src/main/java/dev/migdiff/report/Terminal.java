package dev.migdiff.report;

/**
 * Makes repository-provided text safe for a terminal (control characters and ANSI escapes become
 * visible escapes) and colours text only when asked to.
 */
public final class Terminal {
  private final boolean color;

  public Terminal(boolean color) {
    this.color = color;
  }

  public static String safe(String s) {
    if (s == null) {
      return "";
    }
    if (printableAscii(s)) {
      return s; // (nearly every name: a graph of 100,000 migrations prints as many)
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
        b.append(String.format("\\x%02x", cp));
      } else if (invisible(cp)) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }

  private static boolean printableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Characters that change how the rest of the line is shown without being seen: bidirectional
   * overrides and isolates ("Trojan Source", U+202A-U+202E, U+2066-U+2069), zero-width and other
   * format characters, line and paragraph separators, lone surrogates.
   */
  private static boolean invisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.FORMAT || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
  }

  public String bold(String s) {
    return wrap("1", s);
  }

  public String red(String s) {
    return wrap("31", s);
  }

  public String yellow(String s) {
    return wrap("33", s);
  }

  public String green(String s) {
    return wrap("32", s);
  }

  public String dim(String s) {
    return wrap("2", s);
  }

  private String wrap(String code, String s) {
    return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
