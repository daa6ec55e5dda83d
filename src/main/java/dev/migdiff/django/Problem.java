package dev.migdiff.django;

import dev.migdiff.python.Position;

/**
 * A finding about the repository's content: a stable kebab-case code, where, and what. Findings
 * never stop a run; they are reported in every output format.
 */
public record Problem(Severity severity, String code, String file, Position pos, String message,
    String hint) implements Comparable<Problem> {

  /** How bad a finding is. */
  public enum Severity {
    ERROR, WARNING, INFO;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Problem error(String code, String file, Position pos, String message) {
    return new Problem(Severity.ERROR, code, file, pos, message, null);
  }

  public static Problem warning(String code, String file, Position pos, String message) {
    return new Problem(Severity.WARNING, code, file, pos, message, null);
  }

  public static Problem info(String code, String file, Position pos, String message) {
    return new Problem(Severity.INFO, code, file, pos, message, null);
  }

  public Problem withHint(String h) {
    return new Problem(severity, code, file, pos, message, h);
  }

  /** {@code path:line:col} (or less, when unknown). */
  public String location() {
    if (file == null) {
      return "";
    }
    return pos == null ? file : file + ":" + pos.line() + ":" + pos.column();
  }

  @Override
  public int compareTo(Problem o) {
    int c = compareNullable(file, o.file);
    if (c == 0) {
      c = pos == null ? (o.pos == null ? 0 : -1) : (o.pos == null ? 1 : pos.compareTo(o.pos));
    }
    if (c == 0) {
      c = code.compareTo(o.code);
    }
    return c != 0 ? c : message.compareTo(o.message);
  }

  private static int compareNullable(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return MigrationKey.comparePython(a, b);
  }
}
