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
 *
 * <p>{@link GraphBuilder} builds it on the JGraphT graph, then {@linkplain #freeze finishes} it:
 * from then on it does not change, and walks, neighbours and leaves are answered from arrays of
 * node numbers made from the JGraphT graph in one pass ({@code GraphWalkPropertyTest} checks
 * that both ways answer alike), and the JGraphT graph is let go.
 */
public final class MigrationGraph {
  /** A dependency endpoint that does not exist: Django's {@code DummyNode}. */
  public record Dummy(MigrationKey key, MigrationKey origin, String message) {}

  /** The graph while it is built; null once finished (unless a test keeps it, see freeze). */
  private Graph<MigrationKey, DefaultEdge> graph;
  /** The migrations by key while the graph is built; null once finished, as {@link #graph}. */
  private Map<MigrationKey, Migration> migrations;
  private final Set<MigrationKey> external;
  private final Map<MigrationKey, Dummy> dummies;
  /**
   * Every vertex by app label, so per-app questions while building do not scan the whole graph:
   * made when first asked (a dependency on {@code __first__} or {@code __latest__} of an app of
   * the project), then kept up to date.
   */
  private Map<String, Set<MigrationKey>> byApp;
  /**
   * The finished graph as arrays of node numbers (see {@link #freeze}): null while the builder
   * still changes it.
   */
  private Frozen frozen;

  /** A graph whose maps are sized for {@code expected} nodes (the migrations on disk). */
  MigrationGraph(int expected) {
    int capacity = Math.max(16, expected + expected / 3 + 1);
    graph = new KeyGraph(capacity);
    migrations = new LinkedHashMap<>(capacity);
    external = new HashSet<>();
    dummies = new LinkedHashMap<>();
  }

  /** A finished graph made of {@code frozen}, with the given external nodes and dummies. */
  private MigrationGraph(Set<MigrationKey> external, Map<MigrationKey, Dummy> dummies,
      Frozen frozen) {
    this.external = external;
    this.dummies = dummies;
    this.frozen = frozen;
  }

  /**
   * This finished graph with {@code to(m)} in place of each of its migrations {@code m}: the
   * graph of migrations that building cannot tell from these (see {@link GraphBuilder#rebind}).
   * Nodes, edges, external nodes and dummies are shared: none of them changes once finished.
   */
  MigrationGraph rebound(java.util.function.UnaryOperator<Migration> to) {
    if (frozen == null) {
      throw new IllegalStateException("the graph is not finished");
    }
    return new MigrationGraph(external, dummies, new Frozen(frozen, to));
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

    /**
     * The edges' ends by edge: a plain hash map, since nothing walks {@code edgeSet()} in order
     * (the finished graph is read vertex by vertex).
     */
    @Override
    public Function<GraphType, IntrusiveEdgesSpecifics<MigrationKey, DefaultEdge>>
        getIntrusiveEdgesSpecificsFactory() {
      return type -> new UniformIntrusiveEdgesSpecifics<>(new java.util.HashMap<>(capacity));
    }

    @Override
    public BiFunction<Graph<MigrationKey, DefaultEdge>, GraphType,
        Specifics<MigrationKey, DefaultEdge>> getSpecificsFactory() {
      return (g, type) -> new DirectedSpecifics<>(g, new LinkedHashMap<>(capacity),
          getEdgeSetFactory());
    }

    /** Each vertex's incoming and outgoing edges: an {@link EdgeSet} each. */
    @Override
    public org.jgrapht.graph.EdgeSetFactory<MigrationKey, DefaultEdge> getEdgeSetFactory() {
      return vertex -> new EdgeSet();
    }
  }

  /**
   * A vertex's incoming or outgoing edges, as JGraphT's {@code ArrayUnenforcedSet} keeps them (a
   * list in insertion order, duplicates not checked: JGraphT checks them), with a lone edge held
   * in a field rather than an array: nearly every migration has one parent and one child, and a
   * graph of 100,000 of them kept 200,000 lists of one.
   */
  static final class EdgeSet extends java.util.AbstractSet<DefaultEdge> {
    /** The edge when there is at most one and {@link #many} is null. */
    private DefaultEdge one;
    /** The edges, {@code many[0, size)}, once there were two. */
    private DefaultEdge[] many;
    private int size;

    @Override
    public int size() {
      return size;
    }

    DefaultEdge get(int i) {
      return many == null ? one : many[i];
    }

    @Override
    public boolean add(DefaultEdge e) {
      if (many == null && size == 0) {
        one = e;
      } else {
        if (many == null) {
          many = new DefaultEdge[4];
          many[0] = one;
          one = null;
        } else if (size == many.length) {
          many = java.util.Arrays.copyOf(many, size * 2);
        }
        many[size] = e;
      }
      size++;
      return true;
    }

    @Override
    public boolean contains(Object o) {
      return indexOf(o) >= 0;
    }

    @Override
    public boolean remove(Object o) {
      int i = indexOf(o);
      if (i < 0) {
        return false;
      }
      removeAt(i);
      return true;
    }

    private int indexOf(Object o) {
      for (int i = 0; i < size; i++) {
        if (java.util.Objects.equals(o, get(i))) {
          return i;
        }
      }
      return -1;
    }

    private void removeAt(int i) {
      if (many == null) {
        one = null;
      } else {
        System.arraycopy(many, i + 1, many, i, size - i - 1);
        many[size - 1] = null;
      }
      size--;
    }

    @Override
    public java.util.Iterator<DefaultEdge> iterator() {
      return new java.util.Iterator<>() {
        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
          return next < size;
        }

        @Override
        public DefaultEdge next() {
          if (next >= size) {
            throw new java.util.NoSuchElementException();
          }
          last = next++;
          return get(last);
        }

        @Override
        public void remove() {
          if (last < 0) {
            throw new IllegalStateException();
          }
          removeAt(last);
          next = last;
          last = -1;
        }
      };
    }
  }

  private void addVertex(MigrationKey key) {
    changing();
    if (graph.addVertex(key) && byApp != null) {
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
    addEdge(parent, child);
  }

  private void addDummy(MigrationKey key, MigrationKey origin, String message) {
    dummies.put(key, new Dummy(key, origin, message));
    addVertex(key);
  }

  void removeVertex(MigrationKey key) {
    changing();
    graph.removeVertex(key);
    Set<MigrationKey> same = byApp == null ? null : byApp.get(key.app());
    if (same != null) {
      same.remove(key);
    }
    migrations.remove(key);
    external.remove(key);
    dummies.remove(key);
  }

  void addEdge(MigrationKey parent, MigrationKey child) {
    changing();
    // (the graph allows no parallel edges: an edge already there is left as it is)
    graph.addEdge(parent, child);
  }

  private void changing() {
    if (frozen != null) {
      throw new IllegalStateException("the graph is finished");
    }
  }

  /** Real nodes: the repository's migrations and external ones (Django's {@code graph.nodes}). */
  public boolean contains(MigrationKey key) {
    if (frozen != null) {
      int v = frozen.numbers.get(key);
      return v >= 0 && frozen.real[v];
    }
    return migrations.containsKey(key) || external.contains(key);
  }

  /** Whether any node, dummies included, has this key (Django's {@code node_map}). */
  boolean containsAny(MigrationKey key) {
    if (frozen != null) {
      return frozen.numbers.get(key) >= 0;
    }
    return graph.containsVertex(key);
  }

  public boolean isExternal(MigrationKey key) {
    return external.contains(key);
  }

  public Migration migration(MigrationKey key) {
    if (frozen != null) {
      int v = frozen.numbers.get(key);
      return v < 0 ? null : frozen.migrations[v];
    }
    return migrations.get(key);
  }

  /** The repository's migrations still in the graph, in insertion (disk) order. */
  public Iterable<Migration> migrations() {
    if (frozen != null) {
      return frozen.ordered;
    }
    return Collections.unmodifiableCollection(migrations.values());
  }

  public List<Dummy> dummies() {
    return List.copyOf(dummies.values());
  }

  /** Parents (dependencies) in Python sort order. */
  public List<MigrationKey> parents(MigrationKey key) {
    if (frozen != null) {
      int v = frozen.number(key);
      return frozen.keys(frozen.parentFrom, frozen.parents, v);
    }
    return sorted(graph.incomingEdgesOf(key), true);
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
    if (frozen != null) {
      int v = frozen.number(key);
      return frozen.keys(frozen.childFrom, frozen.children, v);
    }
    return sorted(graph.outgoingEdgesOf(key), false);
  }

  /** The children of every node (dummies and external nodes included) that {@code set} lacks. */
  Set<MigrationKey> childrenOfNodesOutside(Set<MigrationKey> set) {
    if (frozen != null) {
      return frozen.childrenOfNodesOutside(set);
    }
    Set<MigrationKey> out = new HashSet<>();
    for (MigrationKey v : graph.vertexSet()) {
      if (!set.contains(v)) {
        for (DefaultEdge e : graph.outgoingEdgesOf(v)) {
          out.add(graph.getEdgeTarget(e));
        }
      }
    }
    return out;
  }

  /**
   * The parents that are external nodes of each of the repository's migrations, in the
   * migrations' order, each one's sorted; repeats kept.
   */
  public List<MigrationKey> externalParents() {
    if (external.isEmpty()) {
      return new ArrayList<>();
    }
    if (frozen != null) {
      return frozen.externalParents();
    }
    List<MigrationKey> out = new ArrayList<>();
    for (MigrationKey k : migrations.keySet()) {
      for (MigrationKey p : parents(k)) {
        if (external.contains(p)) {
          out.add(p);
        }
      }
    }
    return out;
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
    if (frozen != null) {
      return frozen.sameAppless(app, roots);
    }
    TreeSet<MigrationKey> out = new TreeSet<>();
    if (byApp == null && app != null) {
      byApp = new HashMap<>();
      for (MigrationKey v : graph.vertexSet()) {
        byApp.computeIfAbsent(v.app(), a -> new HashSet<>()).add(v);
      }
    }
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
    if (frozen != null) {
      return frozen.iterativeDfs(starts, forwards, skip);
    }
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
    TreeSet<MigrationKey> todo = new TreeSet<>(frozen != null
        ? java.util.Arrays.asList(frozen.nodes) : graph.vertexSet());
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

  /** Kahn's count: whether every node can be taken once its parents are, in linear time. */
  private boolean acyclic() {
    Frozen f = frozen != null ? frozen : new Frozen(this);
    int n = f.nodes.length;
    int[] waiting = new int[n];
    for (int v = 0; v < n; v++) {
      waiting[v] = f.parentFrom[v + 1] - f.parentFrom[v];
    }
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
      for (int j = f.childFrom[v]; j < f.childFrom[v + 1]; j++) {
        if (--waiting[f.children[j]] == 0) {
          ready[readyEnd++] = f.children[j];
        }
      }
    }
    return taken == n;
  }

  /**
   * Ends the building: from now on the graph does not change, and its questions are answered
   * from arrays of node numbers made here in one pass (parents and children sorted once), so a
   * walk over a project of 100,000 migrations follows array indexes rather than looking every
   * node up in the JGraphT graph's maps, twice per step.
   */
  void freeze() {
    freeze(false);
  }

  /**
   * {@link #freeze()}; {@code keepBuilding} keeps the JGraphT graph and the migrations' map,
   * which a finished graph no longer reads, for tests that {@link #thaw} it to compare the two
   * ways. Otherwise they are let go: on a project of 100,000 migrations they are most of a
   * graph's memory.
   */
  void freeze(boolean keepBuilding) {
    if (frozen == null) {
      frozen = new Frozen(this);
      if (!keepBuilding) {
        graph = null;
        migrations = null;
        byApp = null;
      }
    }
  }

  /** Back to answering from the JGraphT graph, for tests that compare the two ways. */
  void thaw() {
    if (graph == null) {
      throw new IllegalStateException("the graph was finished without keeping JGraphT's");
    }
    frozen = null;
  }

  /** The graph as numbers: nodes in the JGraphT graph's order, and sorted neighbour lists. */
  private static final class Frozen {
    final MigrationKey[] nodes;
    final KeyNumbers numbers;
    /** Node v's children are {@code children[childFrom[v] .. childFrom[v + 1])}, sorted. */
    final int[] childFrom;
    final int[] children;
    final int[] parentFrom;
    final int[] parents;
    /** Real nodes (migrations and external ones), as {@link #contains} says. */
    final boolean[] real;
    /** External nodes. The others that are real are the migrations, in the graph's order. */
    final boolean[] external;
    /** The migration of each node; null for external nodes and dummies. */
    final Migration[] migrations;
    /** The migrations in the graph's order (the order they were added in). */
    final List<Migration> ordered;
    /** Node numbers by app label, ascending. */
    final Map<String, int[]> byApp = new HashMap<>();
    /** Marks for walks, handed from one walk to the next (see {@link #iterativeDfs}). */
    final java.util.concurrent.atomic.AtomicReference<int[]> spareMarks =
        new java.util.concurrent.atomic.AtomicReference<>();

    /** {@code base}, with {@code to(m)} in place of each migration {@code m}. */
    Frozen(Frozen base, java.util.function.UnaryOperator<Migration> to) {
      nodes = base.nodes;
      numbers = base.numbers;
      childFrom = base.childFrom;
      children = base.children;
      parentFrom = base.parentFrom;
      parents = base.parents;
      real = base.real;
      external = base.external;
      byApp.putAll(base.byApp);
      migrations = new Migration[base.migrations.length];
      List<Migration> inOrder = new ArrayList<>(base.ordered.size());
      for (int v = 0; v < migrations.length; v++) {
        Migration m = base.migrations[v];
        if (m != null) {
          migrations[v] = to.apply(m);
          inOrder.add(migrations[v]);
        }
      }
      ordered = Collections.unmodifiableList(inOrder);
    }

    Frozen(MigrationGraph g) {
      Set<MigrationKey> vertices = g.graph.vertexSet();
      int n = vertices.size();
      nodes = new MigrationKey[n];
      real = new boolean[n];
      external = new boolean[n];
      migrations = new Migration[n];
      List<Migration> inOrder = new ArrayList<>(g.migrations.size());
      Map<String, int[]> apps = new HashMap<>();
      String app = null;
      int[] appNodes = null;
      int i = 0;
      for (MigrationKey v : vertices) {
        nodes[i] = v;
        // the nodes are migrations, external nodes or dummies, never two of these
        real[i] = g.dummies.isEmpty() || !g.dummies.containsKey(v);
        external[i] = !g.external.isEmpty() && g.external.contains(v);
        migrations[i] = real[i] && !external[i] ? g.migrations.get(v) : null;
        if (migrations[i] != null) {
          inOrder.add(migrations[i]);
        }
        if (!v.app().equals(app)) { // the graph's order keeps an app's nodes together
          app = v.app();
          appNodes = apps.computeIfAbsent(app, a -> new int[9]);
        }
        if (appNodes[0] + 1 == appNodes.length) {
          appNodes = java.util.Arrays.copyOf(appNodes, appNodes.length * 2);
          apps.put(app, appNodes);
        }
        appNodes[++appNodes[0]] = i;
        i++;
      }
      ordered = Collections.unmodifiableList(inOrder);
      numbers = new KeyNumbers(nodes);
      apps.forEach((label, list) -> byApp.put(label,
          java.util.Arrays.copyOfRange(list, 1, list[0] + 1)));
      // Each edge's two ends by number, node by node; then sorted. An edge is found from its
      // source, whose number is known, and its target is mostly the very key of the node (a
      // migration's own key), which KeyNumbers matches by identity: the parent's key came from
      // a parsed dependency, a copy that only a comparison of strings would match.
      int edges = g.graph.edgeSet().size();
      int[] sources = new int[edges];
      int[] targets = new int[edges];
      childFrom = new int[n + 1];
      parentFrom = new int[n + 1];
      int k = 0;
      for (int v = 0; v < n; v++) {
        for (DefaultEdge e : g.graph.outgoingEdgesOf(nodes[v])) {
          sources[k] = v;
          targets[k] = numbers.get(g.graph.getEdgeTarget(e));
          childFrom[v + 1]++;
          parentFrom[targets[k] + 1]++;
          k++;
        }
      }
      for (int v = 0; v < n; v++) {
        childFrom[v + 1] += childFrom[v];
        parentFrom[v + 1] += parentFrom[v];
      }
      children = new int[edges];
      parents = new int[edges];
      int[] nextChild = java.util.Arrays.copyOf(childFrom, n);
      int[] nextParent = java.util.Arrays.copyOf(parentFrom, n);
      for (k = 0; k < edges; k++) {
        children[nextChild[sources[k]]++] = targets[k];
        parents[nextParent[targets[k]]++] = sources[k];
      }
      for (int v = 0; v < n; v++) {
        sort(children, childFrom[v], childFrom[v + 1]);
        sort(parents, parentFrom[v], parentFrom[v + 1]);
      }
    }

    /** Sorts {@code a[from, to)} by the nodes' keys (lists of a few: insertion sort). */
    private void sort(int[] a, int from, int to) {
      for (int x = from + 1; x < to; x++) {
        int v = a[x];
        int y = x - 1;
        while (y >= from && nodes[a[y]].compareTo(nodes[v]) > 0) {
          a[y + 1] = a[y];
          y--;
        }
        a[y + 1] = v;
      }
    }

    int number(MigrationKey key) {
      int v = numbers.get(key);
      if (v < 0) {
        throw new IllegalArgumentException("no such vertex in graph: " + key);
      }
      return v;
    }

    List<MigrationKey> keys(int[] from, int[] list, int v) {
      int start = from[v];
      int size = from[v + 1] - start;
      MigrationKey[] out = new MigrationKey[size];
      for (int j = 0; j < size; j++) {
        out[j] = nodes[list[start + j]];
      }
      return List.of(out);
    }

    List<MigrationKey> sameAppless(String app, boolean roots) {
      int[] from = roots ? parentFrom : childFrom;
      int[] list = roots ? parents : children;
      List<MigrationKey> out = new ArrayList<>();
      int n = app == null ? nodes.length : byApp.getOrDefault(app, new int[0]).length;
      int[] own = app == null ? null : byApp.get(app);
      for (int x = 0; x < n; x++) {
        int v = own == null ? x : own[x];
        if (!real[v]) {
          continue;
        }
        String label = nodes[v].app();
        boolean none = true;
        for (int j = from[v]; j < from[v + 1]; j++) {
          if (nodes[list[j]].app().equals(label)) {
            none = false;
            break;
          }
        }
        if (none) {
          out.add(nodes[v]);
        }
      }
      out.sort(null);
      return out;
    }

    /**
     * {@link MigrationGraph#externalParents}: the migrations' order is the nodes' (both are
     * added in one step, and removed in one), less external nodes and dummies.
     */
    List<MigrationKey> externalParents() {
      boolean[] marked = new boolean[nodes.length];
      for (int v = 0; v < nodes.length; v++) {
        if (external[v]) {
          for (int j = childFrom[v]; j < childFrom[v + 1]; j++) {
            marked[children[j]] = true;
          }
        }
      }
      List<MigrationKey> out = new ArrayList<>();
      for (int v = 0; v < nodes.length; v++) {
        if (marked[v] && real[v] && !external[v]) {
          for (int j = parentFrom[v]; j < parentFrom[v + 1]; j++) {
            if (external[parents[j]]) {
              out.add(nodes[parents[j]]);
            }
          }
        }
      }
      return out;
    }

    Set<MigrationKey> childrenOfNodesOutside(Set<MigrationKey> set) {
      Set<MigrationKey> out = new HashSet<>();
      for (int v = 0; v < nodes.length; v++) {
        if (!set.contains(nodes[v])) {
          for (int j = childFrom[v]; j < childFrom[v + 1]; j++) {
            out.add(nodes[children[j]]);
          }
        }
      }
      return out;
    }

    /**
     * {@link MigrationGraph#iterativeDfs} on node numbers. A node is expanded when its mark
     * equals this walk's number: the marks (one int per node, plus the last walk's number at
     * the end) pass from walk to walk, so a walk that reaches a few nodes costs a few steps, not
     * a clearing of every node's mark; two walks at once (the resident process answers several
     * runs) each take their own.
     */
    List<MigrationKey> iterativeDfs(Collection<MigrationKey> starts, boolean forwards,
        Set<MigrationKey> skip) {
      int n = nodes.length;
      int[] marks = spareMarks.getAndSet(null);
      if (marks == null || marks[n] == Integer.MAX_VALUE) {
        marks = new int[n + 1];
      }
      int walk = ++marks[n];
      int[] from = forwards ? parentFrom : childFrom;
      int[] list = forwards ? parents : children;
      List<MigrationKey> visited = new ArrayList<>();
      int[] stack = new int[16];
      int top = 0;
      for (MigrationKey start : starts) {
        int first = numbers.get(start);
        if (first < 0) {
          if (skip.contains(start)) {
            continue;
          }
          throw new IllegalArgumentException("no such vertex in graph: " + start);
        }
        // an entry is a node number, negated (minus one) once the node is done
        stack[top++] = first;
        while (top > 0) {
          int entry = stack[--top];
          if (entry < 0) {
            visited.add(nodes[-entry - 1]);
            continue;
          }
          if (marks[entry] == walk || (!skip.isEmpty() && skip.contains(nodes[entry]))) {
            continue;
          }
          marks[entry] = walk;
          int need = top + 1 + from[entry + 1] - from[entry];
          if (need > stack.length) {
            stack = java.util.Arrays.copyOf(stack, Math.max(need, stack.length * 2));
          }
          stack[top++] = -entry - 1;
          for (int j = from[entry]; j < from[entry + 1]; j++) {
            if (marks[list[j]] != walk) {
              stack[top++] = list[j];
            }
          }
        }
      }
      spareMarks.set(marks);
      return visited;
    }
  }
}
