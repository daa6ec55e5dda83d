package dev.migdiff.analysis;

import dev.migdiff.django.App;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.SourceTree;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.Revision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What radar reads once per distinct commit: BASE, each branch tip, its merge base with BASE and
 * the tree git would make by merging it into BASE. One {@link SnapshotLoader} serves them all, so
 * each tree and blob is listed and parsed once however many branches share it.
 */
final class RadarReading {
  private final GitRepository repo;
  private final SnapshotLoader loader;
  final Revision baseRev;
  final Snapshot base;
  final SourceTree baseTree;
  /** The apps with divergent leaves at BASE itself. */
  final Set<String> baseConflicts;
  private final List<String> baseLayout;
  private final Map<String, Snapshot> snapshots = new HashMap<>();
  private final Map<String, State> states = new HashMap<>();

  /** One branch tip read against BASE. */
  static final class State {
    String commit;
    String mergeBase;
    Map<MigrationKey, Migration> tipKeys;
    Map<MigrationKey, Migration> mergeBaseKeys;
    SourceTree tree;
    /** The tree of "BASE, then this branch merged in" (null when no migration changed). */
    SourceTree withBase;
    /** The merge base's snapshot: which apps there are, and where (for the filtered reads). */
    Snapshot layout;
    /** Whether the branch changes which apps there are (then everything is read). */
    boolean layoutChanged;
    /**
     * Whether the branch, its merge base and BASE have the same apps: then merged trees are read
     * with those apps instead of resolving them again.
     */
    boolean stable;
    /** The apps with divergent leaves in that tree (BASE's own included). */
    Set<String> conflictsAfterMerge = Set.of();
    List<RadarReport.AppChange> apps = List.of();
    List<RadarReport.BaseConflict> againstBase = List.of();
    List<String> textConflicts = List.of();

    /** Whether the tip and BASE have one merge base only (null until asked). */
    Boolean oneBase;
    /** The commits only the tip reaches, not BASE (null until asked, or when too many). */
    Set<String> own;
    boolean ownRead;

    /** The apps whose migrations this branch changed. */
    Set<String> touched() {
      Set<String> out = new HashSet<>();
      apps.forEach(a -> out.add(a.app()));
      return out;
    }

    boolean added(MigrationKey k) {
      return tipKeys.containsKey(k) && !mergeBaseKeys.containsKey(k);
    }

    boolean edited(MigrationKey k) {
      Migration a = tipKeys.get(k);
      Migration b = mergeBaseKeys.get(k);
      return a != null && b != null && !java.util.Objects.equals(a.blobId(), b.blobId());
    }
  }

  RadarReading(GitRepository repo, SnapshotLoader loader, Revision baseRev)
      throws GitException, ConfigException, IOException {
    this.repo = repo;
    this.loader = loader;
    this.baseRev = baseRev;
    this.base = snapshot(baseRev.commit());
    this.baseTree = loader.tree(baseRev);
    this.baseConflicts = base.graph().conflicts(Comparison.appLabels(base)).keySet();
    this.baseLayout = layoutOf(base);
  }

  GitRepository repo() {
    return repo;
  }

  SnapshotLoader loader() {
    return loader;
  }

  /** A commit read once per run. */
  Snapshot snapshot(String commit) throws GitException, ConfigException, IOException {
    Snapshot s = snapshots.get(commit);
    if (s == null) {
      s = loader.load(new Revision(commit, commit));
      snapshots.put(commit, s);
    }
    return s;
  }

  SourceTree tree(String commit) throws GitException {
    return loader.tree(new Revision(commit, commit));
  }

  /** Bounds the commits listed per branch for {@link #apart}. */
  private static final int MAX_OWN_COMMITS = 20_000;

  /**
   * Whether B's merge base with BASE is also the base of merging B after A, without walking A
   * and B: when no commit that only A reaches (not BASE) is in B's history, every common ancestor
   * of A and B is one of B and BASE, so it is an ancestor of their merge base when that one is
   * the only one. False when unsure (the caller then asks git).
   */
  boolean apart(State a, State b) throws GitException {
    if (b.oneBase == null) {
      b.oneBase = repo.oneMergeBase(baseRev, new Revision(b.commit, b.commit));
    }
    if (!b.oneBase) {
      return false;
    }
    Set<String> ownA = own(a);
    Set<String> ownB = own(b);
    if (ownA == null || ownB == null) {
      return false;
    }
    Set<String> small = ownA.size() <= ownB.size() ? ownA : ownB;
    Set<String> large = small == ownA ? ownB : ownA;
    for (String c : small) {
      if (large.contains(c)) {
        return false;
      }
    }
    return true;
  }

  private Set<String> own(State s) throws GitException {
    if (!s.ownRead) {
      s.own = repo.onlyIn(s.commit, baseRev.commit(), MAX_OWN_COMMITS);
      s.ownRead = true;
    }
    return s.own;
  }

