package dev.migdiff.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An order of merging colliding branches that needs the fewest merge migrations (or renames):
 * merging X needs one per app in which X collides with a branch merged before it. A branch built
 * on another collides with neither it nor, once both are in, anything twice: merging such stacks
 * together first is what saves work. Exact up to {@value #EXACT} branches, greedy beyond.
 */
final class RadarOrder {
  static final int EXACT = 8;

  private RadarOrder() {}

  static RadarReport.Order of(List<RadarReport.Pair> pairs) {
    Map<String, Map<String, Set<String>>> apps = new HashMap<>(); // label -> other -> apps
    TreeSet<String> labels = new TreeSet<>();
    for (RadarReport.Pair p : pairs) {
      for (RadarReport.Collision c : p.collisions()) {
        link(apps, p.first().label(), p.second().label(), c.app());
        link(apps, p.second().label(), p.first().label(), c.app());
      }
      labels.add(p.first().label());
      labels.add(p.second().label());
    }
    if (labels.size() < 3) {
      return null;
    }
    List<String> all = new ArrayList<>(labels);
    List<String> best;
    List<String> worst;
    if (all.size() <= EXACT) {
      List<List<String>> orders = new ArrayList<>();
      permute(all, 0, orders);
      best = orders.get(0);
      worst = orders.get(0);
      for (List<String> o : orders) {
        if (cost(o, apps) < cost(best, apps)) {
          best = o;
        }
        if (cost(o, apps) > cost(worst, apps)) {
          worst = o;
        }
      }
    } else {
      best = greedy(all, apps, true);
      worst = greedy(all, apps, false);
    }
    int b = cost(best, apps);
    int w = cost(worst, apps);
    return b < w ? new RadarReport.Order(List.copyOf(best), b, w) : null;
  }

  private static void link(Map<String, Map<String, Set<String>>> apps, String a, String b,
      String app) {
    apps.computeIfAbsent(a, k -> new HashMap<>()).computeIfAbsent(b, k -> new HashSet<>())
        .add(app);
  }

  /** Merge migrations (or renames) needed when merging in this order. */
  static int cost(List<String> order, Map<String, Map<String, Set<String>>> apps) {
    int total = 0;
    for (int i = 0; i < order.size(); i++) {
      Set<String> hit = new HashSet<>();
      Map<String, Set<String>> mine = apps.getOrDefault(order.get(i), Map.of());
      for (int j = 0; j < i; j++) {
        hit.addAll(mine.getOrDefault(order.get(j), Set.of()));
      }
      total += hit.size();
    }
    return total;
  }

  /** Lexicographic permutations, first the sorted order (so ties keep the earliest). */
  private static void permute(List<String> items, int from, List<List<String>> out) {
    if (from == items.size()) {
      out.add(new ArrayList<>(items));
      return;
    }
    for (int i = from; i < items.size(); i++) {
      List<String> next = new ArrayList<>(items);
      String x = next.remove(i);
      next.add(from, x);
      permute(next, from + 1, out);
    }
  }

  /** Picks next the branch adding the least (or most) work; ties: fewer partners, then name. */
  private static List<String> greedy(List<String> all,
      Map<String, Map<String, Set<String>>> apps, boolean least) {
    List<String> order = new ArrayList<>();
    Set<String> merged = new HashSet<>();
    List<String> left = new ArrayList<>(all);
    while (!left.isEmpty()) {
      String pick = null;
      int pickCost = 0;
      int pickPartners = 0;
      for (String x : left) {
        Map<String, Set<String>> mine = apps.getOrDefault(x, Map.of());
        Set<String> hit = new HashSet<>();
        mine.forEach((other, in) -> {
          if (merged.contains(other)) {
            hit.addAll(in);
          }
        });
        int c = hit.size();
        int partners = mine.size();
        boolean better = pick == null || (least ? c < pickCost : c > pickCost)
            || c == pickCost && (least ? partners < pickPartners : partners > pickPartners);
        if (better) {
          pick = x;
          pickCost = c;
          pickPartners = partners;
        }
      }
      order.add(pick);
      merged.add(pick);
      left.remove(pick);
    }
    return order;
  }
}
