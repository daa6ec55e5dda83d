package dev.migdiff.graph;

import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code migrate APP TARGET} unapplies, in order, as {@code MigrationExecutor.migration_plan}
 * (django/db/migrations/executor.py) computes it for an applied target or {@code zero}.
 */
public final class BackwardsPlan {
  private BackwardsPlan() {}

  /**
   * The migrations {@code migrate app target} unapplies ({@code target} null means zero), given
   * what is applied; empty if the target is not applied (Django would migrate forwards).
   */
  public static List<MigrationKey> of(MigrationGraph g, Set<MigrationKey> applied, String app,
      MigrationKey target) {
    List<MigrationKey> plan = new ArrayList<>();
    // What this plan already unapplied; never a copy of everything applied (100,000 keys on a
    // large project, and the planner asks for many plans).
    java.util.Set<MigrationKey> done = new java.util.HashSet<>();
    List<MigrationKey> starts = new ArrayList<>();
    if (target == null) {
      starts.addAll(g.rootNodes(app));
    } else if (applied.contains(target)) {
      for (MigrationKey child : g.children(target)) {
        if (child.app().equals(app)) {
          starts.add(child);
        }
      }
    } else {
      return plan;
    }
    // One walk for all starts: the same order as one plan per start joined without repeats.
    for (MigrationKey m : g.backwardsPlan(starts)) {
      if (applied.contains(m) && done.add(m)) {
        plan.add(m);
      }
    }
    return plan;
  }
}
