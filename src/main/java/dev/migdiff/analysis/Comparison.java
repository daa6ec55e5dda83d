package dev.migdiff.analysis;

import dev.migdiff.db.DatabaseException;
import dev.migdiff.django.App;
import dev.migdiff.django.DeploySafety;
import dev.migdiff.django.FieldState;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import dev.migdiff.django.Reversal;
import dev.migdiff.django.Reversibility;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.Revision;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.graph.GraphResult;
import dev.migdiff.graph.MigrationGraph;
import dev.migdiff.graph.SquashRowOrder;
import dev.migdiff.graph.SwitchPlan;
import dev.migdiff.graph.SwitchPlanner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code migdiff FROM TO}: the merge preview and the switch plan, from Git objects alone. */
public final class Comparison {
  private final GitRepository repo;
  private final SnapshotLoader loader;
  private List<SnapshotAdvice.Candidate> snapshots = List.of();

  public Comparison(GitRepository repo, MigdiffConfig overrides) {
    this(repo, overrides, dev.migdiff.django.ObjectCache.NONE);
  }

  /** Keeps what it reads between runs in {@code store}. */
  public Comparison(GitRepository repo, MigdiffConfig overrides,
      dev.migdiff.django.ObjectCache store) {
    this.repo = repo;
    this.loader = new SnapshotLoader(repo, overrides, store);
  }

  /** Reports what it reads and does to {@code p}. */
  public Comparison withProgress(dev.migdiff.django.Progress p) {
    loader.withProgress(p);
    return this;
  }

  /** Snapshots of the database (newest first), one of which may be recommended. */
  public Comparison withSnapshots(List<SnapshotAdvice.Candidate> candidates) {
    this.snapshots = List.copyOf(candidates);
    return this;
  }

  public CompareReport compare(String fromSpelling, String toSpelling)
      throws GitException, ConfigException, IOException {
    try {
      return compare(fromSpelling, toSpelling, AppliedSource.NONE);
    } catch (DatabaseException e) {
      throw new IllegalStateException(e); // AppliedSource.NONE reads nothing
    }
  }

  /** Compares, planning the switch from what {@code db} says is applied (when it finds one). */
  public CompareReport compare(String fromSpelling, String toSpelling, AppliedSource db)
      throws GitException, ConfigException, IOException, DatabaseException {
    Revision fromRev = repo.resolve(fromSpelling);
    Revision toRev = repo.resolve(toSpelling);
    // The merge base is walked on a thread of its own while FROM and TO are read (it is needed
    // only for the base's reading and the merge's); any failure of either is reported as when the
    // walk came first.
    MergeBaseWalk walk = new MergeBaseWalk(repo, fromRev, toRev);
    Snapshot from;
    Snapshot to;
    try {
      from = loader.load(fromRev);
      to = loader.load(toRev);
    } catch (GitException | ConfigException | IOException | RuntimeException e) {
      walk.base(fromSpelling, toSpelling);
      throw e;
    }
    String base = walk.base(fromSpelling, toSpelling);
    Optional<DatabaseState> state = db.read(from);
    // The switch plan needs FROM's and TO's readings and graphs only: it is planned on a second
    // core (after TO's graph, then building FROM's unless this thread got to it first) while this
    // thread reads the merge base and the merge, builds their graphs and compares the apps. Its
    // findings are added after the merge's, as when it ran after them.
    to.buildAhead();
    List<Problem> switchProblems = new ArrayList<>();
    java.util.concurrent.CompletableFuture<CompareReport.Switch> planned =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> switchPlan(from, to, switchProblems, state));
    Revision baseRev = new Revision(base, base);
    Snapshot baseSnap = loader.load(baseRev);
    loader.progress().stage("reading the merge of " + fromSpelling + " and " + toSpelling);
    SnapshotLoader.Merged reading = loader.loadMerge(new Revision("merge", fromRev.commit()),
        baseRev, fromRev, toRev);
    Snapshot merged = reading.snapshot();

