package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.django.Migration;
import dev.migdiff.django.Migration.Dependency;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.testing.Bounded;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every graph walk terminates and stays linear on any graph (cycles, self-loops, dangling
 * dependencies, squashes, run_before, diamond ladders with 2^60 paths), and on acyclic graphs
 * gives exactly the order of a plain transliteration of Django's {@code iterative_dfs}. Plain
 * JUnit over seeded random graphs; each case runs under {@link Bounded}'s time limit, and a
 * failure names its seed.
 */
class GraphWalkPropertyTest {
  private static final int CASES = 3000;
  private static final List<String> APPS = List.of("shop", "blog", "auth2");

  @Test
  void randomGraphs() {
    Random seeds = new Random(20261130L);
    int cyclic = 0;
    int acyclic = 0;
    for (int i = 0; i < CASES; i++) {
      long seed = seeds.nextLong();
      boolean[] wasCyclic = new boolean[1];
      try {
        Bounded.run(() -> wasCyclic[0] = check(generate(seed)));
      } catch (AssertionError e) {
        throw new AssertionError("case " + i + " (seed " + seed + "L): " + e.getMessage(), e);
      }
      if (wasCyclic[0]) {
        cyclic++;
      } else {
        acyclic++;
      }
    }
    // The generator must really produce both kinds, in numbers.
    assertTrue(cyclic > CASES / 10 && acyclic > CASES / 3, cyclic + " cyclic, " + acyclic + " acyclic");
  }

  @Test
  void diamondLadderOfDepth60() {
    Bounded.run(() -> {
      List<Migration> disk = new ArrayList<>();
      disk.add(mig("shop", "0000_root", List.of()));
      String below = "0000_root";
      String belowB = "0000_root";
      for (int i = 1; i <= 60; i++) {
        String a = String.format("%04d_a", i);
        String b = String.format("%04d_b", i);
        disk.add(mig("shop", a, List.of(Dependency.of("shop", below), Dependency.of("shop", belowB))));
        disk.add(mig("shop", b, List.of(Dependency.of("shop", below), Dependency.of("shop", belowB))));
        below = a;
        belowB = b;
      }
      disk.add(mig("shop", "0061_top", List.of(Dependency.of("shop", below), Dependency.of("shop", belowB))));
      check(disk);
      MigrationGraph g = build(disk).graph();
      assertEquals(122, g.forwardsPlan(new MigrationKey("shop", "0061_top")).size());
      assertEquals(122, g.backwardsPlan(new MigrationKey("shop", "0000_root")).size());
    });
  }

  @Test
  void largeCyclicGraphIsWalkedWithinTheBound() {
    // 9,000 migrations in three apps, each with up to four parents, closed into cycles: a walk
    // that loops never finishes, and a quadratic one (9,000 walks of 36,000 edges) cannot
    // finish within the bound even on an idle machine; the linear walks take well under a
    // second.
    Bounded.run(() -> {
      Random r = new Random(7);
      List<Migration> disk = new ArrayList<>();
      int n = 3_000;
      for (String app : APPS) {
        for (int i = 0; i < n; i++) {
          List<Dependency> deps = new ArrayList<>();
          if (i > 0) {
            deps.add(Dependency.of(app, name(i - 1)));
          }
          for (int j = 0; j < 3; j++) {
            deps.add(Dependency.of(APPS.get(r.nextInt(3)), name(r.nextInt(n))));
          }
          disk.add(mig(app, name(i), dedupe(deps)));
        }
      }
      GraphResult gr = build(disk);
      MigrationGraph g = gr.graph();
      assertTrue(gr.problems().stream().anyMatch(p -> p.code().equals("circular-dependency")));
      for (String app : APPS) {
        // Each app's chain is in its first migration's descendants and its last's ancestors.
        assertTrue(g.forwardsPlan(new MigrationKey(app, name(n - 1))).size() >= n);
        assertTrue(g.backwardsPlan(new MigrationKey(app, name(0))).size() >= n);
        List<MigrationKey> zero = BackwardsPlan.of(g, Set.copyOf(vertices(g, disk)), app, null);
        assertEquals(zero.size(), new HashSet<>(zero).size());
      }
    });
  }

