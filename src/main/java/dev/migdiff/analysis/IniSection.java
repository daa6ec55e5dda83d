package dev.migdiff.analysis;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One section of an INI file read as Python's {@code configparser} reads setup.cfg: {@code key =
 * value} or {@code key: value}, indented lines continue the value, {@code #}/{@code ;} lines are
 * comments.
 */
final class IniSection {
  private IniSection() {}

  /** The keys of {@code [section]} (lower-cased, as configparser does) and their values. */
  static Map<String, String> read(String text, String section) {
    Map<String, String> out = new LinkedHashMap<>();
    boolean inside = false;
    String key = null;
    for (String raw : text.split("\r?\n")) {
      String line = raw.stripTrailing();
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]") && !Character.isWhitespace(line.charAt(0))) {
        inside = trimmed.substring(1, trimmed.length() - 1).strip().equals(section);
        key = null;
        continue;
      }
      if (!inside || trimmed.isEmpty()) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0)) && key != null) {
        String before = out.get(key);
        out.put(key, before.isEmpty() ? trimmed : before + "\n" + trimmed);
        continue;
      }
      int eq = firstSeparator(line);
      if (eq < 0) {
        key = null;
        continue;
      }
      key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      out.put(key, line.substring(eq + 1).strip());
    }
    return out;
  }

  private static int firstSeparator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }
}
