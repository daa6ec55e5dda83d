package dev.migdiff.graph;

import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jgrapht.Graph;
import org.jgrapht.GraphType;
import org.jgrapht.graph.AbstractBaseGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DefaultGraphType;
import org.jgrapht.graph.GraphSpecificsStrategy;
import org.jgrapht.graph.IntrusiveEdgesSpecifics;
import org.jgrapht.graph.UniformIntrusiveEdgesSpecifics;
import org.jgrapht.graph.specifics.DirectedSpecifics;
import org.jgrapht.graph.specifics.Specifics;

/**
 * Django's {@code MigrationGraph} (django/db/migrations/graph.py) on a JGraphT graph whose edges
 * run parent to child. Besides the repository's migrations it holds external nodes (migrations
 * of apps that are not in the repository, such as {@code auth}) and dummy nodes (dependencies
 * that point nowhere, each remembering who made it and Django's error message).
 */
public final class MigrationGraph {
  /** A dependency endpoint that does not exist: Django's {@code DummyNode}. */
  public record Dummy(MigrationKey key, MigrationKey origin, String message) {}

  private final Graph<MigrationKey, DefaultEdge> graph;
  private final Map<MigrationKey, Migration> migrations;
  private final Set<MigrationKey> external = new HashSet<>();
  private final Map<MigrationKey, Dummy> dummies = new LinkedHashMap<>();
  /** Every vertex by app label, so per-app questions do not scan the whole graph. */
  private final Map<String, Set<MigrationKey>> byApp = new HashMap<>();
  /**
   * Sorted parents and children by node, made when first asked for: every walk asks for them
   * again, and sorting by Python's order is the dearest part of a walk. A change of an edge
   * forgets its two ends' lists.
   */
  private final Map<MigrationKey, List<MigrationKey>> sortedParents = new HashMap<>();
  private final Map<MigrationKey, List<MigrationKey>> sortedChildren = new HashMap<>();

  /** A graph whose maps are sized for {@code expected} nodes (the migrations on disk). */
  MigrationGraph(int expected) {
    int capacity = Math.max(16, expected + expected / 3 + 1);
    graph = new KeyGraph(capacity);
    migrations = new LinkedHashMap<>(capacity);
  }

  /**
   * {@code DefaultDirectedGraph}'s type (directed, no parallel edges, loops allowed) with
   * JGraphT's plain specifics rather than its default fast-lookup ones: these keep an index of
   * every edge by its two ends for {@code containsEdge}, a map entry, a pair and a set per edge,
   * while a migration has a few edges that a scan of its own answers as fast. The maps are sized
   * once: a project of 100,000 migrations otherwise rehashes them again and again.
   */
  private static final class KeyGraph extends AbstractBaseGraph<MigrationKey, DefaultEdge> {
    private static final long serialVersionUID = 1L;

    KeyGraph(int capacity) {
      super(null, DefaultEdge::new, new DefaultGraphType.Builder().directed()
          .allowMultipleEdges(false).allowSelfLoops(true).allowCycles(true).weighted(false)
          .build(), new Sized(capacity));
    }
  }

  private static final class Sized implements GraphSpecificsStrategy<MigrationKey, DefaultEdge> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    Sized(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public Function<GraphType, IntrusiveEdgesSpecifics<MigrationKey, DefaultEdge>>
        getIntrusiveEdgesSpecificsFactory() {
      return type -> new UniformIntrusiveEdgesSpecifics<>(new LinkedHashMap<>(capacity));
    }

    @Override
    public BiFunction<Graph<MigrationKey, DefaultEdge>, GraphType,
        Specifics<MigrationKey, DefaultEdge>> getSpecificsFactory() {
      return (g, type) -> new DirectedSpecifics<>(g, new LinkedHashMap<>(capacity),
          getEdgeSetFactory());
    }
  }

  private void edgeChanged(MigrationKey parent, MigrationKey child) {
    sortedChildren.remove(parent);
    sortedParents.remove(child);
  }

  private void addVertex(MigrationKey key) {
    if (graph.addVertex(key)) {
      byApp.computeIfAbsent(key.app(), a -> new HashSet<>()).add(key);
    }
  }

  void addMigration(Migration migration) {
    migrations.put(migration.key(), migration);
    addVertex(migration.key());
  }

  void addExternal(MigrationKey key) {
    if (!graph.containsVertex(key)) {
      external.add(key);
      addVertex(key);
    }
  }

  /** {@code graph.add_dependency}: makes dummies for missing endpoints. */
  void addDependency(MigrationKey origin, MigrationKey child, MigrationKey parent) {
    if (!graph.containsVertex(child)) {
      addDummy(child, origin, "Migration " + origin
          + " dependencies reference nonexistent child node " + child.pythonRepr());
    }
    if (!graph.containsVertex(parent)) {
      addDummy(parent, origin, "Migration " + origin
          + " dependencies reference nonexistent parent node " + parent.pythonRepr());
    }
    if (!graph.containsEdge(parent, child)) {
      graph.addEdge(parent, child);
      edgeChanged(parent, child);
    }
  }

