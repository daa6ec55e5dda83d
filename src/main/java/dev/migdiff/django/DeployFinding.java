package dev.migdiff.django;

import dev.migdiff.python.Position;

/**
 * What one operation of a new migration does to a deployment whose old code is still running
 * while (and after) the migration runs: a stable kebab-case code, how bad, where, why, and the
 * backwards-compatible way to get the same change.
 */
public record DeployFinding(Level level, String code, String operation, Position pos,
    String message, String help) {

  /** How bad it is for old code. */
  public enum Level {
    /** Old code breaks: it reads or writes something that is gone or changed. */
    UNSAFE,
    /** Old code keeps working, but the migration may lock or rewrite a table, or old writes may fail. */
    CAUTION;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
