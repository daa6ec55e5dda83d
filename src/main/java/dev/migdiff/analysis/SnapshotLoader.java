package dev.migdiff.analysis;

import dev.migdiff.django.App;
import dev.migdiff.django.DjangoProject;
import dev.migdiff.django.ProjectLoader;
import dev.migdiff.django.SourceTree;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.Revision;
import dev.migdiff.graph.AppSets;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.graph.GraphResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a revision into a {@link Snapshot}: config, project, graph. */
public final class SnapshotLoader {
  private final GitRepository repo;
  private final MigdiffConfig overrides;
  private final dev.migdiff.django.ParseCache parsed;
  private final StoredPyproject pyprojects;
  private final dev.migdiff.django.ObjectCache store;
  /** Source-root declarations by the packaging files' blob ids, for this run. */
  private final java.util.Map<String, List<String>> sourceRoots = new java.util.HashMap<>();
  /** Directory listings by tree id, shared by the revisions this loader reads. */
  private final java.util.Map<String, List<SourceTree.Entry>> listings = new java.util.HashMap<>();
  /** The full stored listings entries of this run's revisions (see GitSourceTree.Bases). */
  private final GitSourceTree.Bases bases = new GitSourceTree.Bases();
  /** Each root tree's files, once per run (however many times a revision is asked for). */
  private final java.util.Map<String, GitSourceTree> trees = new java.util.HashMap<>();
  /**
   * The last revisions read, by root tree id: a revision of a tree read before is that reading
   * (its graph too). {@code FROM TO}'s merge base is FROM itself whenever TO was branched from,
   * or rebased onto, FROM's tip. A few only: a sweep reads hundreds of revisions.
   */
  private final java.util.Map<String, Snapshot> recent =
      new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Snapshot> eldest) {
          return size() > RECENT;
        }
      };
  private static final int RECENT = 4;

  /** {@code overrides} (from the command line) win over the repository's pyproject.toml. */
  public SnapshotLoader(GitRepository repo, MigdiffConfig overrides) {
    this(repo, overrides, dev.migdiff.django.ObjectCache.NONE);
  }

  /** Where readings are kept between runs. */
  dev.migdiff.django.ObjectCache store() {
    return store;
  }

  /** Keeps what it reads between runs in {@code store} (see {@link dev.migdiff.django.ObjectCache}). */
  public SnapshotLoader(GitRepository repo, MigdiffConfig overrides,
      dev.migdiff.django.ObjectCache store) {
    this.repo = repo;
    this.overrides = overrides;
    this.parsed = new dev.migdiff.django.ParseCache(store);
    this.pyprojects = new StoredPyproject(store);
    this.store = store;
  }

  /** Reports what it reads to {@code p} (see {@link dev.migdiff.django.Progress}). */
  public SnapshotLoader withProgress(dev.migdiff.django.Progress p) {
    parsed.withProgress(p);
    return this;
  }

  /** Where this loader reports what it reads. */
  dev.migdiff.django.Progress progress() {
    return parsed.progress();
  }

  public Snapshot load(String spelling) throws GitException, ConfigException, IOException {
    return load(repo.resolve(spelling));
  }

  public Snapshot load(Revision revision) throws GitException, ConfigException, IOException {
    dev.migdiff.git.GitTree git = repo.tree(revision);
    Resident.Key key = new Resident.Key(git.id(), overrides);
    Resident.Kept kept = Resident.get(key);
    if (kept != null) {
      return kept.snapshot().as(revision);
    }
    Snapshot known = recent.get(git.id());
    if (known != null) {
      return known.as(revision);
    }
    // (announced only when read: a revision read before is no stage of the run)
    String name = revision.spelling();
    parsed.progress().stage("reading " + (dev.migdiff.django.ObjectCache.isObjectId(name) ? name.substring(0, 12)
        : name));
    Snapshot s = load(revision, tree(git));
    recent.put(git.id(), s);
    Resident.put(key, new Resident.Kept(s, List.of()));
    return s;
  }

  /** A merge's reading, and the text conflicts met while reading it. */
  record Merged(Snapshot snapshot, List<MergedSourceTree.TextConflict> conflicts) {}

  /**
   * Reads the merge of {@code from} and {@code to} over {@code base} (see {@link
   * MergedSourceTree}) as if it were {@code as}. A function of the three root trees and the
   * configuration, so the hook's daemon keeps it like a revision.
   */
  Merged loadMerge(Revision as, Revision base, Revision from, Revision to)
      throws GitException, ConfigException, IOException {
    dev.migdiff.git.GitTree b = repo.tree(base);
    dev.migdiff.git.GitTree f = repo.tree(from);
    dev.migdiff.git.GitTree t = repo.tree(to);
    Resident.Key key = new Resident.Key("merge " + b.id() + " " + f.id() + " " + t.id(),
        overrides);
    Resident.Kept kept = Resident.get(key);
    if (kept != null) {
      return new Merged(kept.snapshot().as(as), kept.conflicts());
    }
    // Where one side is the merge base (or both sides are one tree), the three-way merge of
    // every path is the other side's: the merge is that revision, read and built once.
    if (b.id().equals(f.id()) || f.id().equals(t.id())) {
      return new Merged(load(to).as(as), List.of());
    }
    if (b.id().equals(t.id())) {
      return new Merged(load(from).as(as), List.of());
    }
    MergedSourceTree tree = new MergedSourceTree(tree(b), tree(f), tree(t), path -> true, store);
    Snapshot s = load(as, tree);
    Merged m = new Merged(s, List.copyOf(tree.conflicts()));
    Resident.put(key, new Resident.Kept(s, m.conflicts()));
    return m;
  }

  /**
   * Revisions read by earlier runs of this process, by root tree id and configuration (what a
   * revision's reading is a function of): off unless {@link #keepBetweenRuns} (the hook's
   * daemon, where one developer switches among a few branches). A snapshot is kept only whole:
   * every migration's operations read, so it holds nothing of the run that read it (its
   * repository, its cache). Bounded by migrations kept.
   */
  static final class Resident {
    /** A root tree id (or a merge's three), and the configuration from the command line. */
    record Key(String tree, MigdiffConfig overrides) {}

    /** A reading, and for a merge the text conflicts met reading it. */
    record Kept(Snapshot snapshot, List<MergedSourceTree.TextConflict> conflicts) {}

    private static final int MAX_MIGRATIONS = 20_000;
    private static java.util.LinkedHashMap<Key, Kept> kept;
    /** The migrations of every reading in {@link #kept}. */
    private static int total;

    static synchronized Kept get(Key key) {
      return kept == null ? null : kept.get(key);
    }

    static void put(Key key, Kept k) {
      Snapshot s = k.snapshot();
      synchronized (Resident.class) {
        if (kept == null || s.project().migrations().size() > MAX_MIGRATIONS / 2) {
          return;
        }
      }
      try {
        for (dev.migdiff.django.Migration m : s.project().migrations()) {
          m.operations();
        }
      } catch (RuntimeException e) {
        return; // a file that cannot be read: read again next time, not kept half-read
      }
      synchronized (Resident.class) {
        Kept replaced = kept.put(key, k);
        total += s.project().migrations().size()
            - (replaced == null ? 0 : replaced.snapshot().project().migrations().size());
        java.util.Iterator<Kept> eldest = kept.values().iterator();
        while (total > MAX_MIGRATIONS && eldest.hasNext()) {
          total -= eldest.next().snapshot().project().migrations().size();
          eldest.remove();
        }
      }
    }
  }

  /** Keeps whole revisions in memory between the runs of this process (the hook's daemon). */
  public static void keepBetweenRuns() {
    synchronized (Resident.class) {
      if (Resident.kept == null) {
        Resident.kept = new java.util.LinkedHashMap<>(16, 0.75f, true);
      }
    }
  }

  /** The files of a revision. */
  SourceTree tree(Revision revision) throws GitException {
    return tree(repo.tree(revision));
  }

  private SourceTree tree(dev.migdiff.git.GitTree git) {
    return trees.computeIfAbsent(git.id(), id -> new GitSourceTree(git, listings, store, bases));
  }

  /** Reads {@code tree} as if it were {@code revision} (used for merged trees). */
  Snapshot load(Revision revision, SourceTree tree) throws ConfigException, IOException {
    MigdiffConfig config = overrides.over(pyproject(tree));
    if (config.sourceRoots() == null) {
      config = config.withSourceRoots(SourceRoots.detect(tree, store, sourceRoots));
    }
    DjangoProject project = ProjectLoader.load(tree, config.django(), parsed);
    if (config.djangoVersion() == null) {
      Optional<String> detected = DjangoVersionDetector.detect(tree, project.projectRoot(),
          store);
      if (detected.isPresent()) {
        config = new MigdiffConfig(null, null, java.util.Map.of(), java.util.Map.of(), null,
            detected.get(), null).over(config);
        if (!config.django().djangoAtLeast(4, 1)) {
          project = ProjectLoader.load(tree, config.django(), parsed);
        }
      }
    }
    return snapshot(revision, config, project);
  }

  /**
   * Reads {@code tree}, which differs from {@code layout}'s only inside migrations packages, with
   * {@code layout}'s configuration and apps (see {@link ProjectLoader#loadWithApps}).
   */
  Snapshot loadWithApps(Revision revision, SourceTree tree, Snapshot layout) throws IOException {
    DjangoProject project = ProjectLoader.loadWithApps(tree, layout.config().django(), parsed,
        layout.project());
    return snapshot(revision, layout.config(), project);
  }

  /** The graph of {@code s} as Django's loader builds it for a database with {@code rows}. */
  GraphResult graphWithApplied(Snapshot s, Set<dev.migdiff.django.MigrationKey> rows) {
    if (GraphBuilder.sameAsWithoutRows(s.project().migrations(), rows)) {
      return s.graph();
    }
    return GraphBuilder.build(s.project().migrations(), appSets(s.project()), rows);
  }

  /**
   * A reading whose graph (without a database) is built when first asked for, or taken from a
   * reading before it that building cannot tell from this one ({@link GraphBuilder#rebind}):
   * FROM and a branch of it that changed some migration's operations, say. Only readings made
   * before this one are asked, so a graph never waits for one that waits for it.
   */
  private Snapshot snapshot(Revision revision, MigdiffConfig config, DjangoProject project) {
    int number;
    synchronized (read) {
      number = ++reads;
    }
    Snapshot s = new Snapshot(revision, config, project, () -> {
      AppSets apps = appSets(project);
      for (Snapshot before : readBefore(number)) {
        GraphResult shared = GraphBuilder.rebind(before.project().migrations(),
            appSets(before.project()), before::graph, project.migrations(), apps);
        if (shared != null) {
          return shared;
        }
      }
      return GraphBuilder.build(project.migrations(), apps);
    });
    synchronized (read) {
      read.addLast(new Read(number, new java.lang.ref.WeakReference<>(s)));
      if (read.size() > RECENT) {
        read.removeFirst();
      }
    }
    return s;
  }

  /**
   * A reading, numbered in the order this loader made them; weakly, so that sharing keeps no
   * reading its user let go (a comparison drops the merge base's and the merge's early).
   */
  private record Read(int number, java.lang.ref.WeakReference<Snapshot> snapshot) {}

  /** The last readings made (a few: a sweep makes hundreds), oldest first. */
  private final java.util.ArrayDeque<Read> read = new java.util.ArrayDeque<>();
  private int reads;

  /** The readings still kept in {@link #read} made before reading {@code number}, newest first. */
  private List<Snapshot> readBefore(int number) {
    List<Snapshot> out = new java.util.ArrayList<>();
    synchronized (read) {
      java.util.Iterator<Read> newest = read.descendingIterator();
      while (newest.hasNext()) {
        Read r = newest.next();
        Snapshot s = r.snapshot().get();
        if (r.number() < number && s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static AppSets appSets(DjangoProject project) {
    Set<String> migrated = new HashSet<>();
    Set<String> unmigrated = new HashSet<>();
    Set<String> external = new HashSet<>();
    for (App app : project.apps()) {
      switch (app.state()) {
        case MIGRATED -> migrated.add(app.label());
        case UNMIGRATED -> unmigrated.add(app.label());
        case EXTERNAL -> external.add(app.label());
      }
    }
    return new AppSets(migrated, unmigrated, external, project.closedWorld());
  }

  private MigdiffConfig pyproject(SourceTree tree) throws IOException, ConfigException {
    Optional<SourceTree.Entry> e = tree.entry("pyproject.toml");
    if (e.isEmpty() || e.get().kind() != SourceTree.Kind.FILE) {
      return MigdiffConfig.EMPTY;
    }
    SourceTree.Entry file = e.get();
    try {
      // read only when its reading is not kept (a warm run then reads no Git object)
      return pyprojects.parse(file.id(), () -> {
        try {
          return new String(tree.read(file), StandardCharsets.UTF_8);
        } catch (IOException x) {
          throw new java.io.UncheckedIOException(x);
        }
      }, "pyproject.toml");
    } catch (java.io.UncheckedIOException x) {
      throw x.getCause();
    }
  }
}
