package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that unapply FROM's migrations after the switch already happened: a temporary
 * detached worktree of FROM (whose whole migrations graph matches), the migrate commands run
 * there, and its removal. When the database is a SQLite file inside the work tree (Django's
 * default {@code db.sqlite3} next to manage.py, say), the worktree gets a symbolic link to it at
 * the same place, so that the commands change the real one.
 */
final class WorktreeRecipe {
  private WorktreeRecipe() {}

  static List<String> lines(String fromCommit, CompareReport.Switch s, CompareReport.Database db) {
    String dir = "/tmp/migdiff-" + fromCommit.substring(0, 8);
    String cd = s.projectRoot() == null || s.projectRoot().isEmpty() ? dir
        : dir + "/" + Terminal.safe(s.projectRoot());
    List<String> out = new ArrayList<>();
    out.add("git worktree add --detach " + dir + " " + fromCommit.substring(0, 12));
    if (db != null && db.linkAs() != null && db.url().startsWith("sqlite://")) {
      String link = cd + "/" + Terminal.safe(db.linkAs());
      String parent = link.substring(0, link.lastIndexOf('/'));
      out.add((parent.equals(cd) ? "" : "mkdir -p " + parent + " && ") + "ln -s "
          + Terminal.safe(db.url().substring("sqlite://".length())) + " " + link);
    }
    out.add("(cd " + cd + " && " + String.join(" && ",
        s.commands().stream().map(c -> Terminal.safe(c.command())).toList()) + ")");
    out.add("git worktree remove --force " + dir);
    return out;
  }
}
