package dev.migdiff.python;

/**
 * One token. For strings, {@code value} is the decoded content (null for an f-string with
 * replacement fields) and {@code text} the source; for the rest {@code text} is the source text.
 */
record Token(Type type, String text, String value, Position pos, boolean bytes) {
  /**
   * Token kinds, as in CPython's tokenize module (f-strings are STRING); DEFERRED stands for a
   * whole bracketed value skipped by a skimming tokenizer.
   */
  enum Type { NAME, NUMBER, STRING, OP, NEWLINE, INDENT, DEDENT, END, DEFERRED }

  boolean is(Type t, String s) {
    return type == t && text.equals(s);
  }

  boolean isOp(String s) {
    return type == Type.OP && text.equals(s);
  }

  boolean isName(String s) {
    return type == Type.NAME && text.equals(s);
  }
}
