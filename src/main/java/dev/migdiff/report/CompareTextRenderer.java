package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.django.DeployFinding;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Reversal;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code migdiff FROM TO} for people: merge preview, changes, switch plan, one-line summary. */
public final class CompareTextRenderer {
  private final Terminal t;

  public CompareTextRenderer(Terminal t) {
    this.t = t;
  }

  public void render(CompareReport r, PrintWriter out) {
    String from = Terminal.safe(r.from().ref());
    String to = Terminal.safe(r.to().ref());
    out.println(t.bold(from) + " " + t.dim(r.from().commit().substring(0, 12)) + " -> "
        + t.bold(to) + " " + t.dim(r.to().commit().substring(0, 12)) + "   merge base "
        + t.dim(r.mergeBase().substring(0, 12)));
    mergeSection(r, out, from, to);
    changes(r, out, from, to);
    switchSection(r, out, from, to);
    deploySection(r, out, to);
    out.println();
    if (!r.problems().isEmpty()) {
      ProblemLines.print(out, r.problems(), t);
      out.println();
    }
    out.println(summary(r));
  }

  private void mergeSection(CompareReport r, PrintWriter out, String from, String to) {
    out.println();
    CompareReport.Merge m = r.merge();
    if (m.conflicts().isEmpty()) {
      out.println(t.bold("Merge: ") + t.green("no divergent leaves") + " after merging " + to
          + " into " + from);
      return;
    }
    out.println(t.bold("Merge: ") + t.red("divergent leaves") + " after merging " + to + " into "
        + from);
    for (CompareReport.Conflict c : m.conflicts()) {
      out.println("  " + t.bold(Terminal.safe(c.app())));
      int width = c.leaves().stream().mapToInt(l -> l.name().length()).max().orElse(0);
      for (CompareReport.Leaf l : c.leaves()) {
        String side = switch (l.side()) {
          case "from" -> from;
          case "to" -> to;
          default -> "both";
        };
        out.println("    " + pad(Terminal.safe(l.name()), width) + "  (" + side + ")");
      }
    }
    out.println("  fix: " + Terminal.safe(m.command()));
    for (CompareReport.MergeFile f : m.mergeFiles()) {
      out.println("       creates " + Terminal.safe(f.path() != null ? f.path() : f.app() + "/" + f.name()));
    }
    for (CompareReport.Rebase rb : m.rebase()) {
      out.println("  or rebase " + to + ": " + Terminal.safe(rb.app() + "." + rb.name())
          + " would depend on " + Terminal.safe(String.join(", ", rb.newParents()))
          + " instead of " + Terminal.safe(String.join(", ", rb.parents())));
    }
  }

  private void changes(CompareReport r, PrintWriter out, String from, String to) {
    List<String> lines = new ArrayList<>();
    for (CompareReport.AppDiff a : r.apps()) {
      List<String> parts = new ArrayList<>();
      if (!a.fromAdded().isEmpty()) {
        parts.add(from + " added " + names(a.fromAdded()));
      }
      if (!a.toAdded().isEmpty()) {
        parts.add(to + " added " + names(a.toAdded()));
      }
      List<String> fromRemoved = new ArrayList<>(a.toOnly());
      fromRemoved.removeAll(a.toAdded());
      if (!fromRemoved.isEmpty()) {
        parts.add(from + " removed " + names(fromRemoved));
      }
      List<String> toRemoved = new ArrayList<>(a.fromOnly());
      toRemoved.removeAll(a.fromAdded());
      if (!toRemoved.isEmpty()) {
        parts.add(to + " removed " + names(toRemoved));
      }
      if (!a.changed().isEmpty()) {
        parts.add(t.yellow("same name, different content: " + names(a.changed())));
      }
      if (!parts.isEmpty()) {
        lines.add("  " + t.bold(Terminal.safe(a.app())) + ": " + String.join("; ", parts));
      }
    }
    if (!lines.isEmpty()) {
      out.println();
      out.println(t.bold("Changes since the merge base"));
      lines.forEach(out::println);
    }
  }

  private void switchSection(CompareReport r, PrintWriter out, String from, String to) {
    CompareReport.Switch s = r.switchPlan();
    out.println();
    if (r.database() != null) {
      database(r.database(), out, from);
    }
    if (r.snapshot() != null) {
      List<String> advice = SnapshotRecipe.lines(r.snapshot(), s.manage());
      out.println(t.bold("Instead of unapplying, ") + advice.get(0));
      advice.subList(1, advice.size()).forEach(out::println);
    }
    if (s.blocked() != null) {
      out.println(t.bold("Switch " + from + " -> " + to + ": ") + t.red("no plan"));
      out.println("  " + Terminal.safe(s.blocked()));
      return;
    }
    if (s.unapply().isEmpty()) {
      out.println(t.bold("Switch " + from + " -> " + to + ": ") + t.green("nothing to unapply"));
      leftovers(s, out, to);
      return;
    }
    out.println(t.bold("Before switching from " + from + " to " + to + ", unapply")
        + " (in this order):");
    int width = s.unapply().stream().mapToInt(u -> u.key().toString().length()).max().orElse(0);
    for (CompareReport.Unapply u : s.unapply()) {
      String name = Terminal.safe(u.key().toString());
      List<String> notes = new ArrayList<>();
      if (u.collateral()) {
        notes.add(t.dim("collateral: " + to + " has it; migrate re-applies it"));
      }
      for (Reversal rv : u.reversals()) {
        String where = rv.pos() == null ? "" : " (" + Terminal.safe(u.path()) + ":" + rv.pos() + ")";
        String kind = rv.kind().stops() ? t.red(rv.kind().label()) : t.yellow(rv.kind().label());
        notes.add(kind + ": " + Terminal.safe(rv.reason()) + where);
      }
      if (notes.isEmpty()) {
        out.println("  " + name);
      } else {
        out.println("  " + pad(name, width) + "  " + notes.get(0));
        for (String n : notes.subList(1, notes.size())) {
          out.println(" ".repeat(width + 4) + n);
        }
      }
    }
    if (s.stopsAt() != null) {
      out.println("  " + t.red("Django stops at " + Terminal.safe(s.stopsAt().toString()))
          + ": the migrations listed before it are unapplied, the rest stay applied");
    }
    out.println("  commands (run while " + from + " is checked out):");
    for (CompareReport.Command c : s.commands()) {
      out.println("    " + Terminal.safe(c.command()));
    }
    out.println("  then: git switch " + to + " && " + migrateAll(s));
    leftovers(s, out, to);
    out.println("  already switched? run them from a worktree of " + from + ":");
    WorktreeRecipe.lines(r.from().commit(), s, r.database()).forEach(l -> out.println("    " + l));
    out.println("    (untracked files such as .env are not in the worktree: copy them in first)");
  }