  // ---- the generator ----

  private static String name(int i) {
    return String.format("%04d_m", i);
  }

  private static Migration mig(String app, String name, List<Dependency> deps) {
    return mig(app, name, deps, List.of(), List.of());
  }

  private static Migration mig(String app, String name, List<Dependency> deps,
      List<Dependency> runBefore, List<Dependency> replaces) {
    return new Migration(new MigrationKey(app, name), app + "/migrations/" + name + ".py", null,
        null, deps, runBefore, replaces, null, true, List.of());
  }

  private static GraphResult build(List<Migration> disk) {
    return GraphBuilder.buildKeepingJGraphT(disk,
        new AppSets(Set.copyOf(APPS), Set.of(), Set.of("auth"), true));
  }

  /**
   * A random project: DAG edges to earlier migrations (any app), with random back edges
   * (cycles), self-loops, dangling names, __first__/__latest__, run_before, external nodes,
   * diamond ladders and squashes (some depending on what they replace).
   */
  static List<Migration> generate(long seed) {
    Random r = new Random(seed);
    int apps = 1 + r.nextInt(3);
    int n = 1 + r.nextInt(r.nextInt(5) == 0 ? 120 : 30);
    boolean cycles = r.nextInt(4) == 0;
    boolean selfLoop = r.nextInt(12) == 0;
    boolean dangling = r.nextInt(4) == 0;
    boolean ladder = r.nextInt(6) == 0;
    List<MigrationKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(new MigrationKey(APPS.get(r.nextInt(apps)), name(i)));
    }
    List<Migration> disk = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      MigrationKey k = keys.get(i);
      List<Dependency> deps = new ArrayList<>();
      List<Dependency> runBefore = new ArrayList<>();
      if (ladder && i >= 2) {
        deps.add(Dependency.of(keys.get(i - 1).app(), keys.get(i - 1).name()));
        deps.add(Dependency.of(keys.get(i - 2).app(), keys.get(i - 2).name()));
      }
      int fanIn = i == 0 ? 0 : r.nextInt(4);
      for (int j = 0; j < fanIn; j++) {
        MigrationKey p = keys.get(r.nextInt(i));
        deps.add(Dependency.of(p.app(), p.name()));
      }
      if (cycles && i > 0 && r.nextInt(5) == 0) {
        MigrationKey later = keys.get(i + r.nextInt(n - i));
        deps.add(Dependency.of(later.app(), later.name()));
      }
      if (selfLoop && r.nextInt(8) == 0) {
        deps.add(Dependency.of(k.app(), k.name()));
      }
      if (dangling && r.nextInt(6) == 0) {
        deps.add(Dependency.of(APPS.get(r.nextInt(apps)), "9999_missing_" + r.nextInt(3)));
      }
      if (r.nextInt(10) == 0) {
        deps.add(Dependency.of(APPS.get(r.nextInt(apps)), r.nextBoolean() ? "__first__" : "__latest__"));
      }
      if (r.nextInt(15) == 0) {
        deps.add(Dependency.of("auth", "0001_initial"));
      }
      if (r.nextInt(12) == 0 && i + 1 < n) {
        MigrationKey c = keys.get(i + 1 + r.nextInt(n - i - 1));
        runBefore.add(Dependency.of(c.app(), c.name()));
      }
      disk.add(mig(k.app(), k.name(), dedupe(deps), runBefore, List.of()));
    }
    if (n > 3 && r.nextInt(5) == 0) {
      // A squash of a run of one app's migrations, sometimes depending on one it replaces.
      String app = keys.get(r.nextInt(n)).app();
      List<Dependency> replaces = new ArrayList<>();
      for (MigrationKey k : keys) {
        if (k.app().equals(app) && r.nextBoolean()) {
          replaces.add(Dependency.of(app, k.name()));
        }
      }
      List<Dependency> deps = new ArrayList<>();
      if (!replaces.isEmpty() && r.nextInt(3) == 0) {
        deps.add(replaces.get(r.nextInt(replaces.size())));
      }
      disk.add(mig(app, "0001_squashed_x", deps, List.of(), replaces));
    }
    return disk;
  }

  /** Every question a finished graph answers from its arrays, asked of every node and app. */
  static List<Object> answers(MigrationGraph g, Set<MigrationKey> nodes) {
    List<Object> out = new ArrayList<>();
    for (MigrationKey x : nodes) {
      out.add(g.parents(x));
      out.add(g.children(x));
      out.add(g.forwardsPlan(x));
      out.add(g.backwardsPlan(x));
      out.add(g.contains(x));
      out.add(g.containsAny(x));
      out.add(g.isExternal(x));
      out.add(g.migration(x));
    }
    MigrationKey none = new MigrationKey("a", "9999_no_such_node");
    out.add(List.of(g.contains(none), g.containsAny(none), String.valueOf(g.migration(none))));
    List<Migration> migrations = new ArrayList<>();
    g.migrations().forEach(migrations::add);
    out.add(migrations);
    for (String app : APPS) {
      out.add(g.leafNodes(app));
      out.add(g.rootNodes(app));
    }
    out.add(g.leafNodes(null));
    out.add(g.rootNodes(null));
    out.add(g.externalParents());
    out.add(g.findCycle());
    out.add(g.childrenOfNodesOutside(Set.copyOf(new ArrayList<>(nodes).subList(0,
        nodes.size() / 2))));
    return out;
  }

  private static List<Dependency> dedupe(List<Dependency> deps) {
    Map<MigrationKey, Dependency> out = new java.util.LinkedHashMap<>();
    deps.forEach(d -> out.putIfAbsent(d.key(), d));
    return new ArrayList<>(out.values());
  }

  // ---- the properties ----

  /** Checks one project; returns whether its graph has a cycle. */
  static boolean check(List<Migration> disk) {
    GraphResult gr = build(disk);
    MigrationGraph g = gr.graph();
    Set<MigrationKey> nodes = vertices(g, disk);
    boolean cyclic = !acyclic(g, nodes);
    boolean reported = gr.problems().stream().anyMatch(p -> p.code().equals("circular-dependency"));
    assertEquals(cyclic, reported, "circular-dependency reported iff the graph has a cycle");
    List<MigrationKey> cycle = g.findCycle();
    assertEquals(cyclic, !cycle.isEmpty());
    // The finished graph's arrays answer as the JGraphT graph it was made from.
    List<Object> frozen = answers(g, nodes);
    g.thaw();
    assertEquals(answers(g, nodes), frozen, "the finished graph answers as the JGraphT graph");
    g.freeze();
    for (int i = 0; i < cycle.size(); i++) {
      MigrationKey next = cycle.get((i + 1) % cycle.size());
      assertTrue(g.children(cycle.get(i)).contains(next), "the reported cycle is a cycle: " + cycle);
    }
    for (MigrationKey x : nodes) {
      for (boolean forwards : new boolean[] {true, false}) {
        List<MigrationKey> plan = forwards ? g.forwardsPlan(x) : g.backwardsPlan(x);
        assertEquals(plan.size(), new HashSet<>(plan).size(), "no repeats");
        assertEquals(x, plan.get(plan.size() - 1), "the node comes last");
        assertEquals(reach(g, x, forwards), new HashSet<>(plan), "exactly the reachable nodes");
        if (!cyclic) {
          assertEquals(djangoIterativeDfs(g, x, forwards), plan, "Django's order from " + x);
        }
      }
    }
    List<MigrationKey> targets = new ArrayList<>(nodes);
    Collections.shuffle(targets, new Random(nodes.size()));
    targets = targets.subList(0, Math.min(5, targets.size()));
    for (boolean forwards : new boolean[] {true, false}) {
      List<MigrationKey> joined = forwards ? g.forwardsPlan(targets) : g.backwardsPlan(targets);
      Set<MigrationKey> expected = new LinkedHashSet<>();
      for (MigrationKey t : targets) {
        expected.addAll(cyclic ? reach(g, t, forwards)
            : djangoIterativeDfs(g, t, forwards));
      }
      if (cyclic) {
        assertEquals(expected, new HashSet<>(joined));
      } else {
        assertEquals(new ArrayList<>(expected), joined, "joined plans are the per-target plans");
      }
    }
    Set<MigrationKey> applied = new HashSet<>(nodes);
    for (String app : APPS) {
      List<MigrationKey> roots = g.rootNodes(app);
      List<MigrationKey> zero = BackwardsPlan.of(g, applied, app, null);
      if (!cyclic) {
        List<MigrationKey> expected = new ArrayList<>();
        for (MigrationKey root : roots) {
          for (MigrationKey m : djangoIterativeDfs(g, root, false)) {
            if (!expected.contains(m)) {
              expected.add(m);
            }
          }
        }
        assertEquals(expected, zero, "migrate " + app + " zero");
      }
    }
    if (nodes.size() <= 40) {
      SwitchPlan plan = SwitchPlanner.plan(g, applied, targets, k -> true);
      assertTrue(plan.unapply().size() + plan.unreachable().size() >= 0);
    }
    return cyclic;
  }

  static Set<MigrationKey> vertices(MigrationGraph g, List<Migration> disk) {
    Set<MigrationKey> out = new LinkedHashSet<>();
    ArrayDeque<MigrationKey> todo = new ArrayDeque<>();
    for (Migration m : disk) {
      if (g.contains(m.key()) && out.add(m.key())) {
        todo.add(m.key());
      }
    }
    while (!todo.isEmpty()) {
      MigrationKey k = todo.pop();
      for (MigrationKey n : g.parents(k)) {
        if (out.add(n)) {
          todo.add(n);
        }
      }
      for (MigrationKey n : g.children(k)) {
        if (out.add(n)) {
          todo.add(n);
        }
      }
    }
    return out;
  }

  /** Kahn's algorithm: a reference independent of findCycle. */
  private static boolean acyclic(MigrationGraph g, Set<MigrationKey> nodes) {
    Map<MigrationKey, Integer> in = new HashMap<>();
    for (MigrationKey k : nodes) {
      in.put(k, g.parents(k).size());
    }
    ArrayDeque<MigrationKey> ready = new ArrayDeque<>();
    in.forEach((k, v) -> {
      if (v == 0) {
        ready.add(k);
      }
    });
    int done = 0;
    while (!ready.isEmpty()) {
      MigrationKey k = ready.pop();
      done++;
      for (MigrationKey c : g.children(k)) {
        if (in.merge(c, -1, Integer::sum) == 0) {
          ready.add(c);
        }
      }
    }
    return done == nodes.size();
  }

  private static Set<MigrationKey> reach(MigrationGraph g, MigrationKey x, boolean forwards) {
    Set<MigrationKey> out = new HashSet<>();
    ArrayDeque<MigrationKey> todo = new ArrayDeque<>(List.of(x));
    out.add(x);
    while (!todo.isEmpty()) {
      MigrationKey k = todo.pop();
      for (MigrationKey n : forwards ? g.parents(k) : g.children(k)) {
        if (out.add(n)) {
          todo.add(n);
        }
      }
    }
    return out;
  }

  /**
   * A line-by-line transliteration of Django 3.2-5.2's {@code MigrationGraph.iterative_dfs}
   * (django/db/migrations/graph.py), for acyclic graphs only (on a cycle it never ends).
   */
  static List<MigrationKey> djangoIterativeDfs(MigrationGraph g, MigrationKey start, boolean forwards) {
    List<MigrationKey> visited = new ArrayList<>();
    Set<MigrationKey> visitedSet = new HashSet<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {start, false});
    long steps = 0;
    while (!stack.isEmpty()) {
      if (++steps > 50_000_000L) {
        fail("the reference did not finish");
      }
      Object[] top = stack.pop();
      MigrationKey node = (MigrationKey) top[0];
      if (visitedSet.contains(node)) {
        continue;
      }
      if ((Boolean) top[1]) {
        visitedSet.add(node);
        visited.add(node);
      } else {
        stack.push(new Object[] {node, true});
        for (MigrationKey n : forwards ? g.parents(node) : g.children(node)) {
          stack.push(new Object[] {n, false});
        }
      }
    }
    return visited;
  }
}
