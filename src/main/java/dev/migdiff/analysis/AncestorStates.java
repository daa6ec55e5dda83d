package dev.migdiff.analysis;

import dev.migdiff.django.FieldState;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.graph.MigrationGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Comparison#stateBefore} for many migrations at once, without one forwards plan per
 * migration (quadratic on a long history). One joined forwards plan visits every same-app
 * ancestor before its descendants; a running state per app is exact for the next migration
 * when the app's migrations so far form a chain ending in one of its parents (any topological
 * order of a chain is the same), or when its only parent is the migration the state was made
 * for (its forwards plan is then that parent's plan plus itself). Anywhere else (after
 * branches, a migration with several parents) the state is walked exactly, for the asked-for
 * migrations only.
 */
final class AncestorStates {
  private AncestorStates() {}

  private static final class Running {
    boolean chain = true;
    MigrationKey after;
    FieldState state;

    Running(FieldState state) {
      this.state = state;
    }
  }

  /**
   * The field state before each of {@code wanted}, each a copy the caller may advance. The
   * states keep only the models the checks of {@code wanted} read ({@link FieldState#scopeOf}):
   * an app none of them reads is not walked at all.
   */
  static Map<MigrationKey, FieldState> before(MigrationGraph g, Collection<MigrationKey> wanted) {
    Set<MigrationKey> asked = new HashSet<>(wanted);
    List<Migration> askedMigrations = new ArrayList<>();
    for (MigrationKey k : wanted) {
      if (g.migration(k) != null) {
        askedMigrations.add(g.migration(k));
      }
    }
    Map<String, Set<String>> scope = FieldState.scopeOf(askedMigrations);
    Map<MigrationKey, FieldState> out = new HashMap<>();
    List<MigrationKey> walked = new ArrayList<>();
    for (MigrationKey k : wanted) {
      if (scope.containsKey(k.app())) {
        walked.add(k);
      } else {
        out.put(k, FieldState.scoped(scope)); // nothing of its app is read
      }
    }
    if (walked.isEmpty()) {
      return out;
    }
    // Operations only change their own app's models: other apps' migrations are not read.
    Map<String, Running> apps = new HashMap<>();
    // (external and dummy nodes declare nothing)
    List<MigrationKey> plan = new ArrayList<>();
    List<Migration> read = new ArrayList<>();
    for (MigrationKey k : g.forwardsPlan(walked)) {
      Migration m = g.migration(k);
      if (m != null && scope.containsKey(k.app())) {
        plan.add(k);
        read.add(m);
      }
    }
    FieldState.prepare(read, scope);
    for (int i = 0; i < plan.size(); i++) {
      MigrationKey k = plan.get(i);
      Migration m = read.get(i);
      Running r = apps.computeIfAbsent(k.app(), a -> new Running(FieldState.scoped(scope)));
      List<MigrationKey> parents = g.parents(k);
      boolean exact;
      if (r.chain && (r.after == null || parents.contains(r.after))) {
        exact = true;
      } else {
        r.chain = false;
        exact = r.after != null && parents.size() == 1 && parents.get(0).equals(r.after);
      }
      FieldState before;
      if (exact) {
        before = r.state;
      } else if (asked.contains(k)) {
        before = Comparison.stateBefore(g, k, FieldState.scoped(scope));
      } else {
        r.after = null;
        r.state = null;
        continue;
      }
      if (asked.contains(k)) {
        out.put(k, before.copy());
      }
      before.apply(m);
      r.state = before;
      r.after = k;
    }
    return out;
  }
}