  private void addDummy(MigrationKey key, MigrationKey origin, String message) {
    dummies.put(key, new Dummy(key, origin, message));
    addVertex(key);
  }

  void removeVertex(MigrationKey key) {
    if (graph.containsVertex(key)) {
      for (DefaultEdge e : graph.edgesOf(key)) {
        edgeChanged(graph.getEdgeSource(e), graph.getEdgeTarget(e));
      }
    }
    sortedParents.remove(key);
    sortedChildren.remove(key);
    graph.removeVertex(key);
    Set<MigrationKey> same = byApp.get(key.app());
    if (same != null) {
      same.remove(key);
    }
    migrations.remove(key);
    external.remove(key);
    dummies.remove(key);
  }

  void addEdge(MigrationKey parent, MigrationKey child) {
    if (!graph.containsEdge(parent, child)) {
      graph.addEdge(parent, child);
      edgeChanged(parent, child);
    }
  }

  /** Real nodes: the repository's migrations and external ones (Django's {@code graph.nodes}). */
  public boolean contains(MigrationKey key) {
    return migrations.containsKey(key) || external.contains(key);
  }

  /** Whether any node, dummies included, has this key (Django's {@code node_map}). */
  boolean containsAny(MigrationKey key) {
    return graph.containsVertex(key);
  }

  public boolean isExternal(MigrationKey key) {
    return external.contains(key);
  }

  public Migration migration(MigrationKey key) {
    return migrations.get(key);
  }

  /** The repository's migrations still in the graph, in insertion (disk) order. */
  public Iterable<Migration> migrations() {
    return Collections.unmodifiableCollection(migrations.values());
  }

  public List<Dummy> dummies() {
    return List.copyOf(dummies.values());
  }

  /** Parents (dependencies) in Python sort order. */
  public List<MigrationKey> parents(MigrationKey key) {
    List<MigrationKey> known = sortedParents.get(key);
    if (known == null) {
      known = sorted(graph.incomingEdgesOf(key), true);
      sortedParents.put(key, known);
    }
    return known;
  }

  private List<MigrationKey> sorted(Set<DefaultEdge> edges, boolean sources) {
    MigrationKey[] out = new MigrationKey[edges.size()];
    int i = 0;
    for (DefaultEdge e : edges) {
      out[i++] = sources ? graph.getEdgeSource(e) : graph.getEdgeTarget(e);
    }
    java.util.Arrays.sort(out);
    return List.of(out);
  }

  /** Children (dependents) in Python sort order. */
  public List<MigrationKey> children(MigrationKey key) {
    List<MigrationKey> known = sortedChildren.get(key);
    if (known == null) {
      known = sorted(graph.outgoingEdgesOf(key), false);
      sortedChildren.put(key, known);
    }
    return known;
  }

  /** {@code graph.root_nodes(app)}: real nodes with no parent in their own app, sorted. */
  public List<MigrationKey> rootNodes(String app) {
    return sameAppless(app, true);
  }

  /** {@code graph.leaf_nodes(app)}: real nodes with no child in their own app, sorted. */
  public List<MigrationKey> leafNodes(String app) {
    return sameAppless(app, false);
  }

  private List<MigrationKey> sameAppless(String app, boolean roots) {
    TreeSet<MigrationKey> out = new TreeSet<>();
    Iterable<MigrationKey> nodes = app == null ? graph.vertexSet()
        : byApp.getOrDefault(app, Set.of());
    for (MigrationKey node : nodes) {
      if (!contains(node)) {
        continue;
      }
      boolean none = true;
      for (DefaultEdge e : roots ? graph.incomingEdgesOf(node) : graph.outgoingEdgesOf(node)) {
        MigrationKey other = roots ? graph.getEdgeSource(e) : graph.getEdgeTarget(e);
        if (other.app().equals(node.app())) {
          none = false;
          break;
        }
      }
      if (none) {
        out.add(node);
      }
    }
    return new ArrayList<>(out);
  }

  /** {@code graph.forwards_plan}: every ancestor, then the node, in Django's DFS order. */
  public List<MigrationKey> forwardsPlan(MigrationKey target) {
    return iterativeDfs(List.of(target), true, Set.of());
  }

  /**
   * The forwards plans of several targets, joined without repeats, as Django's
   * {@code MigrationExecutor.migration_plan} and {@code graph.make_state} join them: one walk
   * whose visited set is shared, so the cost is that of one plan, not one per target.
   */
  public List<MigrationKey> forwardsPlan(Collection<MigrationKey> targets) {
    return iterativeDfs(targets, true, Set.of());
  }

  /** {@code graph.backwards_plan}: every descendant, deepest first, then the node. */
  public List<MigrationKey> backwardsPlan(MigrationKey target) {
    return iterativeDfs(List.of(target), false, Set.of());
  }

  /** The backwards plans of several nodes, joined without repeats, in one walk. */
  public List<MigrationKey> backwardsPlan(Collection<MigrationKey> targets) {
    return iterativeDfs(targets, false, Set.of());
  }

