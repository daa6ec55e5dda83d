package dev.migdiff.report;

import dev.migdiff.analysis.Sweep;
import dev.migdiff.analysis.SweepSummary;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's summary as Markdown tables (for the README), and one line per finding or failure for
 * checking by hand.
 */
public final class SweepTextRenderer {
  public void render(SweepSummary s, String repository, PrintWriter out) {
    Sweep.Kind[] kinds = Sweep.Kind.values();
    out.println("repository " + Terminal.safe(repository) + ": " + s.merges() + " merge commits");
    out.println();
    out.println("| | `graph MERGE` | `P1 P2` |");
    out.println("|---|---:|---:|");
    row(out, "cases", s, c -> String.valueOf(c.cases()));
    row(out, "internal errors", s, c -> String.valueOf(c.internalErrors()));
    row(out, "input errors", s, c -> String.valueOf(c.inputErrors()));
    row(out, "with divergent leaves", s, c -> String.valueOf(c.conflicts()));
    row(out, "median ms", s, c -> fmt(c.medianMs()));
    row(out, "p95 ms", s, c -> fmt(c.p95Ms()));
    row(out, "max ms", s, c -> fmt(c.maxMs()));
    row(out, "total s", s, c -> fmt(c.totalSeconds()));
    out.println();
    out.println("| finding code | `graph MERGE`: cases (findings) | `P1 P2`: cases (findings) |");
    out.println("|---|---:|---:|");
    for (Map.Entry<String, Map<Sweep.Kind, int[]>> e : s.codes().entrySet()) {
      StringBuilder b = new StringBuilder("| `" + e.getKey() + "`");
      for (Sweep.Kind k : kinds) {
        int[] n = e.getValue().get(k);
        b.append(" | ").append(n == null ? "0" : n[0] + " (" + n[1] + ")");
      }
      out.println(b.append(" |"));
    }
    out.flush();
  }

  /** One line per failure and per finding: kind, merge commit, arguments, code, where, what. */
  public void details(Sweep.Case c, PrintWriter out) {
    String head = c.kind().name().toLowerCase(Locale.ROOT) + "\t" + c.merge() + "\t" + c.args();
    if (c.failure() != null) {
      out.println(head + "\t" + (c.internal() ? "INTERNAL-ERROR" : "input-error") + "\t\t"
          + Terminal.safe(c.failure()));
      if (c.internal() && c.error() != null) {
        c.error().printStackTrace(out);
      }
    }
    if (c.conflict() != null) {
      out.println(head + "\tdivergent-leaves\t\t" + Terminal.safe(c.conflict()));
    }
    c.problems().forEach(p -> out.println(head + "\t" + p.code() + "\t"
        + Terminal.safe(p.location()) + "\t" + Terminal.safe(p.message())));
  }

  private static void row(PrintWriter out, String label, SweepSummary s,
      java.util.function.Function<SweepSummary.Column, String> cell) {
    StringBuilder b = new StringBuilder("| " + label);
    for (Sweep.Kind k : Sweep.Kind.values()) {
      b.append(" | ").append(cell.apply(s.columns().get(k)));
    }
    out.println(b.append(" |"));
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, d >= 100 ? "%.0f" : "%.1f", d);
  }
}
