package dev.migdiff.analysis;

import dev.migdiff.django.MigrationKey;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.graph.GraphResult;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A saved copy of the database that fits a revision, recommended when unapplying is blocked or
 * needs a worktree. The match rule: the snapshot was taken from the same database, every applied
 * migration it records of an app the revision migrates is in the revision's graph (no phantom),
 * and Django's {@code check_consistent_history} at the revision accepts it.
 *
 * @param name what to pass to {@code migdiff snapshot restore}
 * @param label the branch and commit it was taken on ({@code main@3f2e17})
 * @param target the revision it matches
 * @param notApplied migrations of the revision the snapshot lacks ({@code migrate} applies them)
 */
public record SnapshotAdvice(String name, String label, Instant taken, String target,
    int notApplied) {

  /**
   * A snapshot as the analysis sees it: its name and label, when it was taken, the database it
   * copies (as {@link DatabaseState#url()} spells it) and its applied migrations.
   */
  public record Candidate(String name, String label, Instant taken, String database,
      List<MigrationKey> applied) {}

  /** The command that restores it. */
  public String command() {
    return "migdiff snapshot restore " + name;
  }

  /**
   * Whether unapplying is the hard way: blocked, or a migration whose reverse stops, fails or
   * loses data; with {@code afterSwitch} (the hook, status) any unapply, which needs a worktree.
   */
  static boolean needed(CompareReport.Switch plan, boolean afterSwitch) {
    return plan.blocked() != null || (afterSwitch ? !plan.unapply().isEmpty()
        : plan.unapply().stream().anyMatch(u -> !u.reversals().isEmpty()));
  }

  /**
   * The newest of {@code candidates} (newest first) taken from {@code database} that matches
   * {@code at}, or null.
   */
  static SnapshotAdvice best(SnapshotLoader loader, Snapshot at, String target, String database,
      List<Candidate> candidates) {
    if (database == null || candidates.isEmpty()) {
      return null;
    }
    Set<String> labels = new HashSet<>(Comparison.appLabels(at));
    Set<MigrationKey> known = Comparison.knownKeys(at);
    for (Candidate c : candidates) {
      if (!database.equals(c.database())) {
        continue;
      }
      Set<MigrationKey> rows = new LinkedHashSet<>(c.applied());
      boolean phantom = rows.stream().anyMatch(k -> labels.contains(k.app()) && !known.contains(k));
      if (phantom) {
        continue;
      }
      GraphResult g = loader.graphWithApplied(at, rows);
      if (!StatusCheck.inconsistent(at, g.graph(), rows).isEmpty()) {
        continue;
      }
      int missing = StatusCheck.unapplied(g.graph(),
          GraphBuilder.effectiveApplied(at.project().migrations(), rows)).size();
      return new SnapshotAdvice(c.name(), c.label(), c.taken(), target, missing);
    }
    return null;
  }
}
