package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.analysis.SwitchReport;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Reversal;
import java.io.PrintWriter;
import java.util.List;

/**
 * The post-checkout hook's message, for stderr: concise, and written for the moment after the
 * switch, when the previous branch's migration files are already gone from the work tree.
 */
public final class HookTextRenderer {
  private final Terminal t;

  public HookTextRenderer(Terminal t) {
    this.t = t;
  }

  public void render(SwitchReport r, PrintWriter out) {
    String from = Terminal.safe(r.from().ref());
    String to = Terminal.safe(r.to().ref());
    CompareReport.Switch s = r.plan();
    if (s.blocked() != null) {
      out.println(t.yellow("migdiff: ") + Terminal.safe(s.blocked()));
    } else if (!s.unapply().isEmpty()) {
      out.println(t.yellow("migdiff: ") + (r.database() != null
          ? "your database (" + Terminal.safe(r.database().url()) + ") has migrations of "
          : "your database may still have migrations of ") + from
          + " that " + to + " does not have:");
      int width = s.unapply().stream().mapToInt(u -> u.key().toString().length()).max().orElse(0);
      for (CompareReport.Unapply u : s.unapply()) {
        String name = Terminal.safe(u.key().toString());
        List<Reversal> bad = u.reversals().stream().filter(x -> x.kind().stops()).toList();
        String note = u.collateral() ? t.dim("  (also on " + to + ": re-applied by migrate)") : "";
        if (!bad.isEmpty()) {
          Reversal b = bad.get(0);
          note += "  " + t.red(b.kind().label()) + ": " + Terminal.safe(b.reason()) + " ("
              + Terminal.safe(u.path()) + ":" + b.pos().line() + ")";
        }
        out.println("  " + (note.isEmpty() ? name : name + " ".repeat(width - name.length()) + note));
      }
      if (s.stopsAt() != null) {
        out.println("  " + t.red("Django will stop at " + key(s.stopsAt())) + "; fix it or fake it first");
      }
      if (r.snapshot() != null) {
        List<String> advice = SnapshotRecipe.lines(r.snapshot(), r.manage());
        out.println("Quickest: " + advice.get(0));
        advice.subList(1, advice.size()).forEach(out::println);
        out.print("Or: ");
      }
      out.println((r.snapshot() != null ? "to" : "To")
          + " unapply them now that their files are gone, run from a worktree of " + from + ":");
      WorktreeRecipe.lines(r.from().commit(), s, r.database()).forEach(l -> out.println("  " + l));
      out.println("or switch back (git switch -), run the same commands, and switch again.");
    }
    for (var e : r.toConflicts().entrySet()) {
      out.println(t.yellow("migdiff: ") + to + " has divergent leaves in " + Terminal.safe(e.getKey())
          + " (" + Terminal.safe(String.join(", ", e.getValue())) + "): "
          + Terminal.safe(r.manage()) + " makemigrations --merge " + Terminal.safe(e.getKey()));
    }
    if (!r.changed().isEmpty()) {
      out.println(t.yellow("migdiff: ") + "same name, different content on " + to + ": "
          + Terminal.safe(String.join(", ", r.changed().stream().map(MigrationKey::toString).toList()))
          + (r.database() != null ? " (your database applied the other version)"
              : " (your database may hold the other version)"));
    }
    out.flush();
  }

  private static String key(MigrationKey k) {
    return Terminal.safe(k.toString());
  }
}
