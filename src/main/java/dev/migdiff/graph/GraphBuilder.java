package dev.migdiff.graph;

import dev.migdiff.django.Migration;
import dev.migdiff.django.Migration.Dependency;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the graph exactly as {@code MigrationLoader.build_graph} does
 * (django/db/migrations/loader.py): nodes, internal dependencies, external dependencies and
 * {@code run_before} through {@code check_key}, squash replacement, then the consistency and
 * cycle checks, whose failures become findings instead of exceptions.
 */
public final class GraphBuilder {
  private final AppSets apps;
  private final Set<MigrationKey> applied;
  private final MigrationGraph graph;
  private final List<Problem> problems = new ArrayList<>();
  /**
   * An app's root or leaf nodes as {@code __first__} and {@code __latest__} resolve them; Django
   * scans the whole graph per dependency, which is quadratic. Cleared when a same-app edge
   * (a {@code run_before} inside one app) could change them.
   */
  private final Map<String, List<MigrationKey>> ends = new java.util.HashMap<>();

  private GraphBuilder(AppSets apps, Set<MigrationKey> applied, int expected) {
    this.apps = apps;
    this.applied = applied;
    this.graph = new MigrationGraph(expected);
  }

  /** The no-database view ({@code MigrationLoader(None)}): every squash replaces. */
  public static GraphResult build(List<Migration> disk, AppSets apps) {
    return build(disk, apps, Set.of());
  }

  /** Builds with a set of applied migrations, which decides how squashes are used. */
  public static GraphResult build(List<Migration> disk, AppSets apps, Set<MigrationKey> applied) {
    return new GraphBuilder(apps, applied, disk.size()).run(disk, false);
  }

  /**
   * {@link #build(List, AppSets)}, keeping the JGraphT graph behind the finished one, for tests
   * that compare the answers of both ({@link MigrationGraph#thaw}).
   */
  static GraphResult buildKeepingJGraphT(List<Migration> disk, AppSets apps) {
    return new GraphBuilder(apps, Set.of(), disk.size()).run(disk, true);
  }

  private GraphResult run(List<Migration> disk, boolean keepJGraphT) {
    Map<MigrationKey, Migration> replacements = new LinkedHashMap<>();
    // (indexed loops over each migration's lists: the short-run JVM's compiler does not elide
    // an iterator, and a graph of 100,000 migrations made 300,000 of them)
    for (Migration m : disk) {
      graph.addMigration(m);
      if (!m.replaces().isEmpty()) {
        replacements.put(m.key(), m);
      }
    }
    for (Migration m : disk) {
      List<Dependency> deps = m.dependencies();
      for (int i = 0; i < deps.size(); i++) {
        MigrationKey p = deps.get(i).key();
        if (p.app().equals(m.key().app()) && !p.name().equals(MigrationKey.FIRST)) {
          graph.addDependency(m.key(), m.key(), p);
        }
      }
    }
    for (Migration m : disk) {
      List<Dependency> deps = m.dependencies();
      for (int i = 0; i < deps.size(); i++) {
        Dependency parent = deps.get(i);
        if (parent.key().app().equals(m.key().app())) {
          continue;
        }
        MigrationKey p = checkKey(parent, m);
        if (p != null) {
          graph.addDependency(m.key(), m.key(), p);
        }
      }
      List<Dependency> before = m.runBefore();
      for (int i = 0; i < before.size(); i++) {
        MigrationKey c = checkKey(before.get(i), m);
        if (c != null) {
          graph.addDependency(m.key(), c, m.key());
          if (c.app().equals(m.key().app())) {
            ends.clear();
          }
        }
      }
    }
    overlappingSquashes(replacements);
    Set<MigrationKey> usedSquashes = new LinkedHashSet<>();
    for (Migration squash : replacements.values()) {
      if (!graph.contains(squash.key())) {
        continue; // already replaced by a squash that squashed it (nested squash, Django 6.0)
      }
      List<MigrationKey> replaced = Squashes.flatten(squash, replacements);
      boolean all = applied.containsAll(replaced);
      boolean none = replaced.stream().noneMatch(applied::contains);
      if (all || none) {
        Squashes.removeReplacedNodes(graph, squash.key(), replaced);
        usedSquashes.add(squash.key());
      } else {
        Squashes.removeReplacementNode(graph, squash.key(), replaced);
      }
    }
    for (MigrationGraph.Dummy d : graph.dummies()) {
      Migration origin = graph.migration(d.origin());
      problems.add(Problem.error("dangling-dependency", origin == null ? null : origin.path(),
          positionOf(origin, d.key()), d.message())
          .withHint("NodeNotFoundError in Django: fix the name, or add the missing migration"));
    }
    graph.freeze(keepJGraphT);
    List<MigrationKey> cycle = graph.findCycle();
    if (!cycle.isEmpty()) {
      Migration first = graph.migration(cycle.get(0));
      problems.add(Problem.error("circular-dependency", first == null ? null : first.path(),
          first == null ? null : first.classPos(),
          "Circular dependency: " + String.join(", ", cycle.stream().map(Object::toString).toList()))
          .withHint("CircularDependencyError in Django: remove one of these dependencies"));
    }
    return new GraphResult(graph, List.copyOf(problems), usedSquashes, replacements.keySet());
  }