  /** Reads a branch tip against BASE (once per commit). */
  State read(Revision tip) throws GitException, ConfigException, IOException {
    State cached = states.get(tip.commit());
    if (cached != null) {
      return cached;
    }
    Optional<String> mb = repo.mergeBase(baseRev, tip);
    if (mb.isEmpty()) {
      throw new GitException("'" + tip.spelling() + "' and '" + baseRev.spelling()
          + "' have unrelated histories: there is no merge base", null);
    }
    State s = new State();
    s.commit = tip.commit();
    s.mergeBase = mb.get();
    s.tree = tree(tip.commit());
    Snapshot layout = s.commit.equals(s.mergeBase) ? null : mergeBaseView(s);
    Set<String> changed;
    if (layout == null) {
      layout = snapshot(s.mergeBase);
      changed = changedApps(layout, tree(s.mergeBase), s.tree);
    } else {
      changed = changedApps(layout, tree(s.mergeBase), s.tree);
    }
    s.layout = layout;
    s.mergeBaseKeys = Comparison.byKey(layout);
    if (s.commit.equals(s.mergeBase)) {
      s.tipKeys = s.mergeBaseKeys;
      s.conflictsAfterMerge = baseConflicts;
      states.put(tip.commit(), s);
      return s;
    }
    // Only the apps whose migrations directory changed are read; when the branch changes which
    // apps there are (settings, labels), everything is.
    Snapshot view = loader.load(new Revision(tip.spelling(), tip.commit()),
        new AppFilterTree(s.tree, hiddenExcept(layout, changed), false));
    if (!layoutOf(view).equals(layoutOf(layout))) {
      s.layoutChanged = true;
      view = snapshot(tip.commit());
      changed = null;
      // everything is compared: the merge base too
      s.layout = snapshot(s.mergeBase);
      s.mergeBaseKeys = Comparison.byKey(s.layout);
    }
    s.stable = !s.layoutChanged && layoutOf(layout).equals(baseLayout);
    s.tipKeys = Comparison.byKey(view);
    s.apps = changes(only(s.tipKeys, changed), only(s.mergeBaseKeys, changed));
    if (!s.apps.isEmpty()) {
      mergeIntoBase(s, view);
    } else {
      s.conflictsAfterMerge = baseConflicts;
    }
    states.put(tip.commit(), s);
    return s;
  }

  /** Merge bases read for the apps a branch changed, by commit and those apps. */
  private final Map<String, Snapshot> mergeBaseViews = new HashMap<>();

  /**
   * The branch's merge base read for the apps whose migrations the branch changed only, when it
   * has BASE's apps (as a whole read would find them: which apps there are never depends on
   * the migration files left out); else null, and it is read whole. The apps changed are those
   * of BASE's apps then, the same as of the merge base's.
   */
  private Snapshot mergeBaseView(State s) throws GitException, ConfigException, IOException {
    if (s.mergeBase.equals(baseRev.commit())) {
      return base;
    }
    SourceTree mbTree = tree(s.mergeBase);
    Set<String> changed = changedApps(base, mbTree, s.tree);
    String key = s.mergeBase + "\0" + new TreeSet<>(changed);
    Snapshot view = mergeBaseViews.get(key);
    if (view == null) {
      view = loader.load(new Revision(s.mergeBase, s.mergeBase),
          new AppFilterTree(mbTree, hiddenExcept(base, changed), false));
      mergeBaseViews.put(key, view);
    }
    return layoutOf(view).equals(baseLayout) ? view : null;
  }

  /**
   * The tree and graph git's merge of the branch into BASE gives, and what it breaks. When the
   * branch starts at BASE the merge is a fast-forward: its own tree, already read.
   */
  private void mergeIntoBase(State s, Snapshot tipView)
      throws GitException, ConfigException, IOException {
    Set<String> keep = s.layoutChanged ? null : s.touched();
    Snapshot merged;
    MergedSourceTree text = null;
    if (s.mergeBase.equals(baseRev.commit())) {
      s.withBase = s.tree;
      merged = tipView;
    } else {
      text = new MergedSourceTree(tree(s.mergeBase), baseTree, s.tree, RadarReading::mergeNow,
          loader.store());
      s.withBase = text;
      merged = load(new Revision("merge", s.commit), text, s.stable ? s.layout : null, keep);
    }
    Map<String, List<String>> conflicts = new TreeMap<>(MigrationKey.PYTHON_ORDER);
    conflicts.putAll(merged.graph().conflicts(Comparison.appLabels(merged)));
    Set<String> after = new HashSet<>(baseConflicts);
    if (keep != null) {
      conflicts.keySet().retainAll(keep);
      after.removeAll(keep);
    } else {
      after.clear();
    }
    after.addAll(conflicts.keySet());
    s.conflictsAfterMerge = after;
    List<RadarReport.BaseConflict> out = new ArrayList<>();
    String manage = base.config().manageCommand();
    conflicts.forEach((app, leaves) -> {
      if (!baseConflicts.contains(app)) {
        out.add(new RadarReport.BaseConflict(app, leaves, "merge '" + baseRev.spelling()
            + "' into the branch and run `" + manage + " makemigrations --merge "
            + ShellWords.quote(app) + "`, or rebase its migrations onto it"));
      }
    });
    s.againstBase = out;
    s.textConflicts = text == null ? List.of() : migrationConflicts(text);
  }

