package dev.migdiff.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A Markdown comment kept under a size limit by dropping whole rows, least important first, and
 * saying how many were dropped: a table or list is never cut in the middle of a row.
 */
final class MarkdownParts {
  /** Rank 0 is always shown whole; higher ranks give way first. */
  record Part(int rank, String open, String tableHead, List<String> rows, String noun,
      String close) {
    static Part fixed(String text) {
      return new Part(0, text, "", List.of(), "", "");
    }
  }

  private final List<Part> parts = new ArrayList<>();
  private final int limit;

  MarkdownParts(int limit) {
    this.limit = limit;
  }

  MarkdownParts add(Part p) {
    parts.add(p);
    return this;
  }

  MarkdownParts add(String fixed) {
    return add(Part.fixed(fixed));
  }

  String render() {
    int[] kept = new int[parts.size()];
    long total = 0;
    for (int i = 0; i < parts.size(); i++) {
      kept[i] = parts.get(i).rows().size();
      total += length(parts.get(i), kept[i]);
    }
    if (total > limit) {
      total = 0;
      for (int i = 0; i < parts.size(); i++) {
        kept[i] = parts.get(i).rank() == 0 ? parts.get(i).rows().size() : 0;
        total += length(parts.get(i), kept[i]);
      }
      int maxRank = parts.stream().mapToInt(Part::rank).max().orElse(0);
      for (int rank = 1; rank <= maxRank; rank++) {
        for (int i = 0; i < parts.size(); i++) {
          Part p = parts.get(i);
          if (p.rank() != rank) {
            continue;
          }
          while (kept[i] < p.rows().size()) {
            long next = total - length(p, kept[i]) + length(p, kept[i] + 1);
            if (next > limit) {
              break;
            }
            total = next;
            kept[i]++;
          }
        }
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      render(parts.get(i), kept[i], b);
    }
    return b.toString();
  }

  private long length(Part p, int kept) {
    long n = p.open().length() + p.close().length() + (kept > 0 ? p.tableHead().length() : 0);
    for (int r = 0; r < kept; r++) {
      n += p.rows().get(r).length();
    }
    return n + note(p, kept).length();
  }

  private String note(Part p, int kept) {
    int omitted = p.rows().size() - kept;
    return omitted == 0 ? "" : "\n_" + omitted + (kept == 0 ? " " : " more ") + p.noun()
        + " not shown: the comment is kept under " + String.format(java.util.Locale.ROOT, "%,d", limit)
        + " characters; run migdiff locally for everything._\n";
  }

  private void render(Part p, int kept, StringBuilder b) {
    b.append(p.open());
    if (kept > 0) {
      b.append(p.tableHead());
    }
    for (int r = 0; r < kept; r++) {
      b.append(p.rows().get(r));
    }
    b.append(note(p, kept)).append(p.close());
  }
}
