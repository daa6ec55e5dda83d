package dev.migdiff.cli;

import dev.migdiff.analysis.Comparison;
import dev.migdiff.analysis.SwitchReport;
import dev.migdiff.git.GitRepository;
import dev.migdiff.hook.HookException;
import dev.migdiff.hook.HookInstaller;
import dev.migdiff.report.HookTextRenderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff hook ...}: the post-checkout hook, and installing it. */
@Command(name = "hook", mixinStandardHelpOptions = true,
    description = "The git post-checkout hook: warns, right after a branch switch, about "
        + "migrations the database may still have that the new branch lacks.",
    subcommands = {HookCommand.Install.class, HookCommand.Uninstall.class,
        HookCommand.Status.class, HookCommand.PostCheckout.class, HookCommand.PreCommit.class})
final class HookCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;
  @Option(names = "-C", paramLabel = "DIR", description = "Run as if started in DIR.")
  Path directory;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  GitRepository open() throws dev.migdiff.git.GitException {
    return GitRepository.discover(directory());
  }

  /** -C after {@code hook}, else before it, else the current directory. */
  Path directory() {
    return directory != null ? directory
        : parent != null && parent.directory != null ? parent.directory : Path.of(".");
  }

  /** {@code migdiff hook install}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Install the post-checkout hook (core.hooksPath if set, else the common git "
          + "directory's hooks/), keeping any existing hook content. Idempotent.")
  static final class Install implements Callable<Integer> {
    @ParentCommand HookCommand hook;
    @Option(names = "--migdiff", paramLabel = "PATH",
        description = "The migdiff command the hook runs (default: the scripts/migdiff that started this).")
    String migdiff;
    @Mixin HookSnapshotOptions snapshots = new HookSnapshotOptions();

    @Override
    public Integer call() throws Exception {
      String command = migdiff != null ? migdiff : hook.env().get("MIGDIFF_LAUNCHER");
      PrintWriter out = hook.spec.commandLine().getOut();
      if (command == null) {
        throw new HookException("cannot tell which migdiff the hook should run",
            "pass --migdiff /absolute/path/to/scripts/migdiff");
      }
      try (GitRepository git = hook.open()) {
        Path file = new HookInstaller(git.jgit()).install(
            Path.of(command).toAbsolutePath().toString(), snapshots.hookOptions());
        out.println("installed " + file);
        warm(git);
      }
      return ExitCodes.OK;
    }

    /**
     * Reads HEAD and its upstream into the cache, so that the first switch after installing is
     * already warm; best effort (a failure here is the hook's to report, later), a line on a TTY.
     */
    private void warm(GitRepository git) {
      java.util.Map<String, String> env = hook.env();
      PrintWriter err = hook.spec.commandLine().getErr();
      long start = System.nanoTime();
      java.util.List<String> read = new java.util.ArrayList<>();
      try (RunCache cache = RunCache.open(false, env, git, err);
          ProgressLine progress = ProgressLine.start(err, env, true)) {
        if (!cache.enabled() || !git.hasCommits()) {
          return;
        }
        dev.migdiff.analysis.SnapshotLoader loader = new dev.migdiff.analysis.SnapshotLoader(git,
            dev.migdiff.analysis.MigdiffConfig.EMPTY, cache.view()).withProgress(progress);
        java.util.List<String> commits = new java.util.ArrayList<>();
        for (String ref : java.util.List.of("HEAD", "@{upstream}")) {
          try {
            commits.add(git.resolve(ref).commit());
            loader.load(ref);
            read.add(ref);
          } catch (Exception e) {
            // no upstream, or a revision the hook will report on when it runs
          }
        }
        // and the resident process, its first work a switch from the upstream to HEAD
        java.util.Optional<Path> dir = Resident.directory(env);
        if (dir.isPresent() && !commits.isEmpty()
            && dev.migdiff.daemon.DaemonClient.runningPid(dir.get()) == 0) {
          Resident.startIfAbsent(new Resident.Attempt(dir.get(), new FastCall(
              git.workTree() != null ? git.workTree() : hook.directory(),
              commits.get(commits.size() - 1), commits.get(0), "1"), true));
        }
      }
      if (System.console() != null && !read.isEmpty()) {
        err.printf(java.util.Locale.ROOT, "cache: read %s in %.1f s (the first switch is warm)%n",
            String.join(" and ", read), (System.nanoTime() - start) / 1e9);
      }
    }
  }

  /** {@code migdiff hook uninstall}. */
  @Command(name = "uninstall", mixinStandardHelpOptions = true,
      description = "Remove migdiff's block from the post-checkout hook, keeping the rest.")
  static final class Uninstall implements Callable<Integer> {
    @ParentCommand HookCommand hook;

    @Override
    public Integer call() throws Exception {
      try (GitRepository git = hook.open()) {
        HookInstaller installer = new HookInstaller(git.jgit());
        boolean removed = installer.uninstall();
        hook.spec.commandLine().getOut().println((removed ? "removed from " : "not installed in ")
            + installer.hookFile());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code migdiff hook status}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Say whether the hook is installed, where, and what it runs.")
  static final class Status implements Callable<Integer> {
    @ParentCommand HookCommand hook;

    @Override
    public Integer call() throws Exception {
      try (GitRepository git = hook.open()) {
        HookInstaller.Status s = new HookInstaller(git.jgit()).status();
        PrintWriter out = hook.spec.commandLine().getOut();
        out.println((s.installed() ? "installed in " : "not installed in ") + s.hook());
        if (s.command() != null) {
          out.println("runs: " + s.command());
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code migdiff hook post-checkout PREV NEW FLAG}: what git's hook calls. Always exits 0. */
  @Command(name = "post-checkout", mixinStandardHelpOptions = true,
      description = "Run as git's post-checkout hook: PREV NEW FLAG. Prints to stderr only when "
          + "something needs attention; always exits 0 and writes nothing but its cache.")
  static final class PostCheckout implements Callable<Integer> {
    @ParentCommand HookCommand hook;
    @Parameters(index = "0", paramLabel = "PREV") String prev;
    @Parameters(index = "1", paramLabel = "NEW") String next;
    @Parameters(index = "2", paramLabel = "FLAG") String flag;
    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Give up after this long (default: $MIGDIFF_HOOK_TIMEOUT, else 2).")
    Double timeout;
    @Mixin RepoOptions repo = new RepoOptions();
    @Mixin DatabaseOptions database = new DatabaseOptions();
    @Mixin OutputOptions output = new OutputOptions();
    @Mixin HookSnapshotOptions snapshots = new HookSnapshotOptions();

    @Override
    public Integer call() {
      return run(hook.context(), repo, database, output.terminal(), prev, next, flag, timeout,
          snapshots);
    }
  }

  /** {@code migdiff hook pre-commit}: the pre-commit framework's post-checkout stage. */
  @Command(name = "pre-commit", mixinStandardHelpOptions = true,
      description = "Run from the pre-commit framework (stages: [post-checkout]): reads "
          + "PRE_COMMIT_FROM_REF, PRE_COMMIT_TO_REF and PRE_COMMIT_CHECKOUT_TYPE.")
  static final class PreCommit implements Callable<Integer> {
    @ParentCommand HookCommand hook;
    @Mixin RepoOptions repo = new RepoOptions();
    @Mixin DatabaseOptions database = new DatabaseOptions();
    @Mixin OutputOptions output = new OutputOptions();

    @Override
    public Integer call() {
      java.util.Map<String, String> env = hook.env();
      String from = env.get("PRE_COMMIT_FROM_REF");
      String to = env.get("PRE_COMMIT_TO_REF");
      String type = env.get("PRE_COMMIT_CHECKOUT_TYPE");
      if (from == null || to == null || type == null) {
        return ExitCodes.OK;
      }
      return run(hook.context(), repo, database, output.terminal(), from, to, type, null,
          new HookSnapshotOptions());
    }
  }

  java.util.Map<String, String> env() {
    return parent != null ? parent.env : System.getenv();
  }

  /** Where a hook run writes and what it sees: from picocli, or from {@link #postCheckoutFast}. */
  record Context(PrintWriter err, java.util.Map<String, String> env, Path directory) {
    GitRepository open() throws dev.migdiff.git.GitException {
      return GitRepository.discover(directory);
    }
  }

  Context context() {
    return new Context(spec.commandLine().getErr(), env(), directory());
  }

  /**
   * {@code [-C DIR] hook post-checkout PREV NEW FLAG}, exactly as the installed hook runs it (no
   * option), without building picocli's model of the command line: on a warm run that model
   * costs more than the JVM's own start. Null for any other arguments (picocli then parses them,
   * so options, help and errors behave as everywhere else).
   */
  static Integer postCheckoutFast(String[] args, PrintWriter err,
      java.util.Map<String, String> env) {
    FastCall call = FastCall.of(args);
    return call == null ? null : call.run(err, env, Path.of("."), System.console() != null);
  }

  /** The installed hook's exact call, parsed: {@code [-C DIR] hook post-checkout PREV NEW FLAG}. */
  record FastCall(Path directory, String prev, String next, String flag) {
    /** The call {@code args} spell, or null for any other arguments. */
    static FastCall of(String[] args) {
      int i = 0;
      Path dir = Path.of(".");
      if (args.length >= 2 && args[0].equals("-C")) {
        dir = Path.of(args[1]);
        i = 2;
      }
      if (args.length - i != 5 || !args[i].equals("hook") || !args[i + 1].equals("post-checkout")) {
        return null;
      }
      for (int k = i + 2; k < args.length; k++) {
        if (args[k].isEmpty() || args[k].startsWith("-") || args[k].startsWith("@")) {
          return null; // an option, or picocli's @file: the general path
        }
      }
      return new FastCall(dir, args[i + 2], args[i + 3], args[i + 4]);
    }

    /** Whether the hook has anything to do (the checks of {@link #run} before any reading). */
    boolean acts(java.util.Map<String, String> env) {
      return "1".equals(flag) && !prev.equals(next) && !zeros(prev)
          && !"off".equals(env.get("MIGDIFF_HOOK"));
    }

    /** Git's null object id (a clone's first checkout); a loop, not a regex (see Resident). */
    private static boolean zeros(String id) {
      for (int i = 0; i < id.length(); i++) {
        if (id.charAt(i) != '0') {
          return false;
        }
      }
      return !id.isEmpty();
    }

    /**
     * Runs it as if started in {@code cwd}, printing to {@code err}; {@code console} says whether
     * the caller's standard error is a terminal (colour follows it, NO_COLOR and TERM).
     */
    int run(PrintWriter err, java.util.Map<String, String> env, Path cwd, boolean console) {
      boolean colour = OutputOptions.autoColour(console, env.get("NO_COLOR"), env.get("TERM"));
      return HookCommand.run(new Context(err, env, cwd.resolve(directory)), new RepoOptions(),
          new DatabaseOptions(), new dev.migdiff.report.Terminal(colour), prev, next, flag, null,
          new HookSnapshotOptions());
    }
  }

  /** The hook's work: both revisions read, the switch planned (on its own thread). */
  private static SwitchReport switchReport(Context hook, RepoOptions repo,
      DatabaseOptions database, String prev, String next, double seconds,
      java.util.concurrent.atomic.AtomicReference<java.nio.file.Path[]> dirs) {
    PrintWriter err = hook.err();
    java.util.Map<String, String> env = hook.env();
    try (GitRepository git = repo.directory != null ? repo.open(null) : hook.open();
        RunCache cache = repo.cache(env, git, err)) {
      if (git.operationInProgress() != null) {
        return null;
      }
      java.time.Duration budget = java.time.Duration.ofMillis((long) (seconds * 800));
      dev.migdiff.analysis.AppliedSource db = database.source(git, env, budget);
      // A database that cannot tell costs one line: the plan then assumes everything at PREV
      // is applied, and the revisions are still read only once.
      dev.migdiff.analysis.AppliedSource lenient = at -> {
        try {
          return db.read(at);
        } catch (dev.migdiff.db.DatabaseException e) {
          err.println("migdiff: database not read (" + e.getMessage()
              + "); assuming everything on the previous branch is applied");
          return java.util.Optional.empty();
        }
      };
      SwitchReport report = new Comparison(git, repo.overrides(), cache.view())
          .withSnapshots(SnapshotCommand.candidates(git))
          .switchOnly(prev, next, git.describe(prev), git.describe(next), lenient);
      dirs.set(new java.nio.file.Path[] {git.commonDirectory(), git.workTree()});
      return report;
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  /** Hook runs whose work has not ended (one that overran its time bound still counts). */
  static final java.util.concurrent.atomic.AtomicInteger RUNNING =
      new java.util.concurrent.atomic.AtomicInteger();

  static int run(Context hook, RepoOptions repo, DatabaseOptions database,
      dev.migdiff.report.Terminal terminal, String prev, String next, String flag, Double timeout,
      HookSnapshotOptions snapshots) {
    PrintWriter err = hook.err();
    java.util.Map<String, String> env = hook.env();
    if (!new FastCall(Path.of("."), prev, next, flag).acts(env)) {
      return ExitCodes.OK;
    }
    double seconds = timeout != null ? timeout : envSeconds(env);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    java.util.concurrent.atomic.AtomicReference<java.nio.file.Path[]> dirs =
        new java.util.concurrent.atomic.AtomicReference<>();
    // A thread of its own, not the common pool: in the daemon a run that overran its time bound
    // must not hold up the next one (the common pool has one worker on two cores).
    CompletableFuture<SwitchReport> work = CompletableFuture.supplyAsync(() -> {
      try {
        return switchReport(hook, repo, database, prev, next, seconds, dirs);
      } finally {
        RUNNING.decrementAndGet();
      }
    }, task -> {
      RUNNING.incrementAndGet(); // ends before the answer is handed over (below): no race
      Thread t = new Thread(task, "migdiff-hook");
      t.setDaemon(true);
      t.start();
    });
    try {
      SwitchReport report = work.get((long) (seconds * 1000), TimeUnit.MILLISECONDS);
      if (report != null && !report.isQuiet()) {
        new HookTextRenderer(terminal).render(report, err);
      }
      if (report != null && snapshots.enabled && report.database() != null
          && !report.plan().unapply().isEmpty()) {
        // post-checkout runs before the developer migrates: the database is still PREV's. The
        // report is out already; the snapshot gets what is left of the time bound.
        snapshot(snapshots, report, dirs.get(), database.url, env, prev, deadline, seconds, err);
      }
    } catch (TimeoutException e) {
      err.println(gaveUp(seconds, prev, next));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null && e.getCause().getCause() != null
          ? e.getCause().getCause() : e.getCause();
      err.println("migdiff: hook skipped: " + dev.migdiff.report.Terminal.safe(cause.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private static void snapshot(HookSnapshotOptions snapshots, SwitchReport report,
      java.nio.file.Path[] dirs, String option, java.util.Map<String, String> env, String prev,
      long deadline, double seconds, PrintWriter err) {
    long left = deadline - System.nanoTime();
    CompletableFuture<String> save = CompletableFuture.supplyAsync(() -> snapshots.take(dirs[0],
        dirs[1], option, env, report, prev, java.time.Duration.ofNanos(Math.max(left, 1))));
    try {
      String line = save.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      if (line != null) {
        err.println(line);
      }
    } catch (TimeoutException e) {
      // The copy is abandoned when the JVM exits; its temporary file is removed by the next save.
      err.println("migdiff: no snapshot taken: it did not finish within the hook's " + seconds
          + " s (MIGDIFF_HOOK_TIMEOUT); take one by hand: migdiff snapshot save");
    } catch (ExecutionException e) {
      err.println("migdiff: no snapshot taken: "
          + dev.migdiff.report.Terminal.safe(String.valueOf(e.getCause().getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The line of a hook that ran out of its time bound (here, or waiting for the daemon). */
  static String gaveUp(double seconds, String prev, String next) {
    return "migdiff: gave up after " + seconds + " s; run 'migdiff " + abbrev(prev) + " "
        + abbrev(next) + "' for the answer";
  }

  static String abbrev(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  /** The hook's time bound: {@code MIGDIFF_HOOK_TIMEOUT} seconds, else 2. */
  static double envSeconds(java.util.Map<String, String> env) {
    try {
      String v = env.get("MIGDIFF_HOOK_TIMEOUT");
      return v == null ? 2.0 : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return 2.0;
    }
  }
}