  /**
   * Reads a merged tree: only {@code keep}'s apps (all when null), with {@code layout}'s apps when
   * given (else resolving them as for any revision).
   */
  Snapshot load(Revision rev, SourceTree tree, Snapshot layout, Set<String> keep)
      throws ConfigException, IOException {
    if (keep == null) {
      return loader.load(rev, tree);
    }
    Snapshot shape = layout != null ? layout : base;
    SourceTree view = new AppFilterTree(tree, hiddenExcept(shape, keep), layout != null);
    return layout != null ? loader.loadWithApps(rev, view, layout) : loader.load(rev, view);
  }

  /** The migrations directories of {@code layout}'s apps other than {@code keep}'s labels. */
  Set<String> hiddenExcept(Snapshot layout, Set<String> keep) {
    Set<String> out = new HashSet<>();
    for (App a : layout.project().apps()) {
      if (a.migrationsPath() != null && !keep.contains(a.label())) {
        out.add(a.migrationsPath());
      }
    }
    return out;
  }

  /** The apps of {@code layout} whose migrations directory differs between two trees. */
  private static Set<String> changedApps(Snapshot layout, SourceTree from, SourceTree to)
      throws IOException {
    Set<String> out = new HashSet<>();
    for (App a : layout.project().apps()) {
      if (a.migrationsPath() != null && a.state() == App.State.MIGRATED && !java.util.Objects
          .equals(id(from, a.migrationsPath()), id(to, a.migrationsPath()))) {
        out.add(a.label());
      }
    }
    return out;
  }

  private static String id(SourceTree tree, String path) throws IOException {
    return tree.entry(path).map(SourceTree.Entry::id).orElse(null);
  }

  /** What decides which apps there are: labels, their migrations directories and states. */
  private static List<String> layoutOf(Snapshot s) {
    List<String> out = new ArrayList<>();
    for (App a : s.project().apps()) {
      out.add(a.label() + "\0" + a.migrationsPath() + "\0" + a.state());
    }
    out.sort(null);
    return out;
  }

  private static Map<MigrationKey, Migration> only(Map<MigrationKey, Migration> keys,
      Set<String> apps) {
    if (apps == null) {
      return keys;
    }
    Map<MigrationKey, Migration> out = new HashMap<>();
    keys.forEach((k, v) -> {
      if (apps.contains(k.app())) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * Whether a merged tree merges the file at {@code path} when listing its directory: the
   * migration files, whose conflicts radar reports; the others are merged when read.
   */
  static boolean mergeNow(String path) {
    return path.contains("/migrations/") || path.startsWith("migrations/");
  }

  /** The migration files git merge would stop on in {@code tree} (the directories read). */
  static List<String> migrationConflicts(MergedSourceTree tree) {
    List<String> out = new ArrayList<>();
    for (MergedSourceTree.TextConflict c : tree.conflicts()) {
      if (mergeNow(c.path())) {
        out.add(c.path());
      }
    }
    return out;
  }

  /** Per app, sorted: the migrations added, edited and removed between two revisions. */
  static List<RadarReport.AppChange> changes(Map<MigrationKey, Migration> tip,
      Map<MigrationKey, Migration> mergeBase) {
    Map<String, List<List<String>>> byApp = new TreeMap<>(MigrationKey.PYTHON_ORDER);
    TreeSet<MigrationKey> keys = new TreeSet<>(tip.keySet());
    keys.addAll(mergeBase.keySet());
    for (MigrationKey k : keys) {
      Migration a = tip.get(k);
      Migration b = mergeBase.get(k);
      int slot = b == null ? 0 : a == null ? 2
          : java.util.Objects.equals(a.blobId(), b.blobId()) ? -1 : 1;
      if (slot >= 0) {
        byApp.computeIfAbsent(k.app(), x -> List.of(new ArrayList<>(), new ArrayList<>(),
            new ArrayList<>())).get(slot).add(k.name());
      }
    }
    List<RadarReport.AppChange> out = new ArrayList<>();
    byApp.forEach((app, l) -> out.add(new RadarReport.AppChange(app, List.copyOf(l.get(0)),
        List.copyOf(l.get(1)), List.copyOf(l.get(2)))));
    return out;
  }
}
