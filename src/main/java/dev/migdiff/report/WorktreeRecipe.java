package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import java.util.List;

/**
 * The commands that unapply FROM's migrations after the switch already happened: a temporary
 * detached worktree of FROM (whose whole migrations graph matches), the migrate commands run
 * there, and its removal.
 */
final class WorktreeRecipe {
  private WorktreeRecipe() {}

  static List<String> lines(String fromCommit, CompareReport.Switch s) {
    String dir = "/tmp/migdiff-" + fromCommit.substring(0, 8);
    String cd = s.projectRoot() == null || s.projectRoot().isEmpty() ? dir
        : dir + "/" + Terminal.safe(s.projectRoot());
    return List.of(
        "git worktree add --detach " + dir + " " + fromCommit.substring(0, 12),
        "(cd " + cd + " && " + String.join(" && ",
            s.commands().stream().map(c -> Terminal.safe(c.command())).toList()) + ")",
        "git worktree remove --force " + dir);
  }
}