  /**
   * The graph of {@code disk} and {@code apps}, taken from {@code prior}'s when {@code priorDisk}
   * and {@code priorApps} built it and building cannot tell the two apart: the same app sets, and
   * migration by migration, in the same order, the same key, path, class position, dependencies,
   * run_before and replaces (with their positions), which is all that building reads of a
   * migration. The graph, its findings and its squashes are then {@code prior}'s, with
   * {@code disk}'s migrations in place of {@code priorDisk}'s. Null when they differ (then
   * {@code prior} is not asked for). A branch that changes a migration's operations, or a
   * revision that changes no migration, shares its graph with the revision it was read with.
   */
  public static GraphResult rebind(List<Migration> priorDisk, AppSets priorApps,
      java.util.function.Supplier<GraphResult> prior, List<Migration> disk, AppSets apps) {
    if (disk.size() != priorDisk.size() || !apps.equals(priorApps)) {
      return null;
    }
    Map<Migration, Migration> changed = new java.util.IdentityHashMap<>();
    for (int i = 0; i < disk.size(); i++) {
      Migration a = priorDisk.get(i);
      Migration b = disk.get(i);
      if (a != b) {
        if (!sameForGraph(a, b)) {
          return null;
        }
        changed.put(a, b);
      }
    }
    GraphResult p = prior.get();
    MigrationGraph g = changed.isEmpty() ? p.graph()
        : p.graph().rebound(m -> changed.getOrDefault(m, m));
    return new GraphResult(g, p.problems(), p.usedSquashes(), p.squashes());
  }

  /** Whether building reads the same of {@code a} and {@code b} (see {@link #rebind}). */
  static boolean sameForGraph(Migration a, Migration b) {
    return a.key().equals(b.key()) && java.util.Objects.equals(a.path(), b.path())
        && java.util.Objects.equals(a.classPos(), b.classPos())
        && a.dependencies().equals(b.dependencies()) && a.runBefore().equals(b.runBefore())
        && a.replaces().equals(b.replaces());
  }

  /**
   * Whether {@code rows} make Django's loader use every squash, as the no-database view does: no
   * squash has some but not all of what it replaces applied. The graph is then the same.
   */
  public static boolean sameAsWithoutRows(List<Migration> disk, Set<MigrationKey> rows) {
    Map<MigrationKey, Migration> replacements = new LinkedHashMap<>();
    for (Migration m : disk) {
      if (!m.replaces().isEmpty()) {
        replacements.put(m.key(), m);
      }
    }
    for (Migration squash : replacements.values()) {
      List<MigrationKey> replaced = Squashes.flatten(squash, replacements);
      boolean all = rows.containsAll(replaced);
      boolean none = replaced.stream().noneMatch(rows::contains);
      if (!all && !none) {
        return false;
      }
    }
    return true;
  }

