package dev.migdiff.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/** Reads {@code [tool.migdiff]} from a pyproject.toml (with tomlj, a TOML 1.0 parser). */
public final class PyprojectConfig {
  private PyprojectConfig() {}

  /**
   * Parses {@code text}; {@code source} names the file in messages. A file that never spells
   * "migdiff" has no {@code [tool.migdiff]} and is not parsed at all: the TOML parser's first
   * use costs about a tenth of a first run, and an error elsewhere in a project's pyproject.toml
   * is not migdiff's to report.
   */
  public static MigdiffConfig parse(String text, String source) throws ConfigException {
    if (!mayName(text, "migdiff")) {
      return MigdiffConfig.EMPTY;
    }
    TomlParseResult toml = Toml.parse(text);
    if (toml.hasErrors()) {
      var e = toml.errors().get(0);
      throw new ConfigException(source + ":" + e.position().line() + ":" + e.position().column()
          + ": invalid TOML: " + e.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", ""));
    }
    TomlTable t;
    try {
      t = toml.getTable("tool.migdiff");
    } catch (IllegalArgumentException | org.tomlj.TomlInvalidTypeException e) {
      throw new ConfigException(source + ": [tool.migdiff] must be a table");
    }
    if (t == null) {
      return MigdiffConfig.EMPTY;
    }
    for (String key : t.keySet()) {
      if (!java.util.Set.of("project-root", "settings", "auth-user-model", "django-version",
          "manage", "labels", "migration-modules", "source-roots", "env").contains(key)) {
        throw new ConfigException(source + ": unknown key '" + key + "' in [tool.migdiff]");
      }
    }
    return new MigdiffConfig(string(t, "project-root", source), string(t, "settings", source),
        stringMap(t, "labels", source, false), stringMap(t, "migration-modules", source, true),
        string(t, "auth-user-model", source), string(t, "django-version", source),
        string(t, "manage", source), stringList(t, "source-roots", source),
        stringMap(t, "env", source, false));
  }

  /**
   * Whether a TOML document may have a key spelled {@code keys[i]}: it contains one of them, or an
   * escape (a quoted key may spell one with {@code \\u} escapes).
   */
  static boolean mayName(String text, String... keys) {
    if (text.contains("\\u") || text.contains("\\U")) {
      return true;
    }
    for (String k : keys) {
      if (text.contains(k)) {
        return true;
      }
    }
    return false;
  }

  /** An array of relative directory names ({@code source-roots = ["src"]}), or null. */
  private static java.util.List<String> stringList(TomlTable t, String key, String source)
      throws ConfigException {
    Object v = t.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof org.tomlj.TomlArray a)) {
      throw new ConfigException(source + ": [tool.migdiff] " + key + " must be an array of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      if (!(a.get(i) instanceof String s)) {
        throw new ConfigException(source + ": [tool.migdiff] " + key + " must be an array of strings");
      }
      String dir = SourceRoots.normalize(s);
      if (dir == null) {
        throw new ConfigException(source + ": [tool.migdiff] " + key + ": '" + s
            + "' is not a directory inside the repository");
      }
      out.add(dir);
    }
    return java.util.List.copyOf(out);
  }

  private static String string(TomlTable t, String key, String source) throws ConfigException {
    Object v = t.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ConfigException(source + ": [tool.migdiff] " + key + " must be a string");
    }
    return s;
  }

  private static Map<String, String> stringMap(TomlTable t, String key, String source,
      boolean falseMeansNone) throws ConfigException {
    Object v = t.get(key);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof TomlTable table)) {
      throw new ConfigException(source + ": [tool.migdiff." + key + "] must be a table");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : table.keySet()) {
      Object x = table.get(java.util.List.of(k));
      if (x instanceof String s) {
        out.put(k, s);
      } else if (falseMeansNone && Boolean.FALSE.equals(x)) {
        out.put(k, null);
      } else {
        throw new ConfigException(source + ": [tool.migdiff." + key + "] " + k + " must be a string"
            + (falseMeansNone ? " or false" : ""));
      }
    }
    return out;
  }
}
