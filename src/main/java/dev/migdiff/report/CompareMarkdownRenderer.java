package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.analysis.OtherHeads;
import dev.migdiff.django.DeployFinding;
import dev.migdiff.django.Problem;
import dev.migdiff.django.Reversal;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code migdiff FROM TO --format markdown}: the merge-request comment. A hidden marker with the
 * compared commits, a verdict, the divergent apps and the fix, a Mermaid diagram of each fork,
 * then collapsed sections: deploy safety, the local switch plan, problems. Every name from the
 * repository goes through {@link Markdown}; the body stays under {@code limit} characters.
 */
public final class CompareMarkdownRenderer {
  /** How every migdiff comment starts; the bot finds its comment by it. */
  public static final String MARKER = "<!-- migdiff ";
  public static final int LIMIT = 60_000;

  private final int limit;

  public CompareMarkdownRenderer() {
    this(LIMIT);
  }

  public CompareMarkdownRenderer(int limit) {
    this.limit = limit;
  }

  public void render(CompareReport r, PrintWriter out) {
    render(r, (OtherHeads) null, out);
  }

  public void render(CompareReport r, OtherHeads others, PrintWriter out) {
    out.print(render(r, others));
    out.flush();
  }

  public String render(CompareReport r) {
    return render(r, (OtherHeads) null);
  }

  /** The comment with the "Also touching these apps" section ({@code others} may be null). */
  public String render(CompareReport r, OtherHeads others) {
    String from = Markdown.code(r.from().ref());
    String to = Markdown.code(r.to().ref());
    MarkdownParts body = new MarkdownParts(limit);
    body.add(MARKER + "from=" + r.from().commit() + " to=" + r.to().commit() + " base="
        + r.mergeBase() + " -->\n");
    long unsafe = r.deploy().stream().filter(CompareReport.Deploy::unsafe).count();
    CompareReport.Switch s = r.switchPlan();
    boolean clean = !r.hasConflicts() && r.problems().isEmpty() && s.blocked() == null
        && s.unapply().isEmpty() && r.deploy().stream().allMatch(d -> d.findings().isEmpty());
    if (r.hasConflicts()) {
      int n = r.merge().conflicts().size();
      body.add("### ❌ Divergent migrations in " + ProblemLines.plural(n, "app") + " after merging "
          + to + " into " + from + "\n\n");
      conflicts(r, body, from, to);
    } else if (unsafe > 0) {
      body.add("### ⚠️ No divergent migrations, but " + ProblemLines.plural(unsafe, "new migration")
          + (unsafe == 1 ? " is" : " are") + " unsafe while the old code runs\n\n"
          + "Merging " + to + " into " + from + " leaves one leaf per app.\n\n");
    } else {
      body.add("### ✅ No divergent migrations\n\n" + "Merging " + to + " into " + from
          + " leaves one leaf per app" + (clean ? "; " + deployVerdict(r)
          + "; nothing to unapply to try " + to + " locally.\n\n" : ".\n\n"));
    }
    if (others != null) {
      OtherHeadsMarkdown.add(others, body);
    }
    if (!clean) {
      deploy(r, body);
      switchPlan(r, body, from, to);
      problems(r, body);
    }
    body.add("<sub>migdiff: " + from + " " + Markdown.code(r.from().commit().substring(0, 12))
        + " → " + to + " " + Markdown.code(r.to().commit().substring(0, 12)) + ", merge base "
        + Markdown.code(r.mergeBase().substring(0, 12)) + "</sub>\n");
    return body.render();
  }

  private static String deployVerdict(CompareReport r) {
    int n = r.deploy().size();
    return n == 0 ? "no new migrations to deploy"
        : n == 1 ? "the new migration is safe while the old code runs"
        : "the " + n + " new migrations are safe while the old code runs";
  }

