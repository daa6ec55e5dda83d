package dev.migdiff.analysis;

import dev.migdiff.django.MigrationKey;
import java.util.List;
import java.util.Map;

/**
 * What a branch switch left behind: the plan to unapply what TO lacks (as if everything at FROM
 * was applied), TO's own divergent leaves, and migrations with the same name but other content.
 */
public record SwitchReport(CompareReport.Side from, CompareReport.Side to,
    CompareReport.Switch plan, Map<String, List<String>> toConflicts, List<MigrationKey> changed,
    String manage, CompareReport.Database database, SnapshotAdvice snapshot) {

  /** A report without a snapshot to recommend. */
  public SwitchReport(CompareReport.Side from, CompareReport.Side to, CompareReport.Switch plan,
      Map<String, List<String>> toConflicts, List<MigrationKey> changed, String manage,
      CompareReport.Database database) {
    this(from, to, plan, toConflicts, changed, manage, database, null);
  }

  /** The same report, recommending {@code advice} (a snapshot that fits TO; may be null). */
  public SwitchReport withSnapshot(SnapshotAdvice advice) {
    return new SwitchReport(from, to, plan, toConflicts, changed, manage, database, advice);
  }

  /** Whether there is anything to tell the user. */
  public boolean isQuiet() {
    return plan.unapply().isEmpty() && plan.blocked() == null && toConflicts.isEmpty()
        && changed.isEmpty();
  }
}
