package dev.migdiff.report;

import dev.migdiff.analysis.GraphReport;
import dev.migdiff.django.MigrationKey;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code migdiff graph --format mermaid}: a flowchart, one subgraph per app. */
public final class GraphMermaidRenderer {
  public void render(GraphReport r, PrintWriter out) {
    Map<MigrationKey, String> ids = new LinkedHashMap<>();
    out.println("flowchart LR");
    int app = 0;
    for (GraphReport.AppGraph a : r.apps()) {
      out.println("  subgraph a" + app++ + "[" + label(a.app()) + "]");
      for (GraphReport.Node n : a.migrations()) {
        if (n.replacedBy() != null) {
          continue;
        }
        String id = "n" + ids.size();
        ids.put(new MigrationKey(a.app(), n.name()), id);
        out.println("    " + id + "[" + label(n.name()) + "]");
      }
      out.println("  end");
    }
    StringBuilder conflicts = new StringBuilder();
    for (GraphReport.AppGraph a : r.apps()) {
      for (GraphReport.Node n : a.migrations()) {
        String child = ids.get(new MigrationKey(a.app(), n.name()));
        if (child == null) {
          continue;
        }
        for (MigrationKey p : n.parents()) {
          String parent = ids.get(p);
          if (parent == null) {
            parent = "n" + ids.size();
            ids.put(p, parent);
            out.println("  " + parent + "([" + label(p.toString()) + "])");
          }
          out.println("  " + parent + " --> " + child);
        }
      }
      if (a.leaves().size() > 1) {
        for (String leaf : a.leaves()) {
          conflicts.append(conflicts.length() == 0 ? "" : ",")
              .append(ids.get(new MigrationKey(a.app(), leaf)));
        }
      }
    }
    if (conflicts.length() > 0) {
      out.println("  classDef conflict stroke:#d00,stroke-width:3px");
      out.println("  class " + conflicts + " conflict");
    }
    out.flush();
  }

  /** A quoted Mermaid label; quotes and markup characters become entity codes. */
  static String label(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : Terminal.safe(s).toCharArray()) {
      switch (c) {
        case '"' -> b.append("#quot;");
        case '<' -> b.append("#lt;");
        case '>' -> b.append("#gt;");
        case '#' -> b.append("#35;");
        case '`' -> b.append("#96;");
        case '\n', '\r' -> b.append(' ');
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
