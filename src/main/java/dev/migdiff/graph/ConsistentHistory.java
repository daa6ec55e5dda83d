package dev.migdiff.graph;

import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code MigrationLoader.check_consistent_history} (django/db/migrations/loader.py), listing every
 * case instead of raising at the first: an applied migration (a row) that is a node of the graph
 * and has a parent that is not applied, unless that parent is a squash whose {@code replaces}
 * are all applied.
 */
public final class ConsistentHistory {
  private ConsistentHistory() {}

  /** {@code migration} is applied before its dependency {@code parent}. */
  public record Inconsistency(MigrationKey migration, MigrationKey parent) {}

  /**
   * Checks {@code only} (rows of {@code rows}, or all rows when null) against {@code g}, built by
   * the same loader for these rows. {@code assumeApplied} holds for parents taken as applied
   * without a row (external apps' nodes when no database is read); a special name
   * ({@code __first__}) of an external app never has a row and is always taken as applied.
   */
  public static List<Inconsistency> check(MigrationGraph g, List<Migration> disk,
      Set<MigrationKey> rows, Iterable<MigrationKey> only, Predicate<MigrationKey> assumeApplied) {
    // the squashes of the disk, gathered when a parent without a row first asks (checks of a
    // few rows on a large project find none, and need not scan every migration)
    Map<MigrationKey, Migration> squashes = null;
    List<Inconsistency> out = new ArrayList<>();
    // Checking every row: only a child of a node without a row can be inconsistent. Those nodes
    // are few (what TO adds, what the switch took down), so their children are found first and
    // the rows are then walked in order, each asked one question of a small set: on a project
    // of 100,000 migrations this is one lookup per node instead of several per row and parent.
    Set<MigrationKey> suspects = only == null ? g.childrenOfNodesOutside(rows) : null;
    for (MigrationKey k : only == null ? rows : only) {
      if (suspects != null ? !suspects.contains(k) : !rows.contains(k)) {
        continue;
      }
      if (!g.contains(k)) {
        continue; // unknown rows are skipped
      }
      for (MigrationKey parent : g.parents(k)) {
        if (rows.contains(parent) || parent.isSpecial() || assumeApplied.test(parent)) {
          continue;
        }
        if (squashes == null) {
          squashes = new HashMap<>();
          for (Migration m : disk) {
            if (!m.replaces().isEmpty()) {
              squashes.put(m.key(), m);
            }
          }
        }
        Migration squash = squashes.get(parent);
        if (squash != null && rows.containsAll(squash.replacedKeys())) {
          continue;
        }
        out.add(new Inconsistency(k, parent));
      }
    }
    return out;
  }
}
