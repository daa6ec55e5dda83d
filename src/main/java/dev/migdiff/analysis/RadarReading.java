package dev.migdiff.analysis;

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
  private final Map<String, Snapshot> snapshots = new HashMap<>();
  private final Map<String, State> states = new HashMap<>();

  /** One branch tip read against BASE. */
  static final class State {
    String commit;
    String mergeBase;
    Snapshot tip;
    Map<MigrationKey, Migration> tipKeys;
    Map<MigrationKey, Migration> mergeBaseKeys;
    SourceTree tree;
    /** The tree of "BASE, then this branch merged in" (null when no migration changed). */
    MergedSourceTree withBase;
    /** The apps with divergent leaves in that tree (BASE's own included). */
    Set<String> conflictsAfterMerge = Set.of();
    List<RadarReport.AppChange> apps = List.of();
    List<RadarReport.BaseConflict> againstBase = List.of();
    List<String> textConflicts = List.of();

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
    s.tip = snapshot(tip.commit());
    s.tipKeys = Comparison.byKey(s.tip);
    s.mergeBaseKeys = Comparison.byKey(snapshot(s.mergeBase));
    s.tree = tree(tip.commit());
    s.apps = changes(s.tipKeys, s.mergeBaseKeys);
    if (!s.apps.isEmpty()) {
      mergeIntoBase(s);
    } else {
      s.conflictsAfterMerge = baseConflicts;
    }
    states.put(tip.commit(), s);
    return s;
  }

  /** The tree and graph git's merge of the branch into BASE gives, and what it breaks. */
  private void mergeIntoBase(State s) throws GitException, ConfigException, IOException {
    s.withBase = new MergedSourceTree(tree(s.mergeBase), baseTree, s.tree);
    Snapshot merged = loader.load(new Revision("merge", s.commit), s.withBase);
    Map<String, List<String>> conflicts = merged.graph().conflicts(Comparison.appLabels(merged));
    s.conflictsAfterMerge = conflicts.keySet();
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
    s.textConflicts = migrationConflicts(s.withBase);
  }

  /** The migration files git merge would stop on in {@code tree} (the directories read). */
  static List<String> migrationConflicts(MergedSourceTree tree) {
    List<String> out = new ArrayList<>();
    for (MergedSourceTree.TextConflict c : tree.conflicts()) {
      if (c.path().contains("/migrations/") || c.path().startsWith("migrations/")) {
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
