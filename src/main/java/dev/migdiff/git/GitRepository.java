package dev.migdiff.git;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * A Git repository opened read-only: finds it like git does, resolves revisions and hands out
 * snapshots of commits' trees. Never touches the work tree.
 */
public final class GitRepository implements AutoCloseable {
  /** JGit's repository, once opened (see {@link #repo()}); null before. */
  private Repository repo;
  /**
   * Where the repository's files are, when found without JGit ({@link GitLayout}); null when
   * JGit found it (then {@link #repo} is open from the start).
   */
  private final GitLayout layout;
  /** The repository {@link #openAhead} is opening, to take on first need; null when none. */
  private java.util.concurrent.CompletableFuture<Opened> pending;
  /**
   * Done when the pack indexes are read ({@link #openAhead} reads them on its thread while the
   * command goes on). Every read of an object waits for it first: a pack's index read by two
   * threads at once is read twice.
   */
  private java.util.concurrent.Future<?> indexes;
  private ObjectFacts facts = ObjectFacts.NONE;

  private GitRepository(Repository repo, java.util.concurrent.Future<?> indexes) {
    this.repo = repo;
    this.layout = null;
    this.indexes = indexes;
  }

  private GitRepository(GitLayout layout,
      java.util.concurrent.CompletableFuture<Opened> pending) {
    this.layout = layout;
    this.pending = pending;
    this.indexes = READ;
  }

  /** Wraps an already open JGit repository (tests build them in memory). */
  public static GitRepository wrap(Repository repo) {
    return new GitRepository(repo, READ);
  }

  private static final java.util.concurrent.Future<?> READ =
      java.util.concurrent.CompletableFuture.completedFuture(null);

  /**
   * Keeps what this repository learns of its objects in {@code facts} and asks there first
   * (commits' trees, peeled refs, merge bases): see {@link ObjectFacts}.
   */
  public void rememberIn(ObjectFacts facts) {
    this.facts = facts == null ? ObjectFacts.NONE : facts;
  }

  /**
   * JGit's repository: the one {@link #openAhead} opened when it is this one, else opened here.
   * A repository {@link GitLayout} found is one JGit opens (its configuration is in the subset
   * JGit always reads); should it fail all the same (a file changed under the run), the run
   * fails as a repository it cannot read.
   */
  private synchronized Repository repo() {
    if (repo != null) {
      return repo;
    }
    Opened early = null;
    if (pending != null) {
      early = taken(pending, layout.gitDir());
      pending = null;
    }
    if (early != null) {
      repo = early.repo();
      indexes = early.indexes();
      return repo;
    }
    quietSystemReader();
    try {
      repo = new FileRepositoryBuilder().setGitDir(layout.gitDir()).setMustExist(true)
          .readEnvironment().setup().build();
    } catch (IOException | IllegalArgumentException e) {
      throw new java.io.UncheckedIOException(new IOException("cannot open repository at "
          + layout.gitDir() + ": " + e.getMessage(), e));
    }
    return repo;
  }

