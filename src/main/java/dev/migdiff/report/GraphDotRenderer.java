package dev.migdiff.report;

import dev.migdiff.analysis.GraphReport;
import dev.migdiff.django.MigrationKey;
import java.io.PrintWriter;
import java.util.Set;
import java.util.TreeSet;

/** {@code migdiff graph --format dot}: Graphviz, one cluster per app, edges parent to child. */
public final class GraphDotRenderer {
  public void render(GraphReport r, PrintWriter out) {
    out.println("digraph migrations {");
    out.println("  rankdir=LR;");
    out.println("  node [shape=box, style=rounded, fontname=\"Helvetica\"];");
    Set<MigrationKey> known = new TreeSet<>();
    for (GraphReport.AppGraph app : r.apps()) {
      for (GraphReport.Node n : app.migrations()) {
        if (n.replacedBy() == null) {
          known.add(new MigrationKey(app.app(), n.name()));
        }
      }
    }
    Set<MigrationKey> outside = new TreeSet<>();
    for (GraphReport.AppGraph app : r.apps()) {
      out.println("  subgraph " + quote("cluster_" + app.app()) + " {");
      out.println("    label=" + quote(app.app()) + ";");
      boolean conflict = app.leaves().size() > 1;
      for (GraphReport.Node n : app.migrations()) {
        if (n.replacedBy() != null) {
          continue;
        }
        String attrs = "label=" + quote(n.name());
        if (conflict && app.leaves().contains(n.name())) {
          attrs += ", color=red, penwidth=2";
        }
        out.println("    " + quote(app.app() + "." + n.name()) + " [" + attrs + "];");
      }
      out.println("  }");
    }
    for (GraphReport.AppGraph app : r.apps()) {
      for (GraphReport.Node n : app.migrations()) {
        for (MigrationKey p : n.parents()) {
          if (!known.contains(p)) {
            outside.add(p);
          }
          out.println("  " + quote(p.toString()) + " -> " + quote(app.app() + "." + n.name()) + ";");
        }
      }
    }
    for (MigrationKey k : outside) {
      out.println("  " + quote(k.toString()) + " [style=dashed];");
    }
    out.println("}");
    out.flush();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : Terminal.safe(s).toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c == '\n' || c == '\r') {
        b.append("\\n");
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
