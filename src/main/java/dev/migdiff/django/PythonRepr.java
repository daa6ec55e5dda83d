package dev.migdiff.django;

/** Python's {@code repr()} of a str, so messages read exactly like Django's. */
public final class PythonRepr {
  private PythonRepr() {}

  public static String str(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder b = new StringBuilder().append(quote);
    s.codePoints().forEach(cp -> {
      if (cp == quote || cp == '\\') {
        b.append('\\').appendCodePoint(cp);
      } else if (cp == '\n') {
        b.append("\\n");
      } else if (cp == '\r') {
        b.append("\\r");
      } else if (cp == '\t') {
        b.append("\\t");
      } else if (cp < 0x20 || cp == 0x7f) {
        b.append(String.format("\\x%02x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.append(quote).toString();
  }
}
