package dev.migdiff.report;

import dev.migdiff.analysis.RadarReport;
import java.io.PrintWriter;

/**
 * {@code migdiff radar --format markdown}: a verdict, the colliding pairs as a table, the
 * branches that conflict with BASE, hot apps, the suggested order and the unreadable refs. Every
 * name from the repository (branch names included) goes through {@link Markdown}.
 */
public final class RadarMarkdownRenderer {
  public void render(RadarReport r, PrintWriter out) {
    String base = Markdown.code(r.base().ref());
    long against = r.branches().stream().filter(RadarReport.Branch::conflictsWithBase).count();
    if (r.branches().isEmpty()) {
      out.print("### migdiff radar: no branch is ahead of " + base + "\n\n");
    } else if (r.pairs().isEmpty() && against == 0) {
      out.print("### ✅ migdiff radar: no collisions among "
          + RadarTextRenderer.branches(r.branches().size()) + " ahead of " + base + "\n\n");
    } else {
      out.print("### ❌ migdiff radar: " + ProblemLines.plural(r.pairs().size(), "colliding pair")
          + ", " + RadarTextRenderer.branches((int) against) + " conflicting with " + base
          + "\n\n");
    }
    if (!r.pairs().isEmpty()) {
      out.print("| first | second | app | collision | who acts |\n|---|---|---|---|---|\n");
      for (RadarReport.Pair p : r.pairs()) {
        for (RadarReport.Collision c : p.collisions()) {
          out.print("| " + Markdown.text(p.first().label()) + " | "
              + Markdown.text(p.second().label()) + " | " + Markdown.cell(c.app()) + " | "
              + Markdown.text(c.kind().code() + ": " + String.join(", ", c.ours()) + " / "
                  + String.join(", ", c.theirs())) + " | " + Markdown.text(c.action()) + " |\n");
        }
      }
      out.print("\n");
    }
    if (against > 0) {
      out.print("**Already conflicting with " + base + "**\n\n");
      for (RadarReport.Branch b : r.branches()) {
        for (RadarReport.BaseConflict c : b.againstBase()) {
          out.print("- " + Markdown.text(b.head().label()) + ": " + Markdown.code(c.app())
              + " has leaves " + Markdown.code(String.join(", ", c.leaves())) + "\n");
        }
        for (String path : b.textConflicts()) {
          out.print("- " + Markdown.text(b.head().label()) + ": git merge stops on "
              + Markdown.code(path) + "\n");
        }
      }
      out.print("\n");
    }
    if (!r.hotApps().isEmpty()) {
      out.print("**Hot apps**\n\n");
      for (RadarReport.HotApp h : r.hotApps()) {
        out.print("- " + Markdown.code(h.app()) + " (" + h.branches().size() + "): "
            + String.join(", ", h.branches().stream().map(Markdown::text).toList()) + "\n");
      }
      out.print("\n");
    }
    if (r.order() != null) {
      out.print("**Suggested order**: " + String.join(", ", r.order().branches().stream()
          .map(Markdown::text).toList()) + " (needs "
          + RadarTextRenderer.work(r.order().mergeMigrations()) + "; the worst order needs "
          + r.order().worst() + ")\n\n");
    }
    if (!r.unreadable().isEmpty()) {
      out.print("**Could not read**\n\n");
      for (RadarReport.Unreadable u : r.unreadable()) {
        out.print("- " + Markdown.text(u.head().label()) + ": " + Markdown.text(u.message())
            + "\n");
      }
      out.print("\n");
    }
    out.print("<sub>migdiff radar: " + base + " " + Markdown.code(r.base().commit()
        .substring(0, 12)) + "</sub>\n");
    out.flush();
  }
}
