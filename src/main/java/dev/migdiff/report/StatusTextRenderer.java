package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.analysis.StatusReport;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Reversal;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** {@code migdiff status}: the database against a revision, and how to bring it in line. */
public final class StatusTextRenderer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private final Terminal t;

  public StatusTextRenderer(Terminal t) {
    this.t = t;
  }

  public void render(StatusReport r, PrintWriter out) {
    String ref = Terminal.safe(r.ref().ref());
    CompareReport.Database d = r.database();
    out.println(t.bold(ref) + " " + t.dim(r.ref().commit().substring(0, 12)) + " against "
        + Terminal.safe(d.url()) + " (" + Terminal.safe(d.source()) + "): "
        + ProblemLines.plural(d.rows(), "applied migration"));
    if (!r.phantoms().isEmpty()) {
      out.println();
      out.println(t.bold("Phantoms: ") + "applied, but " + ref + " has no such migration");
      int w = width(r.phantoms().stream().map(StatusReport.Applied::key).toList());
      for (StatusReport.Applied p : r.phantoms()) {
        out.println("  " + pad(key(p.key()), w) + "  " + applied(p.applied()) + "   "
            + (p.foundIn() == null ? t.red("no branch has its file")
                : "file in " + side(p.foundIn())));
      }
    }
    if (!r.edited().isEmpty()) {
      out.println();
      out.println(t.bold("Edited: ") + "applied from another version of the file than "
          + ref + "'s");
      int w = width(r.edited().stream().map(StatusReport.Edited::key).toList());
      for (StatusReport.Edited e : r.edited()) {
        out.println("  " + pad(key(e.key()), w) + "  " + applied(e.applied()) + " on "
            + side(e.appliedAt()) + "  (" + Terminal.safe(e.path()) + ")");
      }
    }
    if (!r.inconsistent().isEmpty()) {
      out.println();
      out.println(t.bold("Inconsistent history: ") + t.red("Django at " + ref
          + " raises InconsistentMigrationHistory") + " and migrates nothing");
      for (StatusReport.Inconsistent i : r.inconsistent()) {
        out.println("  " + key(i.migration()) + " is applied, but its dependency "
            + key(i.parent()) + " is not");
      }
    }
    if (!r.unapplied().isEmpty()) {
      out.println();
      out.println(t.bold("Not applied yet") + " (" + Terminal.safe(r.manage())
          + " migrate applies them, in this order):");
      for (MigrationKey k : r.unapplied()) {
        out.println("  " + key(k));
      }
    }
    if (r.outside() > 0) {
      out.println();
      out.println(t.dim(ProblemLines.plural(r.outside(), "row") + " of apps outside the "
          + "repository (Django's own, third-party) not checked"));
    }
    fixes(r, out, ref);
    out.println();
    if (!r.problems().isEmpty()) {
      ProblemLines.print(out, r.problems(), t);
      out.println();
    }
    out.println(summary(r));
  }

  private void fixes(StatusReport r, PrintWriter out, String ref) {
    if (r.fixes().isEmpty() && r.unapplied().isEmpty() && r.edited().isEmpty()) {
      if (r.inLine()) {
        out.println();
        out.println(t.green("The database is in line with " + ref + "."));
      }
      return;
    }
    out.println();
    if (r.snapshot() != null) {
      List<String> advice = SnapshotRecipe.lines(r.snapshot(), r.manage());
      out.println(t.bold("Quickest: ") + advice.get(0));
      advice.subList(1, advice.size()).forEach(out::println);
      out.println();
    }
    out.println(t.bold("To bring the database in line with " + ref + ":"));
    int step = 1;
    for (StatusReport.Fix f : r.fixes()) {
      CompareReport.Switch s = f.plan();
      out.println("  " + step++ + ". from a worktree of " + side(f.at()) + ", unapply:");
      for (CompareReport.Unapply u : s.unapply()) {
        List<String> notes = new ArrayList<>();
        if (u.collateral()) {
          notes.add(t.dim("collateral: " + ref + " has it; migrate re-applies it"));
        }
        for (Reversal rv : u.reversals()) {
          if (rv.kind().stops()) {
            notes.add(t.red(rv.kind().label()) + ": " + Terminal.safe(rv.reason()));
          }
        }
        out.println("       " + key(u.key()) + (notes.isEmpty() ? "" : "  " + String.join("; ", notes)));
      }
      if (s.stopsAt() != null) {
        out.println("       " + t.red("Django stops at " + key(s.stopsAt())));
      }
      WorktreeRecipe.lines(f.at().commit(), s, r.database())
          .forEach(l -> out.println("     " + l));
      if (r.database().linkAs() == null) {
        out.println("     (the commands must reach this same database: copy .env or settings "
            + "overrides into the worktree first)");
      }
    }
    for (StatusReport.Edited e : r.edited()) {
      out.println("  " + step++ + ". " + key(e.key()) + " was applied from another version: "
          + "if the difference matters, unapply it with the old files (from a worktree of "
          + side(e.appliedAt()) + ") and migrate again");
    }
    if (!r.unapplied().isEmpty() || !r.fixes().isEmpty()) {
      java.util.Set<MigrationKey> fixed = new java.util.HashSet<>();
      r.fixes().forEach(f -> f.plan().unapply().forEach(u -> fixed.add(u.key())));
      boolean blocked = r.inconsistent().stream().anyMatch(i -> !fixed.contains(i.migration()));
      out.println("  " + step + ". " + Terminal.safe(r.manage()) + " migrate"
          + (blocked ? "  (once the history is consistent: see the error below)" : ""));
    }
  }

  private String summary(StatusReport r) {
    List<String> parts = new ArrayList<>();
    parts.add(r.phantoms().isEmpty() ? t.green("no phantoms")
        : t.red(ProblemLines.plural(r.phantoms().size(), "phantom")));
    if (!r.edited().isEmpty()) {
      parts.add(t.yellow(ProblemLines.plural(r.edited().size(), "edited migration")));
    }
    parts.add(r.inconsistent().isEmpty() ? "consistent history"
        : t.red("inconsistent history"));
    parts.add(r.unapplied().size() + " not applied");
    parts.add(ProblemLines.counts(r.problems()));
    return String.join(", ", parts);
  }

  private String side(CompareReport.Side s) {
    if (s.commit().startsWith(s.ref())) {
      return t.bold(s.commit().substring(0, 12));
    }
    return t.bold(Terminal.safe(s.ref())) + " " + t.dim(s.commit().substring(0, 12));
  }

  private static String applied(Instant when) {
    return when == null ? "applied at an unknown time" : "applied " + TIME.format(when);
  }

  private static int width(List<MigrationKey> keys) {
    return keys.stream().mapToInt(k -> key(k).length()).max().orElse(0);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  private static String key(MigrationKey k) {
    return Terminal.safe(k.toString());
  }
}
