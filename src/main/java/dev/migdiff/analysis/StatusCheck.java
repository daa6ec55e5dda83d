package dev.migdiff.analysis;

import dev.migdiff.db.AppliedRow;
import dev.migdiff.db.DatabaseException;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.GitTree;
import dev.migdiff.git.Revision;
import dev.migdiff.git.TreeEntry;
import dev.migdiff.graph.ConsistentHistory;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.graph.GraphResult;
import dev.migdiff.graph.MigrationGraph;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code migdiff status REF}: the database's {@code django_migrations} against REF's graph, read
 * as Django's loader reads it, and where the files of what REF lacks can still be found (the
 * commit HEAD was on when each was applied, from HEAD's reflog; then recent HEADs; then branches).
 */
public final class StatusCheck {
  /** At most this many other revisions are read while looking for phantoms' files. */
  static final int MAX_CANDIDATES = 40;

  private final GitRepository repo;
  private final SnapshotLoader loader;
  private final Map<String, Optional<View>> views = new HashMap<>();
  private final Map<String, GitTree> trees = new HashMap<>();
  private List<SnapshotAdvice.Candidate> snapshots = List.of();

  public StatusCheck(GitRepository repo, MigdiffConfig overrides) {
    this(repo, overrides, dev.migdiff.django.ObjectCache.NONE);
  }

  /** Keeps what it reads between runs in {@code store}. */
  public StatusCheck(GitRepository repo, MigdiffConfig overrides,
      dev.migdiff.django.ObjectCache store) {
    this.repo = repo;
    this.loader = new SnapshotLoader(repo, overrides, store);
  }

  /** Snapshots of the database (newest first), one of which may be recommended. */
  public StatusCheck withSnapshots(List<SnapshotAdvice.Candidate> candidates) {
    this.snapshots = List.copyOf(candidates);
    return this;
  }