  /** The repository, once its pack indexes are read: for reading objects. */
  Repository objects() {
    Repository r = repo();
    java.util.concurrent.Future<?> waitFor;
    synchronized (this) {
      waitFor = indexes;
    }
    boolean interrupted = false;
    while (true) {
      try {
        waitFor.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
        break; // read again (and reported) by the object read itself
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return r;
  }

  /** Finds the repository containing {@code start}, as git does (bare, worktree, subdirectory). */
  public static GitRepository discover(Path start) throws GitException {
    File dir = start.toAbsolutePath().normalize().toFile();
    if (!dir.isDirectory()) {
      throw new GitException("cannot change to '" + start + "': no such directory", null);
    }
    if (!keepsOpen()) {
      // found without JGit; JGit opens it (or has, on the open-ahead thread) when first needed
      Optional<GitLayout> layout = GitLayout.find(dir, System.getenv());
      if (layout.isPresent()) {
        return new GitRepository(layout.get(), takeAhead());
      }
    }
    quietSystemReader();
    FileRepositoryBuilder builder = new FileRepositoryBuilder();
    builder.setMustExist(true).readEnvironment().findGitDir(dir);
    if (builder.getGitDir() == null) {
      throw new GitException(
          "not a git repository (or any of the parent directories): " + start,
          "run migdiff inside a Git work tree, or point at one with -C DIR");
    }
    try {
      Opened early = opened(builder.getGitDir());
      return early != null ? new GitRepository(early.repo(), early.indexes())
          : new GitRepository(kept(builder), READ);
    } catch (IOException | IllegalArgumentException e) {
      throw new GitException("cannot open repository at " + builder.getGitDir() + ": "
          + e.getMessage(), null, e);
    }
  }

  /**
   * Starts opening the repository around {@code start}, and reading its pack indexes, on another
   * thread, while this one parses the command line: a large project's index takes a tenth of a
   * second to read, before the first object can be. {@link #discover} of the same repository
   * then takes it (or waits for it); anything else lets it go.
   */
  public static void openAhead(Path start) {
    openAhead(start, java.util.List.of(), null);
  }

  /**
   * As {@link #openAhead(Path)}, unless the run looks warm: when every one of {@code refs} (plain
   * names, {@code HEAD} or full ids, as {@link FastRefs} reads them) names an object whose peeled
   * commit {@code kept} says is kept ({@link ObjectFacts}, kind {@code peeled}), an earlier run
   * read these revisions, and this one likely reads no object: opening JGit and reading the pack
   * indexes (about 0.2 s of CPU on a large project) would only compete with the run for the
   * second core. JGit then opens the repository where it is first needed. A wrong guess costs
   * only the overlap.
   */
  public static synchronized void openAhead(Path start, java.util.List<String> refs,
      java.util.function.BiPredicate<String, String> kept) {
    File dir = start.toAbsolutePath().normalize().toFile();
    java.util.concurrent.CompletableFuture<Opened> task = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      Repository r;
      java.util.concurrent.CompletableFuture<Void> indexes = new java.util.concurrent.CompletableFuture<>();
      try {
        if (kept != null && !refs.isEmpty() && looksWarm(dir, refs, kept)) {
          task.complete(null);
          return;
        }
        quietSystemReader(); // (JGit's start-up, too, on this thread)
        FileRepositoryBuilder builder = new FileRepositoryBuilder();
        builder.setMustExist(true).readEnvironment().findGitDir(dir);
        r = builder.getGitDir() == null ? null : builder.build();
      } catch (Throwable e) {
        task.completeExceptionally(e);
        return;
      }
      task.complete(r == null ? null : new Opened(r, indexes));
      try {
        if (r != null) {
          r.getObjectDatabase().has(ObjectId.zeroId()); // (asks every pack, so reads its index)
        }
      } catch (Throwable e) {
        // read again, and reported, where an object is needed
      } finally {
        indexes.complete(null);
      }
    }, "migdiff-open-ahead");
    t.setDaemon(true);
    t.start();
    ahead = task;
  }

  /**
   * Whether every one of {@code refs} names an object whose peeled commit is kept, or a commit
   * just made on top of one (loose, one parent each, up to a kept commit: its trees and new blobs
   * are loose too, and read without JGit), and at least one is kept.
   */
  static boolean looksWarm(File dir, java.util.List<String> refs,
      java.util.function.BiPredicate<String, String> kept) {
    Optional<GitLayout> layout = GitLayout.find(dir, System.getenv());
    Optional<FastRefs> fast = layout.flatMap(l -> FastRefs.of(l.gitDir(), l.commonDir()));
    if (fast.isEmpty()) {
      return false;
    }
    boolean anyKept = false;
    for (String ref : refs) {
      String id = hexOrNull(ref);
      if (id == null) {
        id = fast.get().resolve(ref).map(ObjectId::name).orElse(null);
      }
      if (id == null) {
        return false;
      }
      if (kept.test(PEELED, id)) {
        anyKept = true;
      } else if (!onTopOfKept(layout.get(), id, kept)) {
        return false;
      }
    }
    return anyKept;
  }

  /** Whether loose commit {@code id} descends from a kept commit through loose commits alone. */
  private static boolean onTopOfKept(GitLayout layout, String id,
      java.util.function.BiPredicate<String, String> kept) {
    LooseObjects loose = new LooseObjects(layout.commonDir().toPath().resolve("objects"));
    return LooseObjects.chainReaches(id, LOOSE_CHAIN, c -> loose.commit(ObjectId.fromString(c)),
        c -> kept.test(PEELED, c)) != null;
  }

  /** A repository {@link #openAhead} opened, and its pack indexes being read. */
  private record Opened(Repository repo, java.util.concurrent.Future<?> indexes) {}