  private void conflicts(CompareReport r, MarkdownParts body, String from, String to) {
    CompareReport.Merge m = r.merge();
    String fromCell = Markdown.cell(r.from().ref());
    String toCell = Markdown.cell(r.to().ref());
    List<String> rows = new ArrayList<>();
    for (CompareReport.Conflict c : m.conflicts()) {
      StringBuilder row = new StringBuilder();
      for (CompareReport.Leaf l : c.leaves()) {
        String app = row.isEmpty() ? Markdown.cell(c.app()) : "";
        row.append("| ").append(app).append(" | ")
            .append(Markdown.cell(l.name())).append(" | ").append(side(l.side(), fromCell, toCell))
            .append(" |\n");
      }
      rows.add(row.toString());
    }
    body.add(new MarkdownParts.Part(1, "Django refuses to migrate until each app has one leaf:\n\n",
        "| app | leaf | comes from |\n|---|---|---|\n", rows, "conflicting apps", "\n"));
    body.add("**Fix**: merge " + from + " into " + to + ", then run\n\n"
        + Markdown.block("sh", List.of(m.command())) + "\n");
    List<String> files = m.mergeFiles().stream().map(f -> "- "
        + Markdown.code(f.path() != null ? f.path() : f.app() + "/" + f.name()) + "\n").toList();
    body.add(new MarkdownParts.Part(4, "which creates\n\n", "", files, "merge migrations", "\n"));
    List<String> rebase = m.rebase().stream().map(rb -> "- " + Markdown.code(rb.app() + "."
        + rb.name()) + " would depend on " + Markdown.code(String.join(", ", rb.newParents()))
        + " instead of " + Markdown.code(String.join(", ", rb.parents())) + "\n").toList();
    if (!rebase.isEmpty()) {
      body.add(new MarkdownParts.Part(5, "Or rebase " + to + " instead:\n\n", "", rebase,
          "rebase steps", "\n"));
    }
    List<String> diagrams = new ArrayList<>();
    for (CompareReport.Conflict c : m.conflicts()) {
      diagrams.add("Fork of " + Markdown.code(c.app()) + ":\n\n"
          + Markdown.block("mermaid", mermaid(c, r)) + "\n");
    }
    body.add(new MarkdownParts.Part(7, "", "", diagrams, "fork diagrams", ""));
  }

  private static List<String> mermaid(CompareReport.Conflict c, CompareReport r) {
    Map<String, String> ids = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>(List.of("flowchart LR"));
    Map<String, String> sides = new LinkedHashMap<>();
    c.leaves().forEach(l -> sides.put(l.name(), l.side()));
    List<String> names = new ArrayList<>();
    for (CompareReport.Edge e : c.fork()) {
      for (String n : List.of(e.parent(), e.child())) {
        if (!ids.containsKey(n)) {
          ids.put(n, "n" + ids.size());
          names.add(n);
        }
      }
    }
    for (CompareReport.Leaf l : c.leaves()) {
      if (!ids.containsKey(l.name())) {
        ids.put(l.name(), "n" + ids.size());
        names.add(l.name());
      }
    }
    for (String n : names) {
      String side = sides.get(n);
      String label = side == null ? n : n + " (" + sideName(side, r) + ")";
      lines.add("  " + ids.get(n) + "[" + Markdown.mermaidLabel(label) + "]");
    }
    for (CompareReport.Edge e : c.fork()) {
      lines.add("  " + ids.get(e.parent()) + " --> " + ids.get(e.child()));
    }
    lines.add("  classDef from stroke:#1f6feb,stroke-width:3px");
    lines.add("  classDef to stroke:#d1242f,stroke-width:3px");
    for (CompareReport.Leaf l : c.leaves()) {
      if (l.side().equals("from") || l.side().equals("to")) {
        lines.add("  class " + ids.get(l.name()) + " " + l.side());
      }
    }
    return lines;
  }

  private static String sideName(String side, CompareReport r) {
    return switch (side) {
      case "from" -> r.from().ref();
      case "to" -> r.to().ref();
      default -> side;
    };
  }

  private static String side(String side, String from, String to) {
    return switch (side) {
      case "from" -> from;
      case "to" -> to;
      default -> side;
    };
  }

