package dev.migdiff.django;

import java.util.Comparator;

/**
 * A migration's identity, {@code (app_label, name)}, ordered like Python tuples of str: by code
 * point, app first. Django sorts graph neighbours this way, so plan order depends on it.
 *
 * <p>A value class rather than a record so that it keeps its hash: graphs are maps of these keys,
 * and a project of 100,000 migrations hashes them millions of times, each time reading two
 * strings that are rarely in the processor's cache.
 */
public final class MigrationKey implements Comparable<MigrationKey> {
  public static final String FIRST = "__first__";
  public static final String LATEST = "__latest__";

  /** Python's str ordering: code point by code point. */
  public static final Comparator<String> PYTHON_ORDER = MigrationKey::comparePython;

  private final String app;
  private final String name;
  private final int hash;

  public MigrationKey(String app, String name) {
    this.app = java.util.Objects.requireNonNull(app, "app");
    this.name = java.util.Objects.requireNonNull(name, "name");
    this.hash = 31 * app.hashCode() + name.hashCode();
  }

  public String app() {
    return app;
  }

  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof MigrationKey k && hash == k.hash && app.equals(k.app)
        && name.equals(k.name);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  public boolean isSpecial() {
    return name.equals(FIRST) || name.equals(LATEST);
  }

  @Override
  public int compareTo(MigrationKey o) {
    int c = comparePython(app, o.app);
    return c != 0 ? c : comparePython(name, o.name);
  }

  /** Python's {@code repr} of the tuple, as Django prints it in error messages. */
  public String pythonRepr() {
    return "(" + PythonRepr.str(app) + ", " + PythonRepr.str(name) + ")";
  }

  @Override
  public String toString() {
    return app + "." + name;
  }

  public static int comparePython(String a, String b) {
    // Python compares code points, Java's compareTo UTF-16 units: they agree up to the first
    // difference, and at it whenever neither unit is half of a surrogate pair.
    int n = Math.min(a.length(), b.length());
    for (int k = 0; k < n; k++) {
      char x = a.charAt(k);
      char y = b.charAt(k);
      if (x != y) {
        if (!Character.isSurrogate(x) && !Character.isSurrogate(y)) {
          return x < y ? -1 : 1;
        }
        return comparePythonSlow(a, b);
      }
    }
    return Integer.compare(a.length(), b.length()) < 0 ? -1
        : a.length() == b.length() ? 0 : 1;
  }

  private static int comparePythonSlow(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