  private static java.util.concurrent.CompletableFuture<Opened> ahead;

  /** The repository {@link #openAhead} opened, when it is the one at {@code gitDir}; else null. */
  private static Opened opened(File gitDir) {
    return taken(takeAhead(), gitDir);
  }

  /** What {@link #openAhead} started, handed to one run; null when nothing was. */
  private static synchronized java.util.concurrent.CompletableFuture<Opened> takeAhead() {
    java.util.concurrent.CompletableFuture<Opened> task = ahead;
    ahead = null;
    return task;
  }

  /** What {@code task} opened, when it is the repository at {@code gitDir}; else null. */
  private static Opened taken(java.util.concurrent.CompletableFuture<Opened> task, File gitDir) {
    if (task == null) {
      return null;
    }
    try {
      Opened o = task.get();
      if (o != null && o.repo().getDirectory().getAbsoluteFile().equals(gitDir.getAbsoluteFile())) {
        return o;
      }
      if (o != null) {
        o.repo().close();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // opened again here, and reported from here
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /**
   * Repositories kept open between runs of this process, by git directory (null: none are). A
   * JGit repository notices new refs, packs and objects by itself (it is made for servers); what
   * keeping it saves is reading its pack indexes again. Each run still gets its own wrapper
   * (refs read afresh, its own object reader).
   */
  private static java.util.LinkedHashMap<File, Repository> open;
  private static final int KEEP_OPEN = 8;

  /** Keeps repositories open between the runs of this process (the hook's daemon). */
  public static synchronized void keepOpen() {
    if (open == null) {
      open = new java.util.LinkedHashMap<>(16, 0.75f, true);
    }
  }

  private static synchronized boolean keepsOpen() {
    return open != null;
  }

  private static synchronized Repository kept(FileRepositoryBuilder builder) throws IOException {
    if (open == null) {
      return builder.build();
    }
    File key = builder.getGitDir().getAbsoluteFile();
    Repository r = open.get(key);
    if (r == null || !builder.getGitDir().isDirectory()) {
      if (r != null) {
        open.remove(key);
        r.close();
      }
      r = builder.build();
      r.incrementOpen(); // the registry's own reference: close() by a run keeps it open
      open.put(key, r);
      if (open.size() > KEEP_OPEN) {
        java.util.Iterator<Repository> eldest = open.values().iterator();
        Repository gone = eldest.next();
        eldest.remove();
        gone.close();
      }
    }
    r.incrementOpen();
    return r;
  }

  /** Resolves any revision git accepts to a commit (tags peeled). */
  public Revision resolve(String spelling) throws GitException {
    if (spelling.isEmpty() || spelling.startsWith("-")) {
      throw new GitException("invalid revision '" + spelling + "'", null);
    }
    ObjectId id;
    try {
      Optional<ObjectId> fast = fastRefs().flatMap(f -> f.resolve(spelling));
      id = fast.isPresent() ? peelToCommit(fast.get()) : objects().resolve(spelling + "^{commit}");
    } catch (AmbiguousObjectException e) {
      throw new GitException("ambiguous revision '" + spelling + "'",
          "use more characters of the commit id, or a branch or tag name");
    } catch (RevisionSyntaxException e) {
      throw new GitException("invalid revision '" + spelling + "'", null);
    } catch (IOException e) {
      throw new GitException("cannot resolve '" + spelling + "': " + e.getMessage(), null, e);
    }
    if (id == null && !hasCommits()) {
      throw new GitException("the repository has no commits yet, so there is no '" + spelling
          + "'", "commit something first");
    }
    if (id == null) {
      java.util.List<String> near = RefSuggestions.near(objects(), spelling);
      if (!near.isEmpty()) {
        throw new GitException("unknown revision '" + spelling + "'; did you mean '"
            + String.join("' or '", near) + "'?", "'git branch -a' and 'git tag' list what exists");
      }
      throw new GitException("unknown revision '" + spelling + "'",
          "check the spelling; 'git branch -a' and 'git tag' list what exists");
    }
    return new Revision(spelling, id.name());
  }

  private Optional<FastRefs> fastRefs;

  private Optional<FastRefs> fastRefs() {
    if (fastRefs == null) {
      fastRefs = layout != null ? FastRefs.of(layout.gitDir(), layout.commonDir())
          : FastRefs.of(repo.getDirectory(), repo.getCommonDirectory());
    }
    return fastRefs;
  }

  /** {@code id^{commit}}: tags peeled; null when it is no commit (as JGit's resolve answers). */
  private ObjectId peelToCommit(ObjectId id) throws IOException {
    String known = fact(PEELED, id.name());
    if (known != null) {
      return known.equals(NONE) ? null : ObjectId.fromString(known);
    }
    if (looseTreeOf(id) != null) { // a commit just made (loose): no JGit to open for it
      facts.put(PEELED, id.name(), id.name());
      return id;
    }
    try (RevWalk walk = new RevWalk(objects())) {
      org.eclipse.jgit.revwalk.RevObject o = walk.peel(walk.parseAny(id));
      ObjectId commit = o instanceof RevCommit ? o.getId() : null;
      facts.put(PEELED, id.name(), commit == null ? NONE : commit.name());
      return commit;
    } catch (org.eclipse.jgit.errors.MissingObjectException e) {
      return null; // (not kept: the object may arrive)
    }
  }

  /** The kinds of {@link ObjectFacts} kept: an object's peeled commit, a commit's tree, merge bases. */
  static final String PEELED = "peeled";
  static final String TREES = "committrees";
  static final String BASES = "mergebases";
  /** The fact "there is none" (no commit to peel to, no merge base). */
  static final String NONE = "none";

  /** A fact kept earlier: an object id, or {@link #NONE}; null when unknown or not one of these. */
  private String fact(String kind, String key) {
    String v;
    try {
      v = facts.get(kind, key);
    } catch (RuntimeException e) {
      return null; // a store that fails is a store that does not know
    }
    if (v == null || v.equals(NONE)) {
      return v;
    }
    return hexOrNull(v);
  }

  private static String hexOrNull(String v) {
    if (v.length() != 40 && v.length() != 64) {
      return null;
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return null;
      }
    }
    return v;
  }

  /** The tree of a resolved commit, for reading files. */
  public GitTree tree(Revision revision) throws GitException {
    String known = fact(TREES, revision.commit());
    if (known != null && !known.equals(NONE)) {
      return new GitTree(this, ObjectId.fromString(known));
    }
    String looseTree = looseTreeOf(ObjectId.fromString(revision.commit()));
    if (looseTree != null) {
      return new GitTree(this, ObjectId.fromString(looseTree));
    }
    try (RevWalk walk = new RevWalk(objects())) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(revision.commit()));
      facts.put(TREES, revision.commit(), commit.getTree().getId().name());
      return new GitTree(this, commit.getTree().getId());
    } catch (IOException e) {
      throw new GitException("cannot read commit " + revision.commit() + ": " + e.getMessage(),
          null, e);
    }
  }

