package dev.migdiff.django;

import dev.migdiff.python.Position;

/**
 * Why unapplying a migration is a problem, and where. {@link Kind#IRREVERSIBLE} is what Django
 * itself refuses ({@code IrreversibleError} when the migration is reached); the others are
 * reverses Django attempts that fail or lose data.
 */
public record Reversal(Kind kind, String operation, Position pos, String reason) {
  /** How bad reversing is. */
  public enum Kind {
    /** Django raises IrreversibleError: the backwards run stops here. */
    IRREVERSIBLE,
    /** Django tries and fails (NotImplementedError, IntegrityError): the run stops here. */
    FAILS,
    /** The reverse may fail on existing data. */
    MAY_FAIL,
    /** The reverse works but data is not restored. */
    LOSES_DATA,
    /** A custom operation: its reversibility cannot be known statically. */
    UNKNOWN;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Whether a backwards run stops at this migration. */
    public boolean stops() {
      return this == IRREVERSIBLE || this == FAILS;
    }
  }
}
