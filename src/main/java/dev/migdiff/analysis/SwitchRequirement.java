package dev.migdiff.analysis;

import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.graph.ConsistentHistory;
import dev.migdiff.graph.GraphResult;
import dev.migdiff.graph.MigrationGraph;
import dev.migdiff.graph.SwitchPlan;
import dev.migdiff.graph.SwitchPlanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a switch from FROM to TO must unapply, decided as Django decides it at TO. Starting from
 * the applied migrations TO does not know, it plans the commands at FROM, works out the rows
 * they leave in {@code django_migrations}, builds TO's graph for those rows with TO's loader
 * rules (squash used iff all or none of its replaced migrations are applied) and runs
 * {@code check_consistent_history} there (loader.py); whatever TO rejects or does not know joins
 * the set, until nothing more does. Its result also says which unapplied migrations are
 * required (the rest are collateral: TO has them and a plain {@code migrate} re-applies them).
 */
final class SwitchRequirement {
  /** The fixpoint only grows; real projects settle in two or three rounds. */
  static final int MAX_ROUNDS = 64;

  /**
   * @param wanted what must be unapplied (the planner adds what depends on it at FROM)
   * @param required the unapplied migrations that could not stay applied at TO
   * @param leftover FROM squashes whose rows stay behind at TO, harmlessly
   * @param settled false when the round limit was reached
   */
  record Result(List<MigrationKey> wanted, Set<MigrationKey> required,
      List<MigrationKey> leftover, boolean settled) {}

  private final MigrationGraph fg;
  private final Set<MigrationKey> applied;
  private final Set<MigrationKey> rows;
  private final Function<Set<MigrationKey>, GraphResult> toGraph;
  private final Predicate<MigrationKey> assumeApplied;
  private final Map<MigrationKey, Migration> fromSquashes = new HashMap<>();
  /** TO's migrations by app, and their keys for the apps asked about (see {@link #atTo}). */
  private final Map<String, List<Migration>> toByApp;
  private final Map<String, Set<MigrationKey>> toKeys = new HashMap<>();
  /**
   * FROM's nodes TO has no file for, in FROM's order: the only ones TO may not know (a key with
   * a file at TO is known), so each round looks at these rather than at every node.
   */
  private final List<MigrationKey> notAtTo = new ArrayList<>();
  private final List<Migration> toDisk;
  /** Which TO squashes replace a key (flattened). */
  private final Map<MigrationKey, List<MigrationKey>> replacedBy = new HashMap<>();
  /** The FROM squash in use that holds a replaced row. */
  private final Map<MigrationKey, MigrationKey> heldBy = new HashMap<>();
  private final boolean recordsSquashUnapply;

  /**
   * @param fgr FROM's graph as its loader builds it for the applied rows
   * @param applied what is applied at FROM, as FROM's loader counts it
   * @param rows the rows of {@code django_migrations} (the database's, or what {@code migrate}
   *     records at FROM)
   * @param toGraph TO's graph as its loader builds it for a set of rows
   * @param assumeApplied parents taken as applied without a row (external apps, no database)
   */
  SwitchRequirement(Snapshot from, GraphResult fgr, Set<MigrationKey> applied,
      Set<MigrationKey> rows, Snapshot to, Function<Set<MigrationKey>, GraphResult> toGraph,
      Predicate<MigrationKey> assumeApplied) {
    this.fg = fgr.graph();
    this.applied = applied;
    this.rows = rows;
    this.toGraph = toGraph;
    this.assumeApplied = assumeApplied;
    this.toDisk = to.project().migrations();
    this.recordsSquashUnapply = from.config().django().djangoAtLeast(4, 0);
    for (Migration m : from.project().migrations()) {
      if (!m.replaces().isEmpty()) {
        fromSquashes.put(m.key(), m);
      }
    }
    for (Migration m : fromSquashes.isEmpty() ? List.<Migration>of() : fg.migrations()) {
      Migration s = fromSquashes.get(m.key());
      if (s != null) {
        for (MigrationKey r : flatten(s, fromSquashes)) {
          heldBy.putIfAbsent(r, m.key());
        }
      }
    }
    this.toByApp = to.project().migrationsByApp();
    Map<MigrationKey, Migration> toSquashes = new HashMap<>();
    for (Migration m : toDisk) {
      if (!m.replaces().isEmpty()) {
        toSquashes.put(m.key(), m);
      }
    }
    for (Migration s : toSquashes.values()) {
      for (MigrationKey r : flatten(s, toSquashes)) {
        replacedBy.computeIfAbsent(r, x -> new ArrayList<>()).add(s.key());
      }
    }
    // An app whose migrations FROM and TO read alike (one list) has a file at TO for each.
    Set<MigrationKey> missing = new HashSet<>();
    from.project().migrationsByApp().forEach((app, list) -> {
      if (list != toByApp.get(app)) {
        for (Migration m : list) {
          if (!atTo(m.key())) {
            missing.add(m.key());
          }
        }
      }
    });
    for (Migration m : missing.isEmpty() ? List.<Migration>of() : fg.migrations()) {
      if (missing.contains(m.key())) {
        notAtTo.add(m.key());
      }
    }
  }

