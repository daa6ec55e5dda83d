package dev.migdiff.analysis;

import dev.migdiff.db.DatabaseException;
import java.util.Optional;

/** Where migdiff learns what is applied: a database found for the revision, or none. */
@FunctionalInterface
public interface AppliedSource {
  /** No database: plan as if everything at FROM were applied. */
  AppliedSource NONE = snapshot -> Optional.empty();

  /** Reads the database that goes with {@code at} (its project root, its time settings). */
  Optional<DatabaseState> read(Snapshot at) throws DatabaseException;
}