  private void deploy(CompareReport r, MarkdownParts body) {
    long unsafe = r.deploy().stream().filter(CompareReport.Deploy::unsafe).count();
    long flagged = r.deploy().stream().filter(d -> !d.findings().isEmpty()).count();
    String summary = r.deploy().isEmpty() ? "no new migrations"
        : flagged == 0 ? deployVerdict(r)
        : unsafe + " of " + ProblemLines.plural(r.deploy().size(), "new migration")
            + " unsafe while the old code runs";
    List<String> rows = new ArrayList<>();
    for (CompareReport.Deploy d : r.deploy()) {
      for (DeployFinding f : d.findings()) {
        rows.add("| " + Markdown.cell(d.key().toString()) + " | "
            + Markdown.cell(d.path() + (f.pos() == null ? "" : ":" + f.pos())) + " | "
            + (f.level() == DeployFinding.Level.UNSAFE ? "**unsafe**" : "caution") + " "
            + Markdown.cell(f.code()) + " | " + Markdown.text(f.message()) + " | "
            + Markdown.text(f.help()) + " |\n");
      }
    }
    if (rows.isEmpty()) {
      body.add("<details><summary>Deploy safety: " + summary + "</summary>\n\n"
          + (r.deploy().isEmpty() ? Markdown.code(r.to().ref()) + " adds no migrations."
          : "Nothing in them breaks the previous release's code while it still runs.")
          + "\n\n</details>\n\n");
      return;
    }
    body.add(new MarkdownParts.Part(2, "<details" + (unsafe > 0 ? " open" : "")
        + "><summary>Deploy safety: " + summary + "</summary>\n\n"
        + "What the new migrations do while the previous release's code still runs (migrate "
        + "first, then deploy):\n\n",
        "| migration | where | finding | what happens | do instead |\n|---|---|---|---|---|\n",
        rows, "deploy findings", "\n</details>\n\n"));
  }

  private void switchPlan(CompareReport r, MarkdownParts body, String from, String to) {
    CompareReport.Switch s = r.switchPlan();
    String open = "<details><summary>Trying this branch locally: ";
    if (s.blocked() != null) {
      body.add(open + "no plan</summary>\n\n" + Markdown.text(s.blocked()) + "\n\n</details>\n\n");
      return;
    }
    if (s.unapply().isEmpty()) {
      body.add(open + "nothing to unapply</summary>\n\nWith " + from
          + " migrated, switch to " + to + " and run migrate.\n\n</details>\n\n");
      return;
    }
    long irreversible = s.unapply().stream().filter(CompareReport.Unapply::irreversible).count();
    List<String> rows = new ArrayList<>();
    for (CompareReport.Unapply u : s.unapply()) {
      StringBuilder row = new StringBuilder("1. " + Markdown.code(u.key().toString()));
      if (u.collateral()) {
        row.append(" (collateral: ").append(to).append(" has it; migrate re-applies it)");
      }
      for (Reversal rv : u.reversals()) {
        row.append("\n   - ").append(rv.kind().stops() ? "**" + rv.kind().label() + "**"
            : rv.kind().label()).append(": ").append(Markdown.text(rv.reason()));
        if (rv.pos() != null) {
          row.append(" (").append(Markdown.code(u.path() + ":" + rv.pos())).append(")");
        }
      }
      rows.add(row.append("\n").toString());
    }
    List<String> commands = new ArrayList<>();
    s.commands().forEach(c -> commands.add(c.command()));
    commands.add("git switch " + dev.migdiff.analysis.ShellWords.quote(r.to().ref()));
    commands.add(s.manage() + " migrate");
    String stops = s.stopsAt() == null ? "" : "Django stops at " + Markdown.code(s.stopsAt().toString())
        + ": fix or fake it first; the migrations before it are unapplied.\n\n";
    body.add(new MarkdownParts.Part(3, open + "unapply " + ProblemLines.plural(s.unapply().size(),
        "migration") + " first" + (irreversible > 0 ? " (" + irreversible + " irreversible)" : "")
        + "</summary>\n\nYour database has migrations of " + from + " that " + to
        + " lacks; unapply them (in this order) while " + from + " is checked out:\n\n", "",
        rows, "migrations to unapply", "\n" + stops));
    // The commands are shown whole or not at all: a partial list would leave work undone.
    body.add(new MarkdownParts.Part(2, "", "", List.of(Markdown.block("sh", commands)),
        "block of " + commands.size() + " commands", ""));
    body.add("\n</details>\n\n");
  }

  private void problems(CompareReport r, MarkdownParts body) {
    if (r.problems().isEmpty()) {
      return;
    }
    List<String> rows = new ArrayList<>();
    for (Problem p : r.problems()) {
      rows.add("| " + p.severity().label() + " | " + Markdown.cell(p.code()) + " | "
          + (p.location().isEmpty() ? "" : Markdown.cell(p.location())) + " | "
          + Markdown.text(p.message()) + (p.hint() == null ? "" : " (" + Markdown.text(p.hint())
          + ")") + " |\n");
    }
    body.add(new MarkdownParts.Part(6, "<details><summary>Problems: "
        + ProblemLines.counts(r.problems()) + "</summary>\n\n",
        "| severity | code | where | message |\n|---|---|---|---|\n", rows, "problems",
        "\n</details>\n\n"));
  }
}
