package dev.migdiff.analysis;

import java.util.regex.Pattern;

/**
 * Quotes a repository-provided word (an app label, a migration name) for the commands migdiff
 * prints, so pasting one into a POSIX shell cannot run anything else. Plain names stay as they are.
 */
public final class ShellWords {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private ShellWords() {}

  public static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