  public StatusReport check(String spelling, AppliedSource db)
      throws GitException, ConfigException, IOException, DatabaseException {
    Revision rev = repo.resolve(spelling);
    Snapshot snap = loader.load(rev);
    Optional<DatabaseState> found = db.read(snap);
    if (found.isEmpty()) {
      throw new DatabaseException("no database found for " + spelling,
          "pass --database URL or set DATABASE_URL (a db.sqlite3 next to manage.py is found "
              + "by itself)");
    }
    DatabaseState state = found.get();
    Set<MigrationKey> rows = state.keys();
    GraphResult gr = loader.graphWithApplied(snap, rows);
    MigrationGraph g = gr.graph();
    Set<MigrationKey> effective = GraphBuilder.effectiveApplied(snap.project().migrations(), rows);
    List<Problem> problems = new ArrayList<>(snap.problems());
    List<GitRepository.HeadMove> reflog = repo.headReflog();

    Set<String> migrated = new HashSet<>(Comparison.appLabels(snap));
    Set<MigrationKey> known = Comparison.knownKeys(snap);
    List<AppliedRow> unknown = new ArrayList<>();
    int outside = 0;
    for (AppliedRow r : state.rows()) {
      MigrationKey k = new MigrationKey(r.app(), r.name());
      if (!known.contains(k)) {
        unknown.add(r);
      }
    }

    List<StatusReport.Inconsistent> inconsistent = inconsistent(snap, g, rows);
    List<MigrationKey> unapplied = unapplied(g, effective);
    List<StatusReport.Edited> edited = edited(snap, state, rev, reflog);

    // Phantoms: rows REF has no file for. Each is looked for in other revisions, and grouped
    // by the revision whose files can unapply it.
    List<Candidate> candidates = candidates(rev.commit(), reflog);
    Map<MigrationKey, Instant> appliedAt = new HashMap<>();
    for (AppliedRow r : state.rows()) {
      appliedAt.putIfAbsent(new MigrationKey(r.app(), r.name()), r.applied());
    }
    List<StatusReport.Applied> phantoms = new ArrayList<>();
    Map<String, List<MigrationKey>> groups = new LinkedHashMap<>();
    Map<String, Candidate> groupAt = new HashMap<>();
    List<MigrationKey> unfixable = new ArrayList<>();
    for (AppliedRow r : unknown) {
      MigrationKey k = new MigrationKey(r.app(), r.name());
      Located l = locate(k, headsAt(reflog, r.applied()), candidates, rows);
      if (l == null && !migrated.contains(k.app())) {
        outside++; // Django's own apps, third-party apps, apps never in this repository
        continue;
      }
      phantoms.add(new StatusReport.Applied(k, r.applied(),
          l == null ? null : new CompareReport.Side(l.at().name, l.at().commit)));
      if (l != null && l.consistent()) {
        groups.computeIfAbsent(l.at().commit, x -> new ArrayList<>()).add(k);
        groupAt.put(l.at().commit, l.at());
      } else if (l != null) {
        unfixable.add(k);
      }
    }
    // Applied migrations whose dependencies REF does not have applied must go too; Django at
    // REF refuses to run anything until they do, so they are unapplied from elsewhere.
    for (StatusReport.Inconsistent i : inconsistent) {
      Located l = locate(i.migration(), headsAt(reflog, appliedAt.get(i.migration())),
          candidates, rows);
      if (l != null && l.consistent()) {
        List<MigrationKey> group = groups.computeIfAbsent(l.at().commit, x -> new ArrayList<>());
        if (!group.contains(i.migration())) {
          group.add(i.migration());
        }
        groupAt.put(l.at().commit, l.at());
      } else if (!unfixable.contains(i.migration())) {
        problems.add(Problem.error("inconsistent-history", null, null, i.migration()
            + " is applied but its dependency " + i.parent() + " is not, and no branch or "
            + "recent HEAD has a history Django accepts with this database, so no migrate "
            + "command can run")
            .withHint("if " + i.parent() + "'s changes are in the database, record it: INSERT "
                + "INTO django_migrations (app, name, applied) VALUES ('" + i.parent().app()
                + "', '" + i.parent().name() + "', CURRENT_TIMESTAMP)"));
      }
    }
    List<StatusReport.Fix> fixes = new ArrayList<>();
    for (Map.Entry<String, List<MigrationKey>> e : groups.entrySet()) {
      Candidate c = groupAt.get(e.getKey());
      View v = view(c, rows);
      Snapshot at = v.snapshot();
      GraphResult cg = v.graph();
      Set<MigrationKey> applied = Comparison.applied(at, cg, Optional.of(state));
      CompareReport.Switch plan = Comparison.planUnapply(at, cg, applied, e.getValue(),
          List.of(), problems);
      fixes.add(new StatusReport.Fix(new CompareReport.Side(c.name, c.commit), plan));
    }
    for (StatusReport.Applied p : phantoms) {
      if (unfixable.contains(p.key())) {
        problems.add(Problem.warning("phantom-not-fixable", null, null, p.key()
            + " is applied and " + p.foundIn().ref() + " has its file, but Django would refuse "
            + "to migrate there too (inconsistent history)")
            .withHint("fix the inconsistent history first, then run migdiff status again"));
      } else if (p.foundIn() == null) {
        problems.add(Problem.warning("phantom-not-found", null, null, p.key()
            + " is applied, but no branch or recent HEAD has its file, so no command can "
            + "unapply it")
            .withHint("find the branch that added it (git log --all -- '*/" + p.key().name()
                + ".py'), or delete its row if its schema changes are gone too"));
      }
    }
    problems.sort(null);
    return new StatusReport(new CompareReport.Side(spelling, rev.commit()),
        Comparison.database(snap, found), phantoms, edited, unapplied, inconsistent, outside,
        fixes, snap.config().manageCommand(), snap.project().projectRoot(),
        List.copyOf(new LinkedHashSet<>(problems)))
        .withSnapshot(phantoms.isEmpty() && inconsistent.isEmpty()
            ? null : SnapshotAdvice.best(loader, snap, spelling, state.url(), snapshots));
  }

  /** {@code MigrationLoader.check_consistent_history}, listing every case, not just the first. */
  static List<StatusReport.Inconsistent> inconsistent(Snapshot s, MigrationGraph g,
      Set<MigrationKey> rows) {
    List<StatusReport.Inconsistent> out = new ArrayList<>();
    for (ConsistentHistory.Inconsistency i : ConsistentHistory.check(g, s.project().migrations(),
        rows, null, k -> false)) {
      out.add(new StatusReport.Inconsistent(i.migration(), i.parent()));
    }
    return out;
  }

  /** What {@code migrate} would apply, in its order: the forwards plan of every leaf. */
  static List<MigrationKey> unapplied(MigrationGraph g, Set<MigrationKey> applied) {
    List<MigrationKey> out = new ArrayList<>();
    for (MigrationKey k : g.forwardsPlan(g.leafNodes(null))) {
      if (!applied.contains(k) && !g.isExternal(k)) {
        out.add(k);
      }
    }
    return out;
  }

