package dev.migdiff.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Snapshot names: a strict pattern (letters, digits, {@code . _ @ + -}, at most 40, no
 * {@code ..}), so a name is safe as a file name and, quoted, as a PostgreSQL identifier.
 */
public final class SnapshotName {
  /** The names users may give. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,39}");
  /** The prefix of every database migdiff creates on a PostgreSQL server. */
  public static final String PG_PREFIX = "migdiff_snap_";

  private SnapshotName() {}

  /** {@code name} if it is valid, else a one-line error. */
  public static String check(String name) throws SnapshotException {
    if (name == null || !PATTERN.matcher(name).matches() || name.contains("..")) {
      throw new SnapshotException("invalid snapshot name '" + safe(name) + "'",
          "use at most 40 letters, digits and . _ @ + - (starting with a letter or digit)");
    }
    return name;
  }

  /** A valid name made from a branch name ({@code feature/x} becomes {@code feature-x}). */
  public static String fromBranch(String branch) {
    String s = branch == null ? "" : branch.replaceAll("[^A-Za-z0-9._+-]", "-")
        .replaceAll("\\.\\.+", ".").replaceAll("^[^A-Za-z0-9]+", "");
    if (s.isEmpty()) {
      s = "detached";
    }
    return s.length() > 30 ? s.substring(0, 30) : s;
  }

  /**
   * The PostgreSQL database that holds snapshot {@code name} of {@code source} (host:port/db),
   * saved at {@code stamp}: the prefix, the name in lower case with other characters as
   * {@code _}, and a hash of all three (two sources, two names differing only in case, or a
   * replaced snapshot and its successor never share a database). At most 62 characters.
   */
  static String pgDatabase(String source, String name, String stamp) {
    String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return PG_PREFIX + lower + "_" + hash(source + "\n" + name + "\n" + stamp).substring(0, 8);
  }

  static String hash(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A quoted PostgreSQL identifier (names are checked first; the quoting is belt and braces). */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static String safe(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(60).forEach(cp -> {
      if (cp < 0x20 || cp == 0x7f) {
        b.append(String.format("\\x%02x", cp));
      } else {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }
}
