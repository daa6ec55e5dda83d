package dev.migdiff.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the cache lives and whether it is on, from the environment: {@code $MIGDIFF_CACHE_DIR},
 * else {@code $XDG_CACHE_HOME/migdiff}, else {@code $HOME/.cache/migdiff} (the convention of
 * pre-commit, ruff and mypy); {@code MIGDIFF_CACHE=off} turns it off. Each cache format and
 * migdiff version gets its own directory under it, so an upgrade never reads an old layout.
 */
public final class CacheLocation {
  /** The layout of the values the reading layers store; part of every entry's directory. */
  public static final int FORMAT = 1;
  /** The default size bound: 200 MB. */
  public static final long DEFAULT_MAX_BYTES = 200L * 1024 * 1024;

  private CacheLocation() {}

  /** The cache's base directory, or empty when the cache is off or no location is known. */
  public static Optional<Path> base(Map<String, String> env) {
    // (no lambda, regex or string concatenation on this path: the hook's daemon client takes it,
    // and linking any of those costs it more than the rest of its work; docs/daemon.md)
    Optional<Located> l = located(env);
    return l.isPresent() ? Optional.of(l.get().dir()) : Optional.empty();
  }

  /** Where the cache is and which setting says so, or why there is none: for {@code doctor}. */
  public static String describe(Map<String, String> env) {
    if (off(env)) {
      return "off (MIGDIFF_CACHE=" + env.get("MIGDIFF_CACHE") + ")";
    }
    return located(env).map(l -> l.dir() + " (" + l.source() + ")")
        .orElse("none (no MIGDIFF_CACHE_DIR, XDG_CACHE_HOME or HOME)");
  }

  private record Located(Path dir, String source) {}

  private static boolean off(Map<String, String> env) {
    String mode = env.getOrDefault("MIGDIFF_CACHE", "").trim().toLowerCase(Locale.ROOT);
    return mode.equals("off") || mode.equals("0") || mode.equals("false") || mode.equals("no");
  }

  private static Optional<Located> located(Map<String, String> env) {
    if (off(env)) {
      return Optional.empty();
    }
    String dir = env.get("MIGDIFF_CACHE_DIR");
    if (dir != null && !dir.isBlank()) {
      return Optional.of(new Located(Path.of(dir).toAbsolutePath().normalize(),
          "MIGDIFF_CACHE_DIR"));
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      return Optional.of(new Located(Path.of(xdg, "migdiff").normalize(), "XDG_CACHE_HOME"));
    }
    String home = env.get("HOME");
    if (home != null && Path.of(home).isAbsolute()) {
      return Optional.of(new Located(Path.of(home, ".cache", "migdiff").normalize(), "default"));
    }
    return Optional.empty();
  }

  /** The size bound: {@code MIGDIFF_CACHE_SIZE} in MB, else 200 MB. */
  public static long maxBytes(Map<String, String> env) {
    String mb = env.get("MIGDIFF_CACHE_SIZE");
    if (mb != null) {
      try {
        long v = Long.parseLong(mb.trim());
        if (v >= 0) {
          return v * 1024 * 1024;
        }
      } catch (NumberFormatException e) {
        // the default below
      }
    }
    return DEFAULT_MAX_BYTES;
  }

  /** This format and version's directory under {@code base}. */
  public static Path root(Path base) {
    return base.resolve(new StringBuilder("v").append(FORMAT).append('-').append(version())
        .toString());
  }

  /** Whether {@code dir} is a version directory this class made (the only ones clear deletes). */
  static boolean isVersionDir(Path dir) {
    return dir.getFileName().toString().matches("v\\d+-[\\w.+-]+") && Files.isDirectory(dir);
  }

  /**
   * migdiff's version; for a development build (no release version in the jar) also the jar's
   * size and time, so that a rebuilt snapshot never reads what an older build stored.
   */
  static String version() {
    // asked once by the daemon's client and again by the run's cache: the jar's size and time
    // are read once per process
    String known = version;
    if (known == null) {
      version = known = readVersion();
    }
    return known;
  }

  private static volatile String version;

  private static String readVersion() {
    String v = CacheLocation.class.getPackage().getImplementationVersion();
    if (v != null && !v.endsWith("-SNAPSHOT")) {
      return v.replaceAll("[^\\w.+-]", "_");
    }
    String build = "dev";
    try {
      Path code = Path.of(CacheLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(code)) {
        build = new StringBuilder(Long.toHexString(Files.size(code))).append('.')
            .append(Long.toHexString(Files.getLastModifiedTime(code).toMillis())).toString();
      }
    } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
      // "dev": classes from a directory (tests), whose caches live in temporary directories
    }
    return v == null ? build : new StringBuilder(v).append('-').append(build).toString();
  }
}
