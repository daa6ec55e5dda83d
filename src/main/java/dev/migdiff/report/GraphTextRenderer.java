package dev.migdiff.report;

import dev.migdiff.analysis.GraphReport;
import dev.migdiff.django.MigrationKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code migdiff graph} for people: per app its migrations and parents, leaves, conflicts. */
public final class GraphTextRenderer {
  private final Terminal t;
  private final String manage;

  public GraphTextRenderer(Terminal t, String manage) {
    this.t = t;
    this.manage = manage;
  }

  public void render(GraphReport r, PrintWriter out) {
    out.println(t.bold(Terminal.safe(r.ref())) + " " + t.dim(r.commit().substring(0, 12))
        + (r.settingsModule() == null ? "" : "  settings " + Terminal.safe(r.settingsModule())));
    int migrations = 0;
    for (GraphReport.AppGraph app : r.apps()) {
      migrations += app.migrations().size();
      out.println();
      String leaves = app.leaves().isEmpty() ? "no migrations"
          : (app.leaves().size() == 1 ? "leaf " : "leaves ") + names(app.leaves());
      String head = t.bold(Terminal.safe(app.app())) + "  " + leaves;
      out.println(app.leaves().size() > 1 ? head + "  " + t.red("CONFLICT") : head);
      for (GraphReport.Node n : app.migrations()) {
        StringBuilder line = new StringBuilder("  ").append(Terminal.safe(n.name()));
        if (n.replacedBy() != null) {
          line.append(t.dim("  (replaced by " + Terminal.safe(n.replacedBy()) + ")"));
        } else if (!n.parents().isEmpty()) {
          line.append("  <- ").append(keys(n.parents(), app.app()));
        }
        if (!n.replaces().isEmpty()) {
          line.append(t.dim("  replaces " + keys(n.replaces(), app.app())));
        }
        out.println(line);
      }
    }
    out.println();
    if (!r.problems().isEmpty()) {
      ProblemLines.print(out, r.problems(), t);
      out.println();
    }
    if (r.hasConflicts()) {
      List<String> apps = r.conflicts().stream().map(c -> Terminal.safe(c.app())).toList();
      out.println("fix: " + Terminal.safe(manage) + " makemigrations --merge " + String.join(" ", apps));
    }
    String verdict = r.hasConflicts()
        ? t.red(ProblemLines.plural(r.conflicts().size(), "conflict")) + " ("
            + String.join(", ", r.conflicts().stream().map(c -> Terminal.safe(c.app())).toList()) + ")"
        : t.green("no conflicts");
    out.println(ProblemLines.plural(r.apps().size(), "app") + ", "
        + ProblemLines.plural(migrations, "migration") + ", " + verdict + ", "
        + ProblemLines.counts(r.problems()));
  }

  private static String names(List<String> names) {
    return String.join(", ", names.stream().map(Terminal::safe).toList());
  }

  private static String keys(List<MigrationKey> keys, String app) {
    List<String> out = new ArrayList<>();
    for (MigrationKey k : keys) {
      out.add(Terminal.safe(k.app().equals(app) ? k.name() : k.toString()));
    }
    return String.join(", ", out);
  }
}