  /** Whether TO has a file for {@code k}. */
  private boolean atTo(MigrationKey k) {
    Set<MigrationKey> keys = toKeys.get(k.app());
    if (keys == null) {
      keys = new HashSet<>();
      for (Migration m : toByApp.getOrDefault(k.app(), List.of())) {
        keys.add(m.key());
      }
      toKeys.put(k.app(), keys);
    }
    return keys.contains(k);
  }

  /** The rows {@code migrate} records at FROM from an empty database: every file, replaced ones included. */
  static Set<MigrationKey> recordedRows(Snapshot from) {
    Set<MigrationKey> out = new LinkedHashSet<>();
    Map<MigrationKey, Migration> squashes = new HashMap<>();
    for (Migration m : from.project().migrations()) {
      out.add(m.key());
      if (!m.replaces().isEmpty()) {
        squashes.put(m.key(), m);
      }
    }
    for (Migration s : squashes.values()) {
      out.addAll(flatten(s, squashes));
    }
    return out;
  }

  Result solve(Predicate<MigrationKey> usableTarget) {
    Set<MigrationKey> wanted = new LinkedHashSet<>();
    SwitchPlan plan = null;
    Set<MigrationKey> left = null;
    GraphResult tg = null;
    List<ConsistentHistory.Inconsistency> inconsistent = List.of();
    boolean settled = false;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      plan = SwitchPlanner.plan(fg, applied, wanted, usableTarget);
      Set<MigrationKey> gone = new HashSet<>(plan.unapply());
      left = rowsAfter(gone, !plan.commands().isEmpty());
      tg = toGraph.apply(left);
      Set<MigrationKey> more = new LinkedHashSet<>();
      for (MigrationKey k : notAtTo) {
        if (applied.contains(k) && !gone.contains(k) && !known(k, tg)) {
          more.add(k);
        }
      }
      inconsistent = ConsistentHistory.check(tg.graph(), toDisk, left, null, assumeApplied);
      for (ConsistentHistory.Inconsistency i : inconsistent) {
        MigrationKey k = atFrom(i.migration());
        if (k != null && applied.contains(k) && !gone.contains(k)) {
          more.add(k);
        }
      }
      if (wanted.containsAll(more)) {
        settled = true;
        break;
      }
      wanted.addAll(more);
    }
    return new Result(new ArrayList<>(wanted), required(plan.unapply(), left, tg, inconsistent),
        leftover(plan.unapply(), tg), settled);
  }

  /**
   * The unapplied migrations that could not have stayed applied: TO does not know them, or TO's
   * {@code check_consistent_history} rejects them when kept (with their FROM ancestors the
   * commands took down, which they cannot stay without), unless FROM's backwards plan of another
   * required migration takes them down anyway (then they are collateral).
   */
  private Set<MigrationKey> required(List<MigrationKey> unapplied, Set<MigrationKey> left,
      GraphResult tg, List<ConsistentHistory.Inconsistency> inconsistent) {
    // TO's check of these rows, as the last round made it (the same graph and rows)
    Set<MigrationKey> base = new HashSet<>();
    for (ConsistentHistory.Inconsistency i : inconsistent) {
      base.add(i.migration());
    }
    Set<MigrationKey> required = new LinkedHashSet<>();
    Set<MigrationKey> forced = new HashSet<>();
    Set<MigrationKey> gone = new HashSet<>(unapplied);
    for (int i = unapplied.size() - 1; i >= 0; i--) { // FROM's dependency order
      MigrationKey k = unapplied.get(i);
      boolean need = !known(k, tg);
      if (!need && !forced.contains(k)) {
        // Kept applied, with what it needs at FROM that the commands took down too.
        List<MigrationKey> own = new ArrayList<>();
        for (MigrationKey a : fg.forwardsPlan(k)) {
          if (gone.contains(a)) {
            own.addAll(rowsOf(a));
          }
        }
        Set<MigrationKey> kept;
        GraphResult g;
        if (own.stream().anyMatch(replacedBy::containsKey)) {
          kept = new LinkedHashSet<>(left);
          kept.addAll(own);
          g = toGraph.apply(kept);
        } else {
          // only asked whether it contains a key: no copy of every row per migration
          kept = new Union(left, new HashSet<>(own));
          g = tg;
        }
        need = !known(k, g) || ConsistentHistory.check(g.graph(), toDisk, kept, own,
            assumeApplied).stream().anyMatch(x -> !base.contains(x.migration()));
      }
      if (need) {
        required.add(k);
        for (MigrationKey d : fg.backwardsPlan(k)) {
          if (!d.equals(k)) {
            forced.add(d);
          }
        }
      }
    }
    return required;
  }

  /** FROM squashes left applied whose rows TO has no file for, though it knows what they replace. */
  private List<MigrationKey> leftover(List<MigrationKey> unapplied, GraphResult tg) {
    Set<MigrationKey> gone = new HashSet<>(unapplied);
    List<MigrationKey> out = new ArrayList<>();
    for (MigrationKey k : notAtTo) {
      if (applied.contains(k) && !gone.contains(k) && fromSquashes.containsKey(k)
          && !replacedBy.containsKey(k) && known(k, tg)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Whether Django at TO knows an applied key: TO has its file, or a squash TO uses replaces it,
   * or it is a FROM squash and TO knows everything it replaces.
   */
  private boolean known(MigrationKey k, GraphResult tg) {
    if (knownRow(k, tg)) {
      return true;
    }
    Migration squash = fromSquashes.get(k);
    if (squash == null) {
      return false;
    }
    for (MigrationKey r : flatten(squash, fromSquashes)) {
      if (!knownRow(r, tg)) {
        return false;
      }
    }
    return true;
  }

  private boolean knownRow(MigrationKey k, GraphResult tg) {
    if (atTo(k)) {
      return true;
    }
    for (MigrationKey s : replacedBy.getOrDefault(k, List.of())) {
      if (tg.usedSquashes().contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** The FROM node that holds a row: itself, or the FROM squash in use that replaces it. */
  private MigrationKey atFrom(MigrationKey row) {
    return fg.migration(row) != null ? row : heldBy.get(row);
  }

  /** The rows a migration of FROM's graph stands for: itself and, for a squash, what it replaces. */
  private List<MigrationKey> rowsOf(MigrationKey k) {
    List<MigrationKey> out = new ArrayList<>();
    out.add(k);
    Migration s = fromSquashes.get(k);
    if (s != null) {
      out.addAll(flatten(s, fromSquashes));
    }
    return out;
  }

  /**
   * The rows after FROM's commands unapplied {@code gone}: {@code unapply_migration} deletes a
   * migration's row, and a squash's replaced rows (and, since Django 4.0, its own, #25255); then
   * {@code check_replacements} records every squash whose replaced migrations are all applied.
   */
  private Set<MigrationKey> rowsAfter(Set<MigrationKey> gone, boolean ran) {
    Set<MigrationKey> deleted = new HashSet<>();
    for (MigrationKey k : gone) {
      Migration s = fromSquashes.get(k);
      if (s == null) {
        deleted.add(k);
        continue;
      }
      deleted.addAll(flatten(s, fromSquashes));
      if (recordsSquashUnapply) {
        deleted.add(k);
      }
    }
    RowsAfter out = new RowsAfter(rows, deleted);
    if (ran) {
      for (Migration s : fromSquashes.values()) {
        if (out.containsAll(s.replacedKeys())) {
          out.record(s.key());
        }
      }
    }
    return out;
  }

  /**
   * The rows of {@code django_migrations} after some are deleted and others recorded, without a
   * copy of every row (a project of 100,000 migrations has as many): ordered as a copy of
   * {@code rows} would be, the deleted ones taken out and recorded ones not in it added last.
   */
  private static final class RowsAfter extends java.util.AbstractSet<MigrationKey> {
    private final Set<MigrationKey> rows;
    private final Set<MigrationKey> deleted;
    private final Set<MigrationKey> recorded = new LinkedHashSet<>();

    RowsAfter(Set<MigrationKey> rows, Set<MigrationKey> deleted) {
      this.rows = rows;
      this.deleted = deleted;
    }

    void record(MigrationKey k) {
      if (!contains(k)) {
        recorded.add(k);
      }
    }

    @Override
    public boolean contains(Object o) {
      return rows.contains(o) && !deleted.contains(o) || recorded.contains(o);
    }

    @Override
    public java.util.Iterator<MigrationKey> iterator() {
      return java.util.stream.Stream.concat(rows.stream().filter(k -> !deleted.contains(k)),
          recorded.stream()).iterator();
    }

    @Override
    public int size() {
      int kept = 0;
      for (MigrationKey k : deleted) {
        if (rows.contains(k)) {
          kept--;
        }
      }
      return rows.size() + kept + recorded.size();
    }
  }

  /** Two sets as one, for membership questions (iterated only in the slow, general way). */
  private static final class Union extends java.util.AbstractSet<MigrationKey> {
    private final Set<MigrationKey> a;
    private final Set<MigrationKey> b;

    Union(Set<MigrationKey> a, Set<MigrationKey> b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public boolean contains(Object o) {
      return a.contains(o) || b.contains(o);
    }

    @Override
    public java.util.Iterator<MigrationKey> iterator() {
      return java.util.stream.Stream.concat(a.stream(), b.stream().filter(k -> !a.contains(k)))
          .iterator();
    }

    @Override
    public int size() {
      return a.size() + (int) b.stream().filter(k -> !a.contains(k)).count();
    }
  }

  private static List<MigrationKey> flatten(Migration squash, Map<MigrationKey, Migration> all) {
    Set<MigrationKey> out = new LinkedHashSet<>();
    List<Migration> todo = new ArrayList<>(List.of(squash));
    Set<MigrationKey> seen = new HashSet<>(Set.of(squash.key()));
    while (!todo.isEmpty()) {
      Migration s = todo.remove(todo.size() - 1);
      for (MigrationKey k : s.replacedKeys()) {
        out.add(k);
        Migration nested = all.get(k);
        if (nested != null && seen.add(k)) {
          todo.add(nested);
        }
      }
    }
    return new ArrayList<>(out);
  }
}
