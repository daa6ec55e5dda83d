package dev.migdiff.report;

import dev.migdiff.analysis.RadarReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code migdiff radar}: the branches that change migrations, a matrix of which pairs collide
 * (up to {@value #MATRIX} branches), then the pairs, the branches that conflict with BASE already,
 * the hot apps, a suggested order and the refs that could not be read.
 */
public final class RadarTextRenderer {
  /** More branches than this get no matrix (the pair list says it all). */
  static final int MATRIX = 30;

  private final Terminal t;

  public RadarTextRenderer(Terminal t) {
    this.t = t;
  }

  public void render(RadarReport r, PrintWriter out) {
    String base = "'" + Terminal.safe(r.base().ref()) + "'";
    List<RadarReport.Branch> touching = r.branches().stream().filter(b -> !b.apps().isEmpty())
        .toList();
    out.println(t.bold("radar: " + branches(r.branches().size()) + " against " + base + " ("
        + r.base().commit().substring(0, 12) + "), " + touching.size() + " changing migrations"
        + (r.skippedMerged() > 0 ? "; " + r.skippedMerged() + " already merged, skipped" : "")));
    if (r.branches().isEmpty()) {
      out.println("nothing to compare: no branch (of those chosen) is ahead of " + base);
    }
    if (!touching.isEmpty()) {
      out.println();
      out.println("branches");
      int width = Math.min(40, touching.stream().mapToInt(b -> label(b).length()).max()
          .orElse(0));
      for (RadarReport.Branch b : touching) {
        out.println("  " + pad(label(b), width) + "  " + changes(b));
      }
    }
    if (touching.size() > 1 && touching.size() <= MATRIX) {
      matrix(r, touching, out);
    }
    if (!r.pairs().isEmpty()) {
      out.println();
      out.println(t.bold("pairs that collide when both merge into " + base + ": "
          + r.pairs().size()));
      for (RadarReport.Pair p : r.pairs()) {
        out.println("  " + Terminal.safe(p.first().label()) + " + "
            + Terminal.safe(p.second().label()));
        for (RadarReport.Collision c : p.collisions()) {
          out.println("    " + t.red(Terminal.safe(c.app()) + ": " + what(c, p)));
          out.println("      " + Terminal.safe(c.action()));
        }
      }
    }
    List<RadarReport.Branch> against = r.branches().stream()
        .filter(RadarReport.Branch::conflictsWithBase).toList();
    if (!against.isEmpty()) {
      out.println();
      out.println(t.bold("already conflicting with " + base + ": " + against.size()));
      for (RadarReport.Branch b : against) {
        for (RadarReport.BaseConflict c : b.againstBase()) {
          out.println("  " + label(b) + ": " + t.red(Terminal.safe(c.app()) + " has leaves "
              + Terminal.safe(String.join(", ", c.leaves()))));
          out.println("    " + Terminal.safe(c.action()));
        }
        for (String path : b.textConflicts()) {
          out.println("  " + label(b) + ": " + t.red("git merge stops on " + Terminal.safe(path)));
        }
      }
    }
    if (!r.hotApps().isEmpty()) {
      out.println();
      out.println("hot apps (changed by several branches)");
      for (RadarReport.HotApp h : r.hotApps()) {
        out.println("  " + Terminal.safe(h.app()) + " (" + h.branches().size() + "): "
            + Terminal.safe(String.join(", ", h.branches())));
      }
    }
    if (r.order() != null) {
      out.println();
      out.println("suggested order: " + Terminal.safe(String.join(", ", r.order().branches()))
          + " (needs " + work(r.order().mergeMigrations()) + "; the worst order needs "
          + r.order().worst() + ")");
    }
    if (!r.unreadable().isEmpty()) {
      out.println();
      out.println(t.yellow("could not read " + r.unreadable().size()));
      for (RadarReport.Unreadable u : r.unreadable()) {
        out.println("  " + Terminal.safe(u.head().label()) + ": " + Terminal.safe(u.message()));
        if (u.hint() != null) {
          out.println("    hint: " + Terminal.safe(u.hint()));
        }
      }
    }
    if (r.pairs().isEmpty() && against.isEmpty() && !r.branches().isEmpty()) {
      out.println();
      out.println(t.green("no collisions: the branches merge into " + base
          + " in any order without a merge migration"));
    }
    out.flush();
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  static String branches(int n) {
    return n + (n == 1 ? " branch" : " branches");
  }

  static String what(RadarReport.Collision c, RadarReport.Pair p) {
    return switch (c.kind()) {
      case DIVERGENT_LEAVES -> "divergent leaves " + Terminal.safe(String.join(", ", c.ours()))
          + " (" + Terminal.safe(p.first().label()) + ") and "
          + Terminal.safe(String.join(", ", c.theirs())) + " (" + Terminal.safe(p.second().label())
          + ")";
      case SAME_NAME -> "both add " + Terminal.safe(c.ours().get(0))
          + (c.gitStops() ? " (git merge stops)" : "");
      case SAME_EDIT -> "both edit " + Terminal.safe(c.ours().get(0))
          + (c.gitStops() ? " (git merge stops)" : "");
    };
  }

  private static String label(RadarReport.Branch b) {
    String aliases = b.aliases().isEmpty() ? ""
        : b.aliases().size() <= 3 ? " (also " + String.join(", ", b.aliases()) + ")"
        : " (and " + b.aliases().size() + " other refs at this commit)";
    return Terminal.safe(b.head().label() + aliases);
  }

  static String changes(RadarReport.Branch b) {
    List<String> parts = new ArrayList<>();
    for (RadarReport.AppChange a : b.apps()) {
      List<String> names = new ArrayList<>();
      a.added().forEach(n -> names.add("+" + n));
      a.edited().forEach(n -> names.add("~" + n));
      a.removed().forEach(n -> names.add("-" + n));
      parts.add(Terminal.safe(a.app()) + " " + Terminal.safe(String.join(" ", names)));
    }
    return String.join("; ", parts);
  }

  private void matrix(RadarReport r, List<RadarReport.Branch> rows, PrintWriter out) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      index.put(rows.get(i).head().label(), i);
    }
    char[][] cells = new char[rows.size()][rows.size()];
    for (char[] row : cells) {
      java.util.Arrays.fill(row, '.');
    }
    for (RadarReport.Pair p : r.pairs()) {
      Integer i = index.get(p.first().label());
      Integer j = index.get(p.second().label());
      if (i != null && j != null) {
        boolean divergent = p.collisions().stream()
            .anyMatch(c -> c.kind() == RadarReport.Kind.DIVERGENT_LEAVES);
        cells[i][j] = cells[j][i] = divergent ? 'X' : '=';
      }
    }
    out.println();
    out.println("matrix (X divergent leaves, = same migration name or edit, . none)");
    int width = String.valueOf(rows.size()).length();
    StringBuilder head = new StringBuilder(" ".repeat(width + 2));
    for (int j = 0; j < rows.size(); j++) {
      head.append(' ').append(String.format("%" + width + "d", j + 1));
    }
    out.println(head);
    for (int i = 0; i < rows.size(); i++) {
      StringBuilder line = new StringBuilder("  " + String.format("%" + width + "d", i + 1));
      for (int j = 0; j < rows.size(); j++) {
        String cell = String.valueOf(i == j ? '-' : cells[i][j]);
        line.append(" ".repeat(width)).append(cells[i][j] == 'X' ? t.red(cell) : cell);
      }
      out.println(line + "  " + Terminal.safe(rows.get(i).head().label()));
    }
  }

  static String work(int n) {
    return n + (n == 1 ? " merge migration or rename" : " merge migrations or renames");
  }
}
