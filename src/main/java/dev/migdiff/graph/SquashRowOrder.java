package dev.migdiff.graph;

import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An order of a switch plan's commands that Django before 4.0 can run. Its
 * {@code unapply_migration} (executor.py) keeps an unapplied squash's own row (#25255), and every
 * {@code migrate} starts with {@code check_consistent_history}: once a command has unapplied a
 * squash and one of its dependencies, that row makes the next command raise
 * InconsistentMigrationHistory. So such a command must come last.
 */
public final class SquashRowOrder {
  /** At most this many orders are tried. */
  static final int MAX_ORDERS = 120;

  private SquashRowOrder() {}

  /** The plan to run, and the squash whose row still stops a command (null when none does). */
  public record Result(SwitchPlan plan, MigrationKey blocking) {}

  public static Result of(MigrationGraph g, Set<MigrationKey> usedSquashes,
      Set<MigrationKey> applied, SwitchPlan plan) {
    if (plan.commands().size() < 2 || plan.unapply().stream().noneMatch(usedSquashes::contains)) {
      return new Result(plan, null);
    }
    List<SwitchPlan.Command> original = plan.commands();
    int[] idx = new int[original.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    for (int attempt = 0; attempt < MAX_ORDERS; attempt++) {
      List<SwitchPlan.Command> order = new ArrayList<>();
      for (int i : idx) {
        order.add(original.get(i));
      }
      SwitchPlan p = attempt == 0 ? plan : SwitchPlanner.reorder(g, applied, plan, order);
      if (blocking(g, usedSquashes, applied, p) == null) {
        return new Result(p, null);
      }
      if (!nextPermutation(idx)) {
        break;
      }
    }
    return new Result(plan, blocking(g, usedSquashes, applied, plan));
  }

  /** The squash whose leftover row makes a command after the one that left it fail, if any. */
  private static MigrationKey blocking(MigrationGraph g, Set<MigrationKey> usedSquashes,
      Set<MigrationKey> applied, SwitchPlan plan) {
    Set<MigrationKey> now = new HashSet<>(applied);
    Set<MigrationKey> rows = new LinkedHashSet<>();
    for (int c = 0; c < plan.commands().size() - 1; c++) {
      for (MigrationKey k : plan.commands().get(c).unapplies()) {
        now.remove(k);
        if (usedSquashes.contains(k)) {
          rows.add(k);
        }
      }
      for (MigrationKey s : rows) {
        for (MigrationKey p : g.parents(s)) {
          if (!now.contains(p) && !g.isExternal(p)) {
            return s;
          }
        }
      }
    }
    return null;
  }

  /** Rearranges {@code a} into the next permutation in lexicographic order; false after the last. */
  private static boolean nextPermutation(int[] a) {
    int i = a.length - 2;
    while (i >= 0 && a[i] >= a[i + 1]) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    int j = a.length - 1;
    while (a[j] <= a[i]) {
      j--;
    }
    swap(a, i, j);
    for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
      swap(a, l, r);
    }
    return true;
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
