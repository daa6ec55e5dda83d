package dev.migdiff.analysis;

import dev.migdiff.django.FieldState;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.graph.MigrationGraph;
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
    FieldState state = new FieldState();
  }

  /** The field state before each of {@code wanted}, each a copy the caller may advance. */
  static Map<MigrationKey, FieldState> before(MigrationGraph g, Collection<MigrationKey> wanted) {
    Set<MigrationKey> asked = new HashSet<>(wanted);
    // Operations only change their own app's models: other apps' migrations are not read.
    Set<String> askedApps = new HashSet<>();
    for (MigrationKey k : wanted) {
      askedApps.add(k.app());
    }
    Map<MigrationKey, FieldState> out = new HashMap<>();
    Map<String, Running> apps = new HashMap<>();
    for (MigrationKey k : g.forwardsPlan(wanted)) {
      Migration m = g.migration(k);
      if (m == null || !askedApps.contains(k.app())) {
        continue; // external and dummy nodes declare nothing
      }
      Running r = apps.computeIfAbsent(k.app(), a -> new Running());
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
        before = Comparison.stateBefore(g, k);
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