  /**
   * The descendants of {@code starts} (themselves included) that are not in {@code closed}, a
   * set already closed under descendants that the walk never enters: repeated calls that grow
   * one such set cost one walk in all.
   */
  public List<MigrationKey> descendantsOutside(Collection<MigrationKey> starts,
      Set<MigrationKey> closed) {
    return iterativeDfs(starts, false, closed);
  }

  /**
   * {@code graph.iterative_dfs} (django/db/migrations/graph.py): push the node marked done, then
   * its sorted neighbours; pop the greatest first; a done node is appended once. Each node is
   * expanded once: on an acyclic graph Django never pops a node it has expanded but not yet
   * finished, so skipping it changes nothing there, while on a cycle (which Django refuses in
   * {@code ensure_not_cyclic} before it plans; migdiff reports it as circular-dependency) it is
   * what stops the walk. The work is linear in the nodes and edges reached.
   */
  private List<MigrationKey> iterativeDfs(Collection<MigrationKey> starts, boolean forwards,
      Set<MigrationKey> skip) {
    List<MigrationKey> visited = new ArrayList<>();
    Set<MigrationKey> expanded = new HashSet<>();
    ArrayDeque<MigrationKey> stackNodes = new ArrayDeque<>();
    ArrayDeque<Boolean> stackDone = new ArrayDeque<>();
    for (MigrationKey start : starts) {
      stackNodes.push(start);
      stackDone.push(false);
      while (!stackNodes.isEmpty()) {
        MigrationKey node = stackNodes.pop();
        boolean processed = stackDone.pop();
        if (processed) {
          visited.add(node);
        } else if (!skip.contains(node) && expanded.add(node)) {
          stackNodes.push(node);
          stackDone.push(true);
          for (MigrationKey n : forwards ? parents(node) : children(node)) {
            if (!expanded.contains(n)) {
              stackNodes.push(n);
              stackDone.push(false);
            }
          }
        }
      }
    }
    return visited;
  }

  /**
   * One cycle, if the graph has any, as Django's {@code ensure_not_cyclic} would name it; the
   * search starts from the smallest node so the answer is deterministic.
   */
  public List<MigrationKey> findCycle() {
    if (acyclic()) {
      return List.of();
    }
    TreeSet<MigrationKey> todo = new TreeSet<>(graph.vertexSet());
    while (!todo.isEmpty()) {
      List<MigrationKey> stack = new ArrayList<>();
      List<java.util.Iterator<MigrationKey>> pending = new ArrayList<>();
      Set<MigrationKey> onStack = new HashSet<>();
      MigrationKey first = todo.pollFirst();
      stack.add(first);
      pending.add(children(first).iterator());
      onStack.add(first);
      while (!stack.isEmpty()) {
        java.util.Iterator<MigrationKey> it = pending.get(pending.size() - 1);
        MigrationKey next = null;
        while (it.hasNext()) {
          MigrationKey child = it.next();
          if (onStack.contains(child)) {
            return new ArrayList<>(stack.subList(stack.indexOf(child), stack.size()));
          }
          if (todo.contains(child)) {
            next = child;
            break;
          }
        }
        if (next != null) {
          todo.remove(next);
          stack.add(next);
          pending.add(children(next).iterator());
          onStack.add(next);
        } else {
          onStack.remove(stack.remove(stack.size() - 1));
          pending.remove(pending.size() - 1);
        }
      }
    }
    return List.of();
  }

  /**
   * Kahn's count: whether every node can be taken once its parents are, in linear time. The
   * graph is read once, in its insertion order (which is also the order of its objects in
   * memory), into arrays of node numbers; the count itself then runs on those arrays alone.
   */
  private boolean acyclic() {
    Set<MigrationKey> vertices = graph.vertexSet();
    int n = vertices.size();
    Map<MigrationKey, Integer> index = new HashMap<>(n + n / 2 + 1);
    MigrationKey[] nodes = new MigrationKey[n];
    int i = 0;
    for (MigrationKey v : vertices) {
      nodes[i] = v;
      index.put(v, i++);
    }
    int[] first = new int[n + 1];
    int[] children = new int[graph.edgeSet().size()];
    int[] waiting = new int[n];
    int k = 0;
    for (int v = 0; v < n; v++) {
      first[v] = k;
      for (DefaultEdge e : graph.outgoingEdgesOf(nodes[v])) {
        int c = index.get(graph.getEdgeTarget(e));
        children[k++] = c;
        waiting[c]++;
      }
    }
    first[n] = k;
    int[] ready = new int[n];
    int readyEnd = 0;
    for (int v = 0; v < n; v++) {
      if (waiting[v] == 0) {
        ready[readyEnd++] = v;
      }
    }
    int taken = 0;
    while (taken < readyEnd) {
      int v = ready[taken++];
      for (int j = first[v]; j < first[v + 1]; j++) {
        if (--waiting[children[j]] == 0) {
          ready[readyEnd++] = children[j];
        }
      }
    }
    return taken == n;
  }
}
