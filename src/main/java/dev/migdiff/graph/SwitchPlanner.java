package dev.migdiff.graph;

import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds {@code migrate app target} commands that unapply a set of migrations with as little
 * collateral as Django's rule allows ({@code migrate app T} unapplies every same-app child of T
 * and all their dependents). Greedy: at each step it simulates every useful command and takes
 * the one with the least collateral, then the most progress.
 */
public final class SwitchPlanner {
  private SwitchPlanner() {}

  /**
   * @param g the graph at the revision whose files are on disk when the commands run
   * @param applied what is applied before the first command
   * @param wanted what must end up unapplied (closed under dependents here)
   * @param usableTarget whether a name can be typed as a target (full, unambiguous)
   */
  public static SwitchPlan plan(MigrationGraph g, Set<MigrationKey> applied,
      Collection<MigrationKey> wanted, Predicate<MigrationKey> usableTarget) {
    Set<MigrationKey> target = new LinkedHashSet<>();
    for (MigrationKey d : g.backwardsPlan(wanted.stream().filter(applied::contains).toList())) {
      if (applied.contains(d)) {
        target.add(d);
      }
    }
    Applied now = new Applied(applied);
    Set<MigrationKey> remaining = new TreeSet<>(target);
    List<SwitchPlan.Command> commands = new ArrayList<>();
    List<MigrationKey> order = new ArrayList<>();
    while (!remaining.isEmpty()) {
      SwitchPlan.Command best = null;
      int bestCollateral = Integer.MAX_VALUE;
      int bestProgress = 0;
      for (Candidate c : candidates(g, now, remaining, usableTarget)) {
        List<MigrationKey> plan = BackwardsPlan.of(g, now, c.app, c.target);
        int progress = 0;
        int collateral = 0;
        for (MigrationKey m : plan) {
          if (remaining.contains(m)) {
            progress++;
          } else if (!target.contains(m)) {
            collateral++;
          }
        }
        if (progress > 0 && (collateral < bestCollateral
            || (collateral == bestCollateral && progress > bestProgress))) {
          best = new SwitchPlan.Command(c.app, c.target == null ? null : c.target.name(), plan);
          bestCollateral = collateral;
          bestProgress = progress;
        }
      }
      if (best == null) {
        break;
      }
      commands.add(best);
      for (MigrationKey m : best.unapplies()) {
        now.gone.add(m);
        remaining.remove(m);
        order.add(m);
      }
    }
    return prune(g, applied, target, commands, new ArrayList<>(remaining));
  }

  /** Drops commands that later ones make redundant, without adding collateral, and replays. */
  private static SwitchPlan prune(MigrationGraph g, Set<MigrationKey> applied,
      Set<MigrationKey> target, List<SwitchPlan.Command> commands, List<MigrationKey> unreachable) {
    List<SwitchPlan.Command> current = commands;
    SwitchPlan best = replay(g, applied, target, current, unreachable);
    for (int i = 0; i < current.size() && current.size() > 1; ) {
      List<SwitchPlan.Command> without = new ArrayList<>(current);
      without.remove(i);
      SwitchPlan p = replay(g, applied, target, without, unreachable);
      boolean covers = new HashSet<>(p.unapply()).containsAll(best.unapply().stream()
          .filter(target::contains).toList());
      if (covers && p.collateral().size() <= best.collateral().size()) {
        current = p.commands();
        best = p;
      } else {
        i++;
      }
    }
    return best;
  }

  /**
   * The same commands run in another order. What each one unapplies depends on the order, so the
   * plan is replayed; the union stays the same, and so do the collateral ones.
   */
  public static SwitchPlan reorder(MigrationGraph g, Set<MigrationKey> applied, SwitchPlan plan,
      List<SwitchPlan.Command> order) {
    Set<MigrationKey> target = new LinkedHashSet<>(plan.unapply());
    target.removeAll(plan.collateral());
    return replay(g, applied, target, order, plan.unreachable());
  }

  private static SwitchPlan replay(MigrationGraph g, Set<MigrationKey> applied,
      Set<MigrationKey> target, List<SwitchPlan.Command> commands, List<MigrationKey> unreachable) {
    Applied now = new Applied(applied);
    List<SwitchPlan.Command> out = new ArrayList<>();
    List<MigrationKey> order = new ArrayList<>();
    for (SwitchPlan.Command c : commands) {
      MigrationKey t = c.target() == null ? null : new MigrationKey(c.app(), c.target());
      List<MigrationKey> plan = BackwardsPlan.of(g, now, c.app(), t);
      if (plan.isEmpty()) {
        continue;
      }
      now.gone.addAll(plan);
      order.addAll(plan);
      out.add(new SwitchPlan.Command(c.app(), c.target(), plan));
    }
    List<MigrationKey> collateral = order.stream().filter(m -> !target.contains(m)).toList();
    return new SwitchPlan(out, order, collateral, unreachable);
  }

  /**
   * What is applied after some commands: {@code before} less what they unapplied, asked without
   * a copy of {@code before} (100,000 keys on a large project, and a plan is replayed once per
   * command while pruning).
   */
  private static final class Applied extends java.util.AbstractSet<MigrationKey> {
    private final Set<MigrationKey> before;
    final Set<MigrationKey> gone = new HashSet<>();

    Applied(Set<MigrationKey> before) {
      this.before = before;
    }

    @Override
    public boolean contains(Object o) {
      return before.contains(o) && !gone.contains(o);
    }

    @Override
    public java.util.Iterator<MigrationKey> iterator() {
      return before.stream().filter(k -> !gone.contains(k)).iterator();
    }

    @Override
    public int size() {
      return (int) before.stream().filter(k -> !gone.contains(k)).count();
    }
  }

  private record Candidate(String app, MigrationKey target) {}

  private static List<Candidate> candidates(MigrationGraph g, Set<MigrationKey> applied,
      Set<MigrationKey> remaining, Predicate<MigrationKey> usable) {
    Set<Candidate> out = new LinkedHashSet<>();
    for (MigrationKey m : remaining) {
      boolean minimal = true;
      List<MigrationKey> sameAppParents = new ArrayList<>();
      for (MigrationKey p : g.parents(m)) {
        if (p.app().equals(m.app())) {
          sameAppParents.add(p);
          if (remaining.contains(p)) {
            minimal = false;
          }
        }
      }
      if (!minimal) {
        continue;
      }
      // The nearest applied same-app ancestors that can be typed as a target; zero if none.
      List<MigrationKey> frontier = new ArrayList<>(sameAppParents);
      Set<MigrationKey> seen = new java.util.HashSet<>(frontier);
      boolean found = false;
      while (!frontier.isEmpty()) {
        List<MigrationKey> next = new ArrayList<>();
        for (MigrationKey p : frontier) {
          if (applied.contains(p) && usable.test(p)) {
            out.add(new Candidate(m.app(), p));
            found = true;
            continue;
          }
          for (MigrationKey pp : g.parents(p)) {
            if (pp.app().equals(m.app()) && seen.add(pp)) {
              next.add(pp);
            }
          }
        }
        frontier = found ? List.of() : next;
      }
      if (!found) {
        out.add(new Candidate(m.app(), null));
      }
    }
    return new ArrayList<>(out);
  }
}
