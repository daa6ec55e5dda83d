package dev.migdiff.analysis;

import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import java.time.Instant;
import java.util.List;

/**
 * {@code migdiff status REF}: what the database has applied against what REF has.
 *
 * @param phantoms applied, but REF has no such migration (left over from another branch)
 * @param edited applied, but REF's file differs from the one checked out when it was applied
 * @param unapplied in REF's graph but not applied: {@code migrate} will apply them, in this order
 * @param inconsistent applied migrations of REF whose dependencies are not applied: Django at
 *     REF raises {@code InconsistentMigrationHistory} and migrates nothing
 * @param outside rows of apps REF does not migrate from the repository (Django's own apps,
 *     third-party apps): not checked
 * @param fixes what to run, and where, to bring the database in line with REF
 */
public record StatusReport(CompareReport.Side ref, CompareReport.Database database,
    List<Applied> phantoms, List<Edited> edited, List<MigrationKey> unapplied,
    List<Inconsistent> inconsistent, int outside, List<Fix> fixes, String manage,
    String projectRoot, List<Problem> problems, SnapshotAdvice snapshot) {

  /** A report without a snapshot to recommend. */
  public StatusReport(CompareReport.Side ref, CompareReport.Database database,
      List<Applied> phantoms, List<Edited> edited, List<MigrationKey> unapplied,
      List<Inconsistent> inconsistent, int outside, List<Fix> fixes, String manage,
      String projectRoot, List<Problem> problems) {
    this(ref, database, phantoms, edited, unapplied, inconsistent, outside, fixes, manage,
        projectRoot, problems, null);
  }

  /** The same report, recommending {@code advice} (a snapshot that fits REF; may be null). */
  public StatusReport withSnapshot(SnapshotAdvice advice) {
    return new StatusReport(ref, database, phantoms, edited, unapplied, inconsistent, outside,
        fixes, manage, projectRoot, problems, advice);
  }

  /**
   * An applied migration, when it was applied (null if unknown), and a revision that still has
   * its file (null when none was found).
   */
  public record Applied(MigrationKey key, Instant applied, CompareReport.Side foundIn) {}

  /** An applied migration whose file at REF differs from the version at {@code appliedAt}. */
  public record Edited(MigrationKey key, String path, Instant applied,
      CompareReport.Side appliedAt) {}

  /** {@code migration} is applied but its dependency {@code parent} is not. */
  public record Inconsistent(MigrationKey migration, MigrationKey parent) {}

  /** Commands to run from a worktree of {@code at}, whose files can unapply what REF lacks. */
  public record Fix(CompareReport.Side at, CompareReport.Switch plan) {}

  /** Whether the database is in line with REF (unapplied migrations aside). */
  public boolean inLine() {
    return phantoms.isEmpty() && inconsistent.isEmpty() && edited.isEmpty();
  }
}
