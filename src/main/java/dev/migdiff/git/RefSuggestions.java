package dev.migdiff.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * Names close to a mistyped revision, as git's "did you mean" does: branches, tags and
 * remote-tracking branches within a small Damerau-Levenshtein distance (adjacent swaps count one).
 * Used only when a revision is unknown; each comparison is bounded, so thousands of refs stay fast.
 */
final class RefSuggestions {
  private static final int MAX_NAME = 200;
  private static final int MAX_SHOWN = 3;

  private RefSuggestions() {}

  /** Up to three names nearest to {@code typo}, sorted; empty when none is near. */
  static List<String> near(Repository repo, String typo) {
    if (typo.length() > MAX_NAME) {
      return List.of();
    }
    int limit = Math.max(1, Math.min(3, typo.length() / 3));
    TreeSet<String> names = new TreeSet<>();
    try {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix("refs/heads/", "refs/tags/",
          "refs/remotes/")) {
        String n = ref.getName();
        names.add(n.substring(n.startsWith("refs/remotes/") ? 13 : n.indexOf('/', 5) + 1));
      }
    } catch (IOException e) {
      return List.of();
    }
    int best = limit + 1;
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (name.endsWith("/HEAD") || Math.abs(name.length() - typo.length()) > limit
          || name.length() > MAX_NAME) {
        continue;
      }
      int d = distance(typo, name, limit);
      if (d > limit) {
        continue;
      }
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best && out.size() < MAX_SHOWN) {
        out.add(name);
      }
    }
    return out;
  }

  /**
   * The optimal-string-alignment distance of {@code a} and {@code b}, or {@code limit + 1} once it
   * must exceed {@code limit} (a row whose minimum is over the limit ends the computation).
   */
  static int distance(String a, String b, int limit) {
    int n = a.length();
    int m = b.length();
    int[] prev2 = new int[m + 1];
    int[] prev = new int[m + 1];
    int[] cur = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur[j] = v;
        rowMin = Math.min(rowMin, v);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return Math.min(prev[m], limit + 1);
  }
}
