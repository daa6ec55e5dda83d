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
    String manage, CompareReport.Database database) {

  /** Whether there is anything to tell the user. */
  public boolean isQuiet() {
    return plan.unapply().isEmpty() && plan.blocked() == null && toConflicts.isEmpty()
        && changed.isEmpty();
  }
}