  /**
   * The best common ancestor of two commits, as {@code git merge-base} picks it (the first of
   * several); empty when the histories are unrelated.
   *
   * @throws GitException when the history is cut off by a shallow clone before an answer
   */
  public java.util.Optional<String> mergeBase(Revision a, Revision b) throws GitException {
    // A shallow clone's history is cut off, and a later fetch may change its answer: never kept
    String key = a.commit() + b.commit();
    boolean keep = facts != ObjectFacts.NONE && !isShallow();
    String known = keep ? fact(BASES, key) : null;
    if (known != null) {
      return known.equals(NONE) ? Optional.empty() : Optional.of(known);
    }
    String ancestor = ancestorAmong(a.commit(), b.commit());
    if (ancestor != null) {
      if (keep) {
        facts.put(BASES, key, ancestor);
      }
      return Optional.of(ancestor);
    }
    try (RevWalk walk = new RevWalk(objects())) {
      walk.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.MERGE_BASE);
      walk.markStart(walk.parseCommit(ObjectId.fromString(a.commit())));
      walk.markStart(walk.parseCommit(ObjectId.fromString(b.commit())));
      RevCommit base = walk.next();
      if (keep) {
        facts.put(BASES, key, base == null ? NONE : base.getName());
      }
      if (base != null) {
        return java.util.Optional.of(base.getName());
      }
    } catch (IOException e) {
      throw new GitException("cannot compute the merge base of '" + a.spelling() + "' and '"
          + b.spelling() + "': " + e.getMessage(), null, e);
    }
    if (isShallow()) {
      throw new GitException("no merge base of '" + a.spelling() + "' and '" + b.spelling()
          + "' in this shallow clone",
          "fetch more history: 'git fetch --deepen=200' or 'git fetch --unshallow'");
    }
    return java.util.Optional.empty();
  }

  /**
   * Whether {@code a} and {@code b} have exactly one best common ancestor ({@code git merge-base
   * --all} prints one line); false when they have several or none.
   */
  public boolean oneMergeBase(Revision a, Revision b) throws GitException {
    if (ancestorAmong(a.commit(), b.commit()) != null) {
      return true; // (one is the other's ancestor: it is the one best common ancestor)
    }
    try (RevWalk walk = new RevWalk(objects())) {
      walk.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.MERGE_BASE);
      walk.markStart(walk.parseCommit(ObjectId.fromString(a.commit())));
      walk.markStart(walk.parseCommit(ObjectId.fromString(b.commit())));
      return walk.next() != null && walk.next() == null;
    } catch (IOException e) {
      throw new GitException("cannot compute the merge base of '" + a.spelling() + "' and '"
          + b.spelling() + "': " + e.getMessage(), null, e);
    }
  }

  /**
   * The commits reachable from {@code tip} and not from {@code exclude} ({@code git rev-list tip
   * ^exclude}), or null when there are more than {@code limit}. JGit may list a few commits that
   * {@code exclude} reaches too (its walk stops a little late), never leaves one out.
   */
  public java.util.Set<String> onlyIn(String tip, String exclude, int limit) throws GitException {
    try (RevWalk walk = new RevWalk(objects())) {
      walk.markStart(walk.parseCommit(ObjectId.fromString(tip)));
      walk.markUninteresting(walk.parseCommit(ObjectId.fromString(exclude)));
      java.util.Set<String> out = new java.util.HashSet<>();
      for (RevCommit c = walk.next(); c != null; c = walk.next()) {
        if (out.size() >= limit) {
          return null;
        }
        out.add(c.getName());
      }
      return out;
    } catch (IOException e) {
      throw new GitException("cannot walk the history of " + tip + ": " + e.getMessage(), null, e);
    }
  }

  /** Whether commit {@code ancestor} is reachable from commit {@code descendant} (or equal). */
  public boolean isAncestor(String ancestor, String descendant) throws GitException {
    try (RevWalk walk = new RevWalk(objects())) {
      return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
          walk.parseCommit(ObjectId.fromString(descendant)));
    } catch (IOException e) {
      throw new GitException("cannot walk the history of " + descendant + ": " + e.getMessage(),
          null, e);
    }
  }

  /** The committer time of a commit, or null when it cannot be read. */
  public java.time.Instant commitTime(String commit) {
    try (RevWalk walk = new RevWalk(objects())) {
      return Instant.ofEpochSecond(walk.parseCommit(ObjectId.fromString(commit)).getCommitTime());
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The branch {@code refs/remotes/origin/HEAD} points at ({@code origin/main}): the remote's
   * default branch as {@code git clone} recorded it; empty when there is none.
   */
  public Optional<String> remoteDefaultBranch() {
    try {
      org.eclipse.jgit.lib.Ref head = repo().exactRef("refs/remotes/origin/HEAD");
      if (head != null && head.isSymbolic()
          && head.getTarget().getName().startsWith(Constants.R_REMOTES)) {
        return Optional.of(head.getTarget().getName().substring(Constants.R_REMOTES.length()));
      }
    } catch (IOException e) {
      // no default branch
    }
    return Optional.empty();
  }

  /** A merge commit and its first two parents (full ids). */
  public record Merge(String commit, String firstParent, String secondParent) {}

  /**
   * The merge commits reachable from {@code head}, newest first (by commit time), at most
   * {@code limit}: what the sweep replays.
   */
  public java.util.List<Merge> merges(Revision head, int limit) throws GitException {
    java.util.List<Merge> out = new java.util.ArrayList<>();
    try (RevWalk walk = new RevWalk(objects())) {
      walk.sort(org.eclipse.jgit.revwalk.RevSort.COMMIT_TIME_DESC);
      walk.markStart(walk.parseCommit(ObjectId.fromString(head.commit())));
      for (RevCommit c = walk.next(); c != null && out.size() < limit; c = walk.next()) {
        if (c.getParentCount() >= 2) {
          out.add(new Merge(c.getName(), c.getParent(0).getName(), c.getParent(1).getName()));
        }
      }
    } catch (IOException e) {
      throw new GitException("cannot walk the history of '" + head.spelling() + "': "
          + e.getMessage(), null, e);
    }
    return out;
  }

  /** Whether this is a shallow clone (history cut off at some commits). */
  public boolean isShallow() {
    if (layout != null && !Files.exists(layout.gitDir().toPath().resolve("shallow"))
        && !Files.exists(layout.commonDir().toPath().resolve("shallow"))) {
      return false; // (JGit reads the common directory's)
    }
    try {
      return !repo().getObjectDatabase().getShallowCommits().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The JGit repository, for the hook installer (which lives beside this package), once its pack
   * indexes are read (a caller may read objects through it).
   */
  public Repository jgit() {
    return objects();
  }

  /** A rebase, cherry-pick, revert or bisect in progress, or null. */
  public String operationInProgress() {
    String state = repo().getRepositoryState().name();
    if (state.startsWith("REBASING") || state.equals("APPLY")) {
      return "rebase";
    } else if (state.startsWith("CHERRY_PICKING")) {
      return "cherry-pick";
    } else if (state.startsWith("REVERTING")) {
      return "revert";
    } else if (state.equals("BISECTING")) {
      return "bisect";
    }
    return null;
  }

  /** A name for a commit: HEAD's branch if it points there, else a local branch, else a short id. */
  public String describe(String commit) {
    Optional<FastRefs> fast = fastRefs();
    if (fast.isPresent()) {
      try {
        Optional<String> head = fast.get().headBranch();
        Optional<ObjectId> headId = fast.get().resolve("HEAD");
        if (head.isPresent() && headId.isPresent() && headId.get().name().equals(commit)) {
          return head.get();
        }
        java.util.List<String> names = fast.get().branchesAt(commit);
        return names.isEmpty() ? commit.substring(0, Math.min(12, commit.length()))
            : names.get(0);
      } catch (IOException e) {
        // ask JGit below
      }
    }
    try {
      String head = repo().getFullBranch();
      ObjectId headId = objects().resolve(Constants.HEAD);
      if (head != null && head.startsWith(Constants.R_HEADS) && headId != null
          && headId.name().equals(commit)) {
        return head.substring(Constants.R_HEADS.length());
      }
      java.util.List<String> names = new java.util.ArrayList<>();
      for (org.eclipse.jgit.lib.Ref ref : repo().getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
        if (ref.getObjectId() != null && ref.getObjectId().name().equals(commit)) {
          names.add(ref.getName().substring(Constants.R_HEADS.length()));
        }
      }
      if (!names.isEmpty()) {
        names.sort(null);
        return names.get(0);
      }
    } catch (IOException e) {
      // fall through to the short id
    }
    return commit.substring(0, Math.min(12, commit.length()));
  }

  /** One entry of HEAD's reflog: HEAD pointed at {@code commit} from {@code when} on. */
  public record HeadMove(String commit, java.time.Instant when) {}

  /** A branch tip, local ({@code main}) or remote-tracking ({@code origin/main}). */
  public record Branch(String name, String commit) {}

  /** HEAD's reflog, oldest first; empty when there is none (bare or fresh clones). */
  public java.util.List<HeadMove> headReflog() {
    java.util.List<HeadMove> out = new java.util.ArrayList<>();
    try {
      org.eclipse.jgit.lib.ReflogReader reader =
          repo().getReflogReader(Constants.HEAD);
      if (reader == null) {
        return out;
      }
      for (org.eclipse.jgit.lib.ReflogEntry e : reader.getReverseEntries()) {
        if (!e.getNewId().equals(ObjectId.zeroId())) {
          out.add(new HeadMove(e.getNewId().name(), e.getWho().getWhenAsInstant()));
        }
      }
    } catch (IOException e) {
      return java.util.List.of();
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /** Local branches, then remote-tracking ones, each group by name. */
  public java.util.List<Branch> branches() {
    java.util.List<Branch> fast = fastBranches();
    return fast != null ? fast : jgitBranches();
  }

  /** {@link #branches} as JGit's ref database lists them. */
  java.util.List<Branch> jgitBranches() {
    java.util.List<Branch> out = new java.util.ArrayList<>();
    try {
      for (String prefix : new String[] {Constants.R_HEADS, Constants.R_REMOTES}) {
        java.util.List<org.eclipse.jgit.lib.Ref> refs =
            new java.util.ArrayList<>(repo().getRefDatabase().getRefsByPrefix(prefix));
        refs.sort(java.util.Comparator.comparing(org.eclipse.jgit.lib.Ref::getName));
        for (org.eclipse.jgit.lib.Ref r : refs) {
          if (r.isSymbolic() || r.getObjectId() == null) {
            continue;
          }
          ObjectId peeled = repo().getRefDatabase().peel(r).getPeeledObjectId();
          out.add(new Branch(r.getName().substring(prefix.length()),
              (peeled != null ? peeled : r.getObjectId()).name()));
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * {@link #branches} from the ref files themselves: JGit parses and hashes every packed ref
   * (saleor has 15,000, mostly tags) to list a few dozen branches. Null when JGit should decide:
   * see {@link FastRefs#refsUnder}, and a loose ref that names a tag (to be peeled) or a missing
   * object.
   */
  java.util.List<Branch> fastBranches() {
    java.util.List<Branch> out = new java.util.ArrayList<>();
    try (org.eclipse.jgit.lib.ObjectReader reader = objects().newObjectReader()) {
      for (String prefix : new String[] {Constants.R_HEADS, Constants.R_REMOTES}) {
        Optional<java.util.List<FastRefs.Listed>> refs =
            fastRefs().flatMap(f -> f.refsUnder(prefix));
        if (refs.isEmpty()) {
          return null;
        }
        for (FastRefs.Listed r : refs.get()) {
          if (r.loose() && reader.open(ObjectId.fromString(r.id())).getType()
              == Constants.OBJ_TAG) {
            return null;
          }
          out.add(new Branch(r.name(), r.id().toLowerCase(java.util.Locale.ROOT)));
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return out;
  }

  /** The git directory (of this worktree, for a linked one); null for one in memory. */
  public Path gitDirectory() {
    if (layout != null) {
      return layout.gitDir().toPath();
    }
    return repo.getDirectory() == null ? null : repo.getDirectory().toPath();
  }

  /** The common git directory (the one linked worktrees share). */
  public Path commonDirectory() {
    return (layout != null ? layout.commonDir() : repo.getCommonDirectory()).toPath();
  }

  /** The branch HEAD is on, or null when HEAD is detached or unreadable. */
  public String headBranch() {
    try {
      String full = repo().getFullBranch();
      return full != null && full.startsWith("refs/heads/") ? full.substring(11) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The repository's work tree, or null for a bare repository. */
  public Path workTree() {
    if (layout != null) {
      return layout.workTree() == null ? null : layout.workTree().toPath();
    }
    return repo.isBare() ? null : repo.getWorkTree().toPath();
  }

  /** Whether HEAD names a commit (false in an empty repository). */
  public boolean hasCommits() {
    try {
      return objects().resolve(Constants.HEAD) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private org.eclipse.jgit.lib.ObjectReader reader;

  private LooseObjects loose;
  private boolean looseKnown;

  /**
   * The loose objects of a plainly laid out repository ({@link GitLayout}: its objects in the
   * common directory, no variable moving them, no alternates asked for here), else null. Read
   * before JGit is asked (see {@link LooseObjects}).
   */
  synchronized LooseObjects loose() {
    if (!looseKnown) {
      looseKnown = true;
      if (layout != null) {
        loose = new LooseObjects(layout.commonDir().toPath().resolve("objects"));
      }
    }
    return loose;
  }

  /**
   * Loose commits read in this run, null for one that is not loose (a revision is peeled, its
   * tree asked, its merge base found: each reads the same commit).
   */
  private final java.util.Map<String, LooseObjects.Commit> looseCommits = new java.util.HashMap<>();

  /**
   * The one of {@code a} and {@code b} that is the other's ancestor through a chain of loose
   * commits with one parent each (commits just made on top of the other: their merge base,
   * without opening JGit), or null when neither is, as far as such a chain shows.
   */
  private String ancestorAmong(String a, String b) {
    if (a.equals(b)) {
      return a;
    }
    String up = ancestorByLooseChain(a, b);
    return up != null ? up : ancestorByLooseChain(b, a);
  }

  /** {@code ancestor} when {@code descendant} reaches it in {@link #LOOSE_CHAIN} steps or fewer. */
  private String ancestorByLooseChain(String ancestor, String descendant) {
    return LooseObjects.chainReaches(descendant, LOOSE_CHAIN,
        c -> looseCommit(ObjectId.fromString(c)), ancestor::equals);
  }

  /** Loose commits followed up from a tip to find the other side (a branch's local commits). */
  private static final int LOOSE_CHAIN = 64;

  /** The root tree of {@code commit} when it is a loose commit (kept as a fact too), else null. */
  private String looseTreeOf(ObjectId commit) {
    LooseObjects.Commit c = looseCommit(commit);
    return c == null ? null : c.tree();
  }

  /** Loose commit {@code id}, read once per run however often it is asked; null when not loose. */
  private LooseObjects.Commit looseCommit(ObjectId id) {
    synchronized (looseCommits) {
      if (looseCommits.containsKey(id.name())) {
        return looseCommits.get(id.name());
      }
    }
    LooseObjects.Commit c = loose() == null ? null : loose().commit(id);
    synchronized (looseCommits) {
      looseCommits.put(id.name(), c);
    }
    if (c != null) {
      facts.put(TREES, id.name(), c.tree());
    }
    return c;
  }

  /** The reader all trees of this repository share (see {@link GitTree}). */
  synchronized org.eclipse.jgit.lib.ObjectReader reader() {
    if (reader == null) {
      reader = objects().newObjectReader();
    }
    return reader;
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
    Repository r;
    java.util.concurrent.CompletableFuture<Opened> notTaken;
    synchronized (this) {
      r = repo;
      notTaken = pending;
      pending = null;
    }
    if (r != null) {
      r.close();
    }
    if (notTaken != null) {
      notTaken.thenAccept(o -> {
        if (o != null) {
          o.repo().close();
        }
      });
    }
  }

  /**
   * JGit's start-up, made quiet and read-only (once per process):
   *
   * <ul>
   *   <li>JGit asks the {@code git} executable for its system config path; migdiff never needs
   *       system-wide settings to read objects, so that process is not started.
   *   <li>On the first run on a file store, JGit measures the store's time stamp resolution by
   *       writing probe files into the repository's directories, and saves the result into
   *       {@code ~/.config/jgit/config}. migdiff writes neither: JGit's own configuration is an
   *       empty one in memory ({@link FallbackResolution}).
   * </ul>
   */
  private static synchronized void quietSystemReader() {
    if (quiet) {
      return;
    }
    FS.DETECTED.setGitSystemConfig(new File("/dev/null"));
    SystemReader.setInstance(new ReadOnlySystem(SystemReader.getInstance()));
    quiet = true;
  }

  private static boolean quiet;

  /**
   * The system as JGit sees it, but for the time stamp resolution of file stores, which the user's
   * configuration answers with {@link FallbackResolution} (JGit reads it from there), and JGit's
   * own configuration, in memory and never saved (JGit would save a measurement there).
   */
  private static final class ReadOnlySystem extends SystemReader.Delegate {
    private final StoredConfig jgit = new FallbackResolution(null);

    ReadOnlySystem(SystemReader system) {
      super(system);
    }

    @Override
    public StoredConfig getJGitConfig() {
      return jgit;
    }

    @Override
    public StoredConfig getUserConfig() throws ConfigInvalidException, IOException {
      return new FallbackResolution(super.getUserConfig());
    }
  }

  /**
   * A configuration that gives every file store JGit's conservative time stamp resolution (2 s),
   * so that JGit never measures one, and is otherwise {@code base}'s; never saved. A file changed
   * less than 2 s before JGit looked at it is taken as changed again, which costs a re-read at
   * most.
   */
  static final class FallbackResolution extends StoredConfig {
    FallbackResolution(org.eclipse.jgit.lib.Config base) {
      super(base);
    }

    @Override
    public void load() {
      // nothing to read
    }

    @Override
    public void save() {
      // never written
    }

    @Override
    public long getTimeUnit(String section, String subsection, String name, long defaultValue,
        java.util.concurrent.TimeUnit wantUnit) {
      if (ConfigConstants.CONFIG_FILESYSTEM_SECTION.equals(section)
          && ConfigConstants.CONFIG_KEY_TIMESTAMP_RESOLUTION.equals(name)) {
        return wantUnit.convert(FS.FileStoreAttributes.FALLBACK_TIMESTAMP_RESOLUTION);
      }
      return super.getTimeUnit(section, subsection, name, defaultValue, wantUnit);
    }
  }
}