  /** Which database the plan starts from, and what it has that FROM lacks. */
  void database(CompareReport.Database d, PrintWriter out, String from) {
    out.println(t.bold("Database: ") + Terminal.safe(d.url()) + " (" + Terminal.safe(d.source())
        + "): " + ProblemLines.plural(d.rows(), "applied migration")
        + "; the plan below starts from them");
    if (!d.phantoms().isEmpty()) {
      out.println("  " + t.yellow("also applied, but not in " + from + ": ")
          + Terminal.safe(String.join(", ", d.phantoms().stream().map(MigrationKey::toString)
              .toList())) + " (see migdiff status)");
    }
  }

  private void deploySection(CompareReport r, PrintWriter out, String to) {
    List<CompareReport.Deploy> flagged = r.deploy().stream().filter(d -> !d.findings().isEmpty())
        .toList();
    if (flagged.isEmpty()) {
      return;
    }
    long unsafe = r.deploy().stream().filter(CompareReport.Deploy::unsafe).count();
    out.println();
    out.println(t.bold("Deploy safety of " + to + "'s new migrations") + " ("
        + ProblemLines.plural(r.deploy().size(), "migration") + ", "
        + (unsafe == 0 ? "none" : String.valueOf(unsafe)) + " unsafe while the old code runs):");
    int width = flagged.stream().mapToInt(d -> d.key().toString().length()).max().orElse(0);
    for (CompareReport.Deploy d : flagged) {
      String name = pad(key(d.key()), width);
      boolean first = true;
      for (DeployFinding f : d.findings()) {
        String level = f.level() == DeployFinding.Level.UNSAFE ? t.red(f.level().label())
            : t.yellow(f.level().label());
        String where = f.pos() == null ? "" : " (" + Terminal.safe(d.path()) + ":" + f.pos() + ")";
        out.println("  " + (first ? name : " ".repeat(width)) + "  " + level + "[" + f.code()
            + "]: " + Terminal.safe(f.message()) + where);
        out.println("  " + " ".repeat(width) + "    " + t.dim("fix: " + Terminal.safe(f.help())));
        first = false;
      }
    }
  }

  private static void leftovers(CompareReport.Switch s, PrintWriter out, String to) {
    for (MigrationKey k : s.leftoverRecords()) {
      out.println("  note: django_migrations keeps a row for squash " + key(k) + ", which " + to
          + " does not have; harmless (Django 4.1+: migrate " + Terminal.safe(k.app())
          + " --prune removes it)");
    }
  }

  private static String migrateAll(CompareReport.Switch s) {
    return Terminal.safe(s.manage()) + " migrate";
  }

  private String summary(CompareReport r) {
    List<String> parts = new ArrayList<>();
    int conflicts = r.merge().conflicts().size();
    parts.add(conflicts == 0 ? t.green("no conflicts")
        : t.red(ProblemLines.plural(conflicts, "conflict")) + " (" + String.join(", ",
            r.merge().conflicts().stream().map(c -> Terminal.safe(c.app())).toList()) + ")");
    long irreversible = r.switchPlan().unapply().stream().filter(CompareReport.Unapply::irreversible).count();
    parts.add(ProblemLines.plural(r.switchPlan().unapply().size(), "migration") + " to unapply"
        + (irreversible > 0 ? " (" + irreversible + " irreversible)" : ""));
    long unsafe = r.deploy().stream().filter(CompareReport.Deploy::unsafe).count();
    if (unsafe > 0) {
      parts.add(t.red(ProblemLines.plural(unsafe, "migration") + " unsafe to deploy"));
    }
    long changed = r.apps().stream().mapToLong(a -> a.changed().size()).sum();
    if (changed > 0) {
      parts.add(ProblemLines.plural(changed, "edited migration"));
    }
    parts.add(ProblemLines.counts(r.problems()));
    return String.join(", ", parts);
  }

  private static String names(List<String> names) {
    return Terminal.safe(String.join(", ", names));
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  static String key(MigrationKey k) {
    return Terminal.safe(k.toString());
  }
}