  private List<StatusReport.Edited> edited(Snapshot snap, DatabaseState state, Revision rev,
      List<GitRepository.HeadMove> reflog) throws IOException, GitException {
    Map<MigrationKey, Migration> here = Comparison.byKey(snap);
    List<StatusReport.Edited> out = new ArrayList<>();
    for (AppliedRow r : state.rows()) {
      MigrationKey k = new MigrationKey(r.app(), r.name());
      Migration m = here.get(k);
      if (m == null) {
        continue;
      }
      // Every commit HEAD may have been on must agree on the version it had.
      String then = null;
      String blob = null;
      boolean agree = true;
      for (String c : headsAt(reflog, r.applied())) {
        Optional<TreeEntry> e = tree(c).entry(m.path());
        if (e.isEmpty()) {
          continue;
        }
        if (blob == null) {
          blob = e.get().id();
          then = c;
        } else if (!blob.equals(e.get().id())) {
          agree = false;
        }
      }
      if (agree && blob != null && !blob.equals(m.blobId())) {
        out.add(new StatusReport.Edited(k, m.path(), r.applied(),
            new CompareReport.Side(repo.describe(then), then)));
      }
    }
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  /**
   * The commits HEAD may have been on at {@code when}: one when the reflog tells exactly; more
   * when HEAD moved within that same second (the reflog keeps whole seconds); none when the
   * time or the reflog is missing.
   */
  static List<String> headsAt(List<GitRepository.HeadMove> reflog, Instant when) {
    if (when == null || reflog.isEmpty()) {
      return List.of();
    }
    long second = when.getEpochSecond();
    String before = null;
    List<String> out = new ArrayList<>();
    for (GitRepository.HeadMove m : reflog) {
      long s = m.when().getEpochSecond();
      if (s < second) {
        before = m.commit();
      } else if (s == second && !out.contains(m.commit())) {
        out.add(m.commit());
      }
    }
    if (before != null && !out.contains(before)) {
      out.add(0, before);
    }
    return out;
  }

  private record Candidate(String name, String commit) {}

  private List<Candidate> candidates(String refCommit, List<GitRepository.HeadMove> reflog) {
    Map<String, Candidate> out = new LinkedHashMap<>();
    for (int i = reflog.size() - 1; i >= 0; i--) {
      String c = reflog.get(i).commit();
      if (!c.equals(refCommit)) {
        out.putIfAbsent(c, new Candidate(repo.describe(c), c));
      }
    }
    for (GitRepository.Branch b : repo.branches()) {
      if (!b.commit().equals(refCommit)) {
        out.putIfAbsent(b.commit(), new Candidate(b.name(), b.commit()));
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * The first revision that has {@code k} in its graph, preferring the one HEAD was on when it
   * was applied, then one where the database's history is consistent.
   */
  /** A revision that has a migration, and whether Django would migrate there at all. */
  private record Located(Candidate at, boolean consistent) {}

  private Located locate(MigrationKey k, List<String> appliedOn, List<Candidate> candidates,
      Set<MigrationKey> rows) {
    List<Candidate> order = new ArrayList<>();
    for (String on : appliedOn) {
      candidates.stream().filter(c -> c.commit.equals(on)).findFirst()
          .ifPresentOrElse(order::add, () -> order.add(new Candidate(repo.describe(on), on)));
    }
    order.addAll(candidates);
    Candidate fallback = null;
    int read = 0;
    for (Candidate c : order) {
      if (read++ >= MAX_CANDIDATES) {
        break;
      }
      View v = view(c, rows);
      if (v == null || v.graph().graph().migration(k) == null) {
        continue;
      }
      if (v.consistent()) {
        return new Located(c, true);
      }
      if (fallback == null) {
        fallback = c;
      }
    }
    return fallback == null ? null : new Located(fallback, false);
  }

  /**
   * A candidate revision read once per check: its graph as Django builds it for this database,
   * and whether Django accepts the database's history there.
   */
  private record View(Snapshot snapshot, GraphResult graph, boolean consistent) {}

  private View view(Candidate c, Set<MigrationKey> rows) {
    return views.computeIfAbsent(c.commit, x -> {
      try {
        Snapshot s = loader.load(new Revision(c.name, c.commit));
        GraphResult g = loader.graphWithApplied(s, rows);
        return Optional.of(new View(s, g, inconsistent(s, g.graph(), rows).isEmpty()));
      } catch (GitException | ConfigException | IOException e) {
        return Optional.empty();
      }
    }).orElse(null);
  }

  private GitTree tree(String commit) throws GitException {
    GitTree t = trees.get(commit);
    if (t == null) {
      t = repo.tree(new Revision(commit, commit));
      trees.put(commit, t);
    }
    return t;
  }

}
