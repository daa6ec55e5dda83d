package dev.migdiff.analysis;

import dev.migdiff.django.DeployFinding;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import dev.migdiff.django.Reversal;
import java.util.List;

/**
 * The result of {@code migdiff FROM TO}: what a merge of the two revisions does to each app's
 * leaves, and what must be unapplied (and how) before switching from FROM to TO.
 */
public record CompareReport(Side from, Side to, String mergeBase, List<AppDiff> apps,
    Merge merge, Switch switchPlan, List<Deploy> deploy, List<Problem> problems,
    Database database, SnapshotAdvice snapshot) {

  /** A report without a snapshot to recommend. */
  public CompareReport(Side from, Side to, String mergeBase, List<AppDiff> apps, Merge merge,
      Switch switchPlan, List<Deploy> deploy, List<Problem> problems, Database database) {
    this(from, to, mergeBase, apps, merge, switchPlan, deploy, problems, database, null);
  }

  /** The same report, recommending {@code advice} (a snapshot that fits TO; may be null). */
  public CompareReport withSnapshot(SnapshotAdvice advice) {
    return new CompareReport(from, to, mergeBase, apps, merge, switchPlan, deploy, problems,
        database, advice);
  }

  /**
   * The database the switch plan started from (null when none was used): where it is, how it was
   * found, its number of rows, the rows of the project's apps that FROM has no file for, and
   * for a SQLite file in the work tree its path relative to manage.py's directory (else null).
   */
  public record Database(String url, String source, int rows, List<MigrationKey> phantoms,
      String linkAs) {}

  /** A compared revision. */
  public record Side(String ref, String commit) {}

  /**
   * One app's differences. {@code fromAdded}/{@code toAdded} are relative to the merge base;
   * {@code changed} exist on both sides with different content.
   */
  public record AppDiff(String app, List<String> fromOnly, List<String> toOnly,
      List<String> changed, List<String> fromAdded, List<String> toAdded,
      List<Leaf> leavesAfterMerge, boolean conflict) {}

  /** A leaf of the merged graph, its file, and where it comes from: "from", "to" or "both". */
  public record Leaf(String name, String side, String path) {}

  /** The merge preview. {@code command} is null when nothing needs merging. */
  public record Merge(List<Conflict> conflicts, String command, List<MergeFile> mergeFiles,
      List<Rebase> rebase) {}

  /**
   * An app with several leaves after the merge; {@code fork} holds the same-app edges from the
   * last common migrations to the leaves (what a diagram of the fork shows).
   */
  public record Conflict(String app, List<Leaf> leaves, List<Edge> fork) {}

  /** {@code parent -> child}, both migration names of one app. */
  public record Edge(String parent, String child) {}

  /**
   * Deploy safety of one migration TO adds since the merge base (in TO's graph order): what its
   * operations do while the previous release's code still runs. Empty findings: safe.
   */
  public record Deploy(MigrationKey key, String path, List<DeployFinding> findings) {

    public boolean unsafe() {
      return findings.stream().anyMatch(f -> f.level() == DeployFinding.Level.UNSAFE);
    }
  }

  /** The file {@code makemigrations --merge} would create. */
  public record MergeFile(String app, String name, String path) {}

  /** A TO migration that would need {@code newParents} instead of {@code parents} to rebase. */
  public record Rebase(String app, String name, List<String> parents, List<String> newParents) {}

  /**
   * The switch plan. {@code blocked} says why no commands can be given (FROM has conflicts);
   * {@code stopsAt} is the first migration where Django's backwards run would stop;
   * {@code leftoverRecords} are squashes recorded as applied that TO does not have but whose
   * replaced migrations it has: a harmless row left in django_migrations.
   */
  public record Switch(String blocked, String projectRoot, String manage, List<Command> commands, List<Unapply> unapply,
      List<MigrationKey> collateral, MigrationKey stopsAt, List<MigrationKey> unreachable,
      List<MigrationKey> leftoverRecords) {}

  public record Command(String app, String target, String command) {}

  /** One migration to unapply, in execution order, with what goes wrong reversing it. */
  public record Unapply(MigrationKey key, String path, boolean collateral,
      List<Reversal> reversals) {

    /** Django refuses it, or its reverse fails: the backwards run stops here. */
    public boolean irreversible() {
      return reversals.stream().anyMatch(r -> r.kind().stops());
    }
  }

  public boolean hasConflicts() {
    return !merge.conflicts().isEmpty();
  }

  /** The same report with other names for the two sides (e.g. branch names for commit ids). */
  public CompareReport withLabels(String fromLabel, String toLabel) {
    return new CompareReport(new Side(fromLabel, from.commit()), new Side(toLabel, to.commit()),
        mergeBase, apps, merge, switchPlan, deploy, problems, database, snapshot);
  }
}