    List<Problem> problems = new ArrayList<>();
    problems.addAll(from.problems());
    for (Problem p : to.problems()) {
      if (!from.problems().contains(p)) {
        problems.add(p);
      }
    }
    for (MergedSourceTree.TextConflict c : reading.conflicts()) {
      if (isMigrationPath(c.path(), merged) || c.path().contains("/migrations/")) {
        problems.add(Problem.error("merge-text-conflict", c.path(), null,
            "both sides changed this migration differently (" + c.kind()
                + " conflict): git merge would stop here")
            .withHint("resolve it by hand, then run migdiff again"));
      }
    }
    for (Problem p : merged.problems()) {
      if (!from.problems().contains(p) && !to.problems().contains(p)) {
        problems.add(new Problem(p.severity(), p.code(), p.file(), p.pos(),
            "after the merge: " + p.message(), p.hint()));
      }
    }
    List<CompareReport.AppDiff> apps = appDiffs(from, to, baseSnap, merged);
    CompareReport.Merge merge = MergePreview.of(apps, from, to, merged);
    // The merge base's and the merge's graphs are done with: let the switch planning, which
    // allocates much, have their memory (two graphs of every migration on a large project).
    baseSnap = null;
    merged = null;
    reading = null;
    loader.progress().stage("planning the switch");
    CompareReport.Switch sw = joined(planned);
    problems.addAll(switchProblems);
    problems.sort(null);
    return new CompareReport(new CompareReport.Side(fromSpelling, fromRev.commit()),
        new CompareReport.Side(toSpelling, toRev.commit()), base, apps, merge, sw,
        deploy(to, apps), List.copyOf(new LinkedHashSet<>(problems)), database(from, state))
        .withSnapshot(SnapshotAdvice.needed(sw, false) ? SnapshotAdvice.best(loader, to,
            toSpelling, state.map(DatabaseState::url).orElse(null), snapshots) : null);
  }

  /** The value of {@code f}, or what it threw, thrown here. */
  private static <T> T joined(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw e;
    }
  }

  /**
   * The switch plan alone, for the post-checkout hook: needs no merge base, so it also works
   * between unrelated revisions.
   */
  public SwitchReport switchOnly(String fromSpelling, String toSpelling, String fromLabel,
      String toLabel, AppliedSource db)
      throws GitException, ConfigException, IOException, DatabaseException {
    Revision fromRev = repo.resolve(fromSpelling);
    Revision toRev = repo.resolve(toSpelling);
    Snapshot from = loader.load(fromRev);
    Snapshot to = loader.load(toRev);
    to.buildAhead(); // (as in compare)
    Optional<DatabaseState> state = db.read(from);
    CompareReport.Switch sw = switchPlan(from, to, new ArrayList<>(), state);
    Map<MigrationKey, Migration> f = byKey(from);
    List<MigrationKey> changed = new ArrayList<>();
    for (Migration m : to.project().migrations()) {
      Migration before = f.get(m.key());
      if (before != null && !Objects.equals(before.blobId(), m.blobId())
          && (state.isEmpty() || state.get().keys().contains(m.key()))) {
        changed.add(m.key());
      }
    }
    changed.sort(null);
    return new SwitchReport(new CompareReport.Side(fromLabel, fromRev.commit()),
        new CompareReport.Side(toLabel, toRev.commit()), sw, to.graph().conflicts(appLabels(to)),
        changed, to.config().manageCommand(), database(from, state))
        .withSnapshot(SnapshotAdvice.needed(sw, true) ? SnapshotAdvice.best(loader, to, toLabel,
            state.map(DatabaseState::url).orElse(null), snapshots) : null);
  }

  /** The database summary: where it is, how many rows, and rows FROM has no file for. */
  static CompareReport.Database database(Snapshot at, Optional<DatabaseState> state) {
    if (state.isEmpty()) {
      return null;
    }
    Set<String> labels = new java.util.HashSet<>(appLabels(at));
    Set<MigrationKey> known = knownKeys(at);
    List<MigrationKey> phantoms = new ArrayList<>();
    for (MigrationKey k : state.get().keys()) {
      if (labels.contains(k.app()) && !known.contains(k)) {
        phantoms.add(k);
      }
    }
    phantoms.sort(null);
    return new CompareReport.Database(state.get().url(), state.get().source(),
        state.get().rows().size(), phantoms, state.get().linkAs());
  }

  private static boolean isMigrationPath(String path, Snapshot s) {
    for (App a : s.project().apps()) {
      if (a.migrationsPath() != null && path.startsWith(a.migrationsPath() + "/")) {
        return true;
      }
    }
    return false;
  }

  /** The migrations a revision has files for, and the ones its squashes replace. */
  static Set<MigrationKey> knownKeys(Snapshot s) {
    Set<MigrationKey> known = new java.util.HashSet<>();
    for (Migration m : s.project().migrations()) {
      known.add(m.key());
      known.addAll(m.replacedKeys());
    }
    return known;
  }

  static Map<MigrationKey, Migration> byKey(Snapshot s) {
    return byKey(s.project().migrations());
  }

  private static List<CompareReport.AppDiff> appDiffs(Snapshot from, Snapshot to, Snapshot base,
      Snapshot merged) {
    TreeSet<String> labels = new TreeSet<>(MigrationKey.PYTHON_ORDER);
    for (Snapshot s : List.of(from, to, merged)) {
      for (App a : s.project().apps()) {
        if (a.state() == App.State.MIGRATED) {
          labels.add(a.label());
        }
      }
    }
    Map<String, List<Migration>> fromByApp = from.project().migrationsByApp();
    Map<String, List<Migration>> toByApp = to.project().migrationsByApp();
    Map<String, List<Migration>> baseByApp = base.project().migrationsByApp();
    Map<String, List<Migration>> mergedByApp = merged.project().migrationsByApp();
    MigrationGraph mg = merged.graph().graph();
    List<CompareReport.AppDiff> out = new ArrayList<>();
    for (String app : labels) {
      List<Migration> fl = fromByApp.getOrDefault(app, List.of());
      List<Migration> tl = toByApp.getOrDefault(app, List.of());
      // The same readings (FROM, TO, the base and the merge read one migrations directory
      // alike): nothing added, removed or changed, and every leaf of the merge is in both, so
      // no key is looked at.
      boolean same = !fl.isEmpty() && sameObjects(fl, tl)
          && sameObjects(fl, baseByApp.getOrDefault(app, List.of()))
          && sameObjects(fl, mergedByApp.getOrDefault(app, List.of()));
      Map<MigrationKey, Migration> f = same ? Map.of() : byKey(fl);
      Map<MigrationKey, Migration> t = same ? Map.of() : byKey(tl);
      Map<MigrationKey, Migration> b = same ? Map.of()
          : byKey(baseByApp.getOrDefault(app, List.of()));
      List<MigrationKey> keys = new ArrayList<>(f.keySet());
      for (MigrationKey k : t.keySet()) {
        if (!f.containsKey(k)) {
          keys.add(k);
        }
      }
      keys.sort(null);
      List<String> fromOnly = new ArrayList<>();
      List<String> toOnly = new ArrayList<>();
      List<String> changed = new ArrayList<>();
      List<String> fromAdded = new ArrayList<>();
      List<String> toAdded = new ArrayList<>();
      for (MigrationKey k : keys) {
        Migration a = f.get(k);
        Migration c = t.get(k);
        if (a != null && c == null) {
          fromOnly.add(k.name());
        } else if (a == null) {
          toOnly.add(k.name());
        } else if (!Objects.equals(a.blobId(), c.blobId())) {
          changed.add(k.name());
        }
        if (a != null && !b.containsKey(k)) {
          fromAdded.add(k.name());
        }
        if (c != null && !b.containsKey(k)) {
          toAdded.add(k.name());
        }
      }
      List<CompareReport.Leaf> leaves = new ArrayList<>();
      for (MigrationKey leaf : mg.leafNodes(app)) {
        boolean inFrom = same || f.containsKey(leaf);
        boolean inTo = same || t.containsKey(leaf);
        Migration lm = mg.migration(leaf);
        leaves.add(new CompareReport.Leaf(leaf.name(),
            inFrom && inTo ? "both" : inFrom ? "from" : inTo ? "to" : "merge",
            lm == null ? null : lm.path()));
      }
      if (fromOnly.isEmpty() && toOnly.isEmpty() && changed.isEmpty() && leaves.size() < 2
          && fromAdded.isEmpty() && toAdded.isEmpty()) {
        continue;
      }
      out.add(new CompareReport.AppDiff(app, fromOnly, toOnly, changed, fromAdded, toAdded,
          leaves, leaves.size() > 1));
    }
    return out;
  }

  /** Whether two lists hold the very same objects, in the same order. */
  private static boolean sameObjects(List<Migration> a, List<Migration> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static Map<MigrationKey, Migration> byKey(List<Migration> all) {
    Map<MigrationKey, Migration> m = new HashMap<>(all.size() + all.size() / 3 + 1);
    for (Migration x : all) {
      m.put(x.key(), x);
    }
    return m;
  }

  /**
   * Deploy safety of the migrations TO adds since the merge base, in TO's graph order, each
   * checked against the field state its ancestors declare. Squashes are skipped: a deployment
   * that has their replaced migrations only records them.
   */
  private static List<CompareReport.Deploy> deploy(Snapshot to, List<CompareReport.AppDiff> apps) {
    MigrationGraph g = to.graph().graph();
    Set<MigrationKey> added = new LinkedHashSet<>();
    for (CompareReport.AppDiff a : apps) {
      for (String name : a.toAdded()) {
        added.add(new MigrationKey(a.app(), name));
      }
    }
    List<CompareReport.Deploy> out = new ArrayList<>();
    List<MigrationKey> targets = new ArrayList<>();
    for (Migration m : g.migrations()) {
      if (added.contains(m.key()) && m.replaces().isEmpty()) {
        targets.add(m.key());
      }
    }
    // One joined plan (the per-target plans without repeats) and one pass for the states.
    List<MigrationKey> order = new ArrayList<>();
    for (MigrationKey k : g.forwardsPlan(targets)) {
      if (added.contains(k) && g.migration(k) != null && g.migration(k).replaces().isEmpty()) {
        order.add(k);
      }
    }
    Map<MigrationKey, FieldState> states = AncestorStates.before(g, order);
    for (MigrationKey k : order) {
      Migration x = g.migration(k);
      out.add(new CompareReport.Deploy(k, x.path(), DeploySafety.of(x, states.get(k))));
    }
    return out;
  }

  /**
   * Starting from what is applied (the database's rows when there is one, else "everything at
   * FROM", as migrate records it, squashes included), finds what TO does not have, adds what TO's
   * graph would find inconsistent, and plans the commands to run while FROM's files are on disk.
   */
  private CompareReport.Switch switchPlan(Snapshot from, Snapshot to, List<Problem> problems,
      Optional<DatabaseState> db) {
    Map<String, List<String>> fromConflicts = from.graph().conflicts(appLabels(from));
    if (!fromConflicts.isEmpty()) {
      return new CompareReport.Switch("'" + from.revision().spelling()
          + "' itself has divergent leaves in " + String.join(", ", fromConflicts.keySet())
          + "; Django refuses to migrate there, so no rollback command can run",
          from.project().projectRoot(), from.config().manageCommand(), List.of(), List.of(),
          List.of(), null, List.of(),
          List.of());
    }
    GraphResult fgr = db.isPresent() ? loader.graphWithApplied(from, db.get().keys())
        : from.graph();
    Set<MigrationKey> applied = applied(from, fgr, db);
    Set<MigrationKey> rows = db.isPresent() ? db.get().keys()
        : SwitchRequirement.recordedRows(from);
    MigrationGraph fg = fgr.graph();
    // Without a database, external apps' nodes count as applied, as in applied().
    SwitchRequirement.Result r = new SwitchRequirement(from, fgr, applied, rows, to,
        toRows -> loader.graphWithApplied(to, toRows),
        db.isPresent() ? k -> false : k -> isExternalAt(fg, to, k))
        .solve(usableTarget(from));
    if (!r.settled()) {
      problems.add(Problem.warning("switch-plan-unsettled", null, null, "the switch plan did not "
          + "settle within " + SwitchRequirement.MAX_ROUNDS + " rounds; it may miss migrations "
          + "Django at '" + to.revision().spelling() + "' rejects"));
    }
    CompareReport.Switch plan = planUnapply(from, fgr, applied, r.wanted(), r.leftover(),
        problems, r.required());
    labelsGone(from, to, plan, problems);
    return plan;
  }

  /**
   * Says why a whole app is unapplied when TO has no app with its label (relabelled in apps.py,
   * or removed): Django at TO ignores rows of unknown labels and leaves their tables behind.
   */
  private static void labelsGone(Snapshot from, Snapshot to, CompareReport.Switch plan,
      List<Problem> problems) {
    Set<String> toLabels = new java.util.HashSet<>(appLabels(to));
    Set<String> told = new java.util.TreeSet<>(MigrationKey.PYTHON_ORDER);
    for (CompareReport.Unapply u : plan.unapply()) {
      if (!toLabels.contains(u.key().app())) {
        told.add(u.key().app());
      }
    }
    for (String label : told) {
      App was = from.project().apps().stream().filter(a -> a.label().equals(label)).findFirst()
          .orElse(null);
      App now = was == null || was.migrationsPath() == null ? null : to.project().apps().stream()
          .filter(a -> was.migrationsPath().equals(a.migrationsPath())).findFirst().orElse(null);
      String toRef = "'" + to.revision().spelling() + "'";
      String where = now == null ? toRef + " has no migrations under the label '" + label + "'"
          : toRef + " labels the app of " + was.migrationsPath() + " '" + now.label() + "'";
      problems.add(Problem.info("app-label-gone", null, null, where + ": Django there ignores "
          + "the rows under '" + label + "' and leaves their tables, so they are unapplied "
          + "before the switch" + (now == null ? "" : " and '" + now.label()
          + "' is migrated anew after it"))
          .withHint("to keep the data instead, skip 'migrate " + label + " zero' and rename the "
              + "rows (UPDATE django_migrations SET app = ...) and tables by hand"));
    }
  }

  /** An external app's node, at FROM or TO: taken as applied when no database is read. */
  private static boolean isExternalAt(MigrationGraph fg, Snapshot to, MigrationKey k) {
    return fg.isExternal(k) || to.graph().graph().isExternal(k);
  }

  /** Whether a migration's name can be typed as a {@code migrate} target at {@code at}. */
  private static java.util.function.Predicate<MigrationKey> usableTarget(Snapshot at) {
    Map<String, List<Migration>> byApp = at.project().migrationsByApp();
    return k -> byApp.getOrDefault(k.app(), List.of()).stream()
        .filter(m -> m.key().name().startsWith(k.name())).count() == 1;
  }

  /**
   * What counts as applied at {@code s}: the database's rows as Django's loader reads them, or
   * without a database every migration of the graph; external apps' nodes are assumed applied.
   */
  static Set<MigrationKey> applied(Snapshot s, GraphResult gr, Optional<DatabaseState> db) {
    MigrationGraph g = gr.graph();
    Set<MigrationKey> applied = new LinkedHashSet<>();
    Set<MigrationKey> effective = db.isPresent()
        ? GraphBuilder.effectiveApplied(s.project().migrations(), db.get().keys()) : null;
    for (Migration m : g.migrations()) {
      if (effective == null || effective.contains(m.key())) {
        applied.add(m.key());
      }
    }
    applied.addAll(externalNodes(gr));
    return applied;
  }

  /**
   * Plans {@code migrate} commands, run at {@code at} with {@code applied} applied, that unapply
   * {@code wanted} (and what depends on them), with the order, collateral and reversibility.
   */
  static CompareReport.Switch planUnapply(Snapshot at, GraphResult gr, Set<MigrationKey> applied,
      List<MigrationKey> wanted, List<MigrationKey> leftover, List<Problem> problems) {
    return planUnapply(at, gr, applied, wanted, leftover, problems, null);
  }

  /**
   * As above; {@code required} (when not null) names the unapplied migrations that could not
   * stay applied, and every other one is collateral.
   */
  static CompareReport.Switch planUnapply(Snapshot at, GraphResult gr, Set<MigrationKey> applied,
      List<MigrationKey> wanted, List<MigrationKey> leftover, List<Problem> problems,
      Set<MigrationKey> required) {
    MigrationGraph fg = gr.graph();
    SwitchPlan plan = SwitchPlanner.plan(fg, applied, wanted, usableTarget(at));
    if (!at.config().django().djangoAtLeast(4, 0)) {
      plan = squashRowsLast(fg, gr, applied, plan, problems);
    }
    String manage = at.config().manageCommand();
    List<CompareReport.Command> commands = new ArrayList<>();
    for (SwitchPlan.Command c : plan.commands()) {
      String target = c.target() == null ? "zero" : c.target();
      commands.add(new CompareReport.Command(c.app(), target,
          manage + " migrate " + ShellWords.quote(c.app()) + " " + ShellWords.quote(target)));
    }
    List<MigrationKey> collateralList = required == null ? plan.collateral()
        : plan.unapply().stream().filter(k -> !required.contains(k)).toList();
    Set<MigrationKey> collateral = new java.util.HashSet<>(collateralList);
    List<CompareReport.Unapply> unapply = new ArrayList<>();
    MigrationKey stopsAt = null;
    Map<MigrationKey, FieldState> states = AncestorStates.before(fg, plan.unapply());
    for (MigrationKey k : plan.unapply()) {
      Migration m = fg.migration(k);
      if (m == null) {
        continue;
      }
      List<Reversal> reversals = Reversibility.of(m, states.get(k));
      CompareReport.Unapply u = new CompareReport.Unapply(k, m.path(), collateral.contains(k),
          reversals);
      if (stopsAt == null && u.irreversible()) {
        stopsAt = k;
      }
      unapply.add(u);
    }
    List<MigrationKey> leftovers = new ArrayList<>(leftover);
    if (!at.config().django().djangoAtLeast(4, 0)) {
      // Django before 4.0 records only the replaced names as unapplied, not the squash (#25255).
      for (MigrationKey k : plan.unapply()) {
        if (gr.usedSquashes().contains(k)) {
          leftovers.add(k);
        }
      }
    }
    for (MigrationKey k : plan.unreachable()) {
      Migration m = fg.migration(k);
      problems.add(Problem.error("no-rollback-command", m == null ? null : m.path(), null,
          "no migrate command can unapply " + k + " (every possible target is ambiguous)"));
    }
    return new CompareReport.Switch(null, at.project().projectRoot(), manage, commands,
        unapply, collateralList, stopsAt, plan.unreachable(), leftovers);
  }

  /**
   * Orders the commands for Django before 4.0, which keeps an unapplied squash's own row; warns
   * when no order keeps that row from stopping the next command.
   */
  private static SwitchPlan squashRowsLast(MigrationGraph g, GraphResult gr,
      Set<MigrationKey> applied, SwitchPlan plan, List<Problem> problems) {
    SquashRowOrder.Result r = SquashRowOrder.of(g, gr.usedSquashes(), applied, plan);
    if (r.blocking() != null) {
      MigrationKey blocked = r.blocking();
      Migration m = g.migration(blocked);
      problems.add(Problem.warning("squash-row-blocks", m == null ? null : m.path(), null,
          "Django before 4.0 keeps the row of the unapplied squash " + blocked + " while its "
              + "dependency is unapplied, so the next migrate command raises "
              + "InconsistentMigrationHistory")
          .withHint("after that command, delete the row: DELETE FROM django_migrations WHERE "
              + "app = '" + blocked.app() + "' AND name = '" + blocked.name() + "'"));
    }
    return r.plan();
  }

  /**
   * The fields {@code k}'s app has declared before {@code k}: its own app's ancestors applied in
   * Django's plan order. Operations only ever change their own app's models, so other apps'
   * migrations are never read for this (on a large project they are most of the plan).
   */
  static FieldState stateBefore(MigrationGraph g, MigrationKey k) {
    return stateBefore(g, k, new FieldState());
  }

  /** {@link #stateBefore(MigrationGraph, MigrationKey)}, advancing {@code state}. */
  static FieldState stateBefore(MigrationGraph g, MigrationKey k, FieldState state) {
    for (MigrationKey before : g.forwardsPlan(k)) {
      if (!before.equals(k) && before.app().equals(k.app()) && g.migration(before) != null) {
        state.apply(g.migration(before));
      }
    }
    return state;
  }

  private static List<MigrationKey> externalNodes(GraphResult gr) {
    return gr.graph().externalParents();
  }

  static List<String> appLabels(Snapshot s) {
    List<String> out = new ArrayList<>();
    for (App a : s.project().apps()) {
      if (a.state() == App.State.MIGRATED) {
        out.add(a.label());
      }
    }
    return out;
  }

  /** {@link GitRepository#mergeBase} of two revisions, walked on a thread of its own. */
  private static final class MergeBaseWalk {
    private final java.util.concurrent.FutureTask<Optional<String>> task;

    MergeBaseWalk(GitRepository repo, Revision a, Revision b) {
      task = new java.util.concurrent.FutureTask<>(() -> repo.mergeBase(a, b));
      Thread t = new Thread(task, "migdiff-merge-base");
      t.setDaemon(true);
      t.start();
    }

    /** The merge base; what the walk threw, or an error when the histories are unrelated. */
    String base(String fromSpelling, String toSpelling) throws GitException {
      Optional<String> base;
      try {
        base = task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GitException("interrupted while computing the merge base", null, e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof GitException g) {
          throw g;
        }
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
      if (base.isEmpty()) {
        throw new GitException("'" + fromSpelling + "' and '" + toSpelling
            + "' have unrelated histories: there is no merge base",
            "compare revisions of the same project");
      }
      return base.get();
    }
  }
}