  /**
   * What Django's loader counts as applied, given the rows of {@code django_migrations}: a squash
   * is applied exactly when everything it replaces is (its own row does not count), every other
   * migration when it has a row.
   */
  public static Set<MigrationKey> effectiveApplied(List<Migration> disk, Set<MigrationKey> rows) {
    Map<MigrationKey, Migration> replacements = new LinkedHashMap<>();
    for (Migration m : disk) {
      if (!m.replaces().isEmpty()) {
        replacements.put(m.key(), m);
      }
    }
    Set<MigrationKey> out = new LinkedHashSet<>(rows);
    for (Migration squash : replacements.values()) {
      if (rows.containsAll(Squashes.flatten(squash, replacements))) {
        out.add(squash.key());
      } else {
        out.remove(squash.key());
      }
    }
    return out;
  }

  /** {@code MigrationLoader.check_key}, with external and unknown apps made explicit. */
  private MigrationKey checkKey(Dependency dep, Migration current) {
    MigrationKey key = dep.key();
    String app = key.app();
    if (!key.isSpecial() || graph.contains(key)) {
      if (!graph.containsAny(key) && isExternal(app)) {
        graph.addExternal(key);
      }
      return key;
    }
    if (app.equals(current.key().app()) || apps.unmigrated().contains(app)) {
      return null;
    }
    if (apps.migrated().contains(app)) {
      boolean first = key.name().equals(MigrationKey.FIRST);
      List<MigrationKey> found = ends.computeIfAbsent((first ? "first " : "latest ") + app,
          k -> first ? graph.rootNodes(app) : graph.leafNodes(app));
      return found.isEmpty() ? null : found.get(0);
    }
    if (isExternal(app)) {
      graph.addExternal(key);
      return key;
    }
    problems.add(Problem.error("unknown-app-dependency", current.path(), dep.pos(),
        "Dependency on unknown app: " + app)
        .withHint("add the app to INSTALLED_APPS, or fix the label (ValueError in Django)"));
    return null;
  }

  /** An app outside the repository: installed as such, or any unknown one without settings. */
  private boolean isExternal(String app) {
    if (apps.migrated().contains(app) || apps.unmigrated().contains(app)) {
      return false;
    }
    return apps.external().contains(app) || !apps.closedWorld();
  }

  private static dev.migdiff.python.Position positionOf(Migration origin, MigrationKey target) {
    if (origin == null) {
      return null;
    }
    for (Dependency d : origin.dependencies()) {
      if (d.key().equals(target) && d.pos() != null) {
        return d.pos();
      }
    }
    for (Dependency d : origin.runBefore()) {
      if (d.key().equals(target) && d.pos() != null) {
        return d.pos();
      }
    }
    return origin.classPos();
  }

  /**
   * Two squashes, neither replacing the other, that replace the same migration (two branches
   * squashed the same history under different names). Django's {@code load_disk} keeps the
   * names in a set, so which squash takes over the replaced node's children depends on
   * {@code PYTHONHASHSEED}: the leaves Django reports change from run to run (seen with Django
   * 3.2 and 5.2, found by scripts/differential). migdiff answers one way; it says so.
   */
  private void overlappingSquashes(Map<MigrationKey, Migration> replacements) {
    Map<MigrationKey, Migration> firstBy = new java.util.TreeMap<>();
    for (Migration squash : new java.util.TreeMap<>(replacements).values()) {
      for (Migration.Dependency r : squash.replaces()) {
        Migration other = firstBy.putIfAbsent(r.key(), squash);
        if (other != null && !other.replacedKeys().contains(squash.key())
            && !squash.replacedKeys().contains(other.key())) {
          problems.add(Problem.warning("overlapping-squashes", squash.path(), r.pos(),
              squash.key() + " and " + other.key() + " both replace " + r.key()
                  + ": Django picks one by set order, which changes with PYTHONHASHSEED, so its "
                  + "leaves can differ from run to run")
              .withHint("keep one of the two squashes (delete the other, or make one replace "
                  + "the other)"));
          break;
        }
      }
    }
  }
}
