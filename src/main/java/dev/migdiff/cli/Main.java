package dev.migdiff.cli;

import dev.migdiff.analysis.ConfigException;
import dev.migdiff.db.DatabaseException;
import dev.migdiff.git.GitException;
import dev.migdiff.git.UnreadableObjectException;
import dev.migdiff.report.Terminal;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point: wires {@code main(args)} to {@link #run}, and maps failures to exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Resident.Attempt[] attempt = new Resident.Attempt[1];
    if (!only(args, "--version", "-V")) {
      // the installed hook's call, answered by the resident process when one is up
      Integer served = Resident.tryServe(args, System.getenv(), System.out, System.err, attempt);
      if (served != null) {
        System.exit(served);
      }
    }
    String command = requested(args);
    if (command != null && READS_A_REPOSITORY.contains(command)) {
      try {
        openAhead(args);
      } catch (RuntimeException e) {
        // (a directory that is no path: the command itself says so)
      }
    }
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.err.flush();
    Resident.startIfAbsent(attempt[0]);
    System.exit(code);
  }

  /**
   * Opens the repository ahead on another thread; for the everyday {@code FROM TO} and
   * {@code graph REF} lines, tells it which revisions the run reads and what the cache keeps,
   * so that a run that looks warm does not open JGit it will not need.
   */
  private static void openAhead(String[] args) {
    FastArgs fast = FastArgs.diff(args);
    java.util.List<String> refs = fast != null ? fast.positionals : java.util.List.of();
    if (fast == null) {
      fast = FastArgs.graph(args);
      refs = fast == null ? refs
          : fast.positionals.isEmpty() ? java.util.List.of("HEAD") : fast.positionals;
    }
    java.util.Optional<java.nio.file.Path> base = fast == null || fast.noCache
        ? java.util.Optional.empty() : dev.migdiff.cache.CacheLocation.base(System.getenv());
    java.util.function.BiPredicate<String, String> kept = null;
    if (base.isPresent()) {
      dev.migdiff.cache.ObjectStore store = new dev.migdiff.cache.ObjectStore(
          dev.migdiff.cache.CacheLocation.root(base.get()), 0, w -> { });
      kept = store::has;
    }
    dev.migdiff.git.GitRepository.openAhead(directory(args), refs, kept);
  }

  /** Runs migdiff with the given arguments and streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    // (the environment's map costs a few classes and a copy: --version does without)
    return run(args, out, err,
        only(args, "--version", "-V") ? java.util.Map.of() : System.getenv());
  }

  /** Runs migdiff with {@code env} as its environment. */
  public static int run(String[] args, PrintStream out, PrintStream err,
      java.util.Map<String, String> env) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    if (only(args, "--version", "-V")) {
      // The one answer that needs no command line model: picocli's reflection over the commands
      // costs more than the JVM's own start (docs/install.md, "Start-up").
      for (String line : MigdiffCommand.Version.lines()) {
        o.println(line);
      }
      o.flush();
      return ExitCodes.OK;
    }
    try {
      Integer hook = HookCommand.postCheckoutFast(args, e, env);
      if (hook != null) {
        return hook;
      }
    } catch (RuntimeException ex) {
      return internalError(ex, e);
    } finally {
      e.flush();
    }
    Integer fast = runFast(args, o, e, env);
    if (fast != null) {
      return fast;
    }
    CommandLine cli = commandLine(args, env);
    cli.setOut(o);
    cli.setErr(e);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler((ex, line, parsed) -> failure(ex, line.getErr()));
    try {
      return cli.execute(withDefaultSubcommand(args));
    } catch (OutOfMemoryError | StackOverflowError ex) {
      // picocli hands only Exceptions to the handler; these are bugs too, reported the same way.
      return internalError(ex, e);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** picocli's model of the command line for {@code args}: the subcommand they need, or all. */
  static CommandLine commandLine(String[] args, java.util.Map<String, String> env) {
    MigdiffCommand top = new MigdiffCommand();
    top.env = env;
    CommandLine cli = new CommandLine(top);
    String wanted = requested(args);
    boolean listOnly = only(args, "--help", "-h");
    for (String name : SUBCOMMANDS) {
      if (listOnly) {
        // the top-level help lists each command's name and first line: its @Command is enough
        cli.addSubcommand(name, outline(type(name)));
      } else if (wanted == null || wanted.equals(name)) {
        cli.addSubcommand(name, make(name));
      }
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /**
   * {@code diff} and {@code graph} as {@link FastArgs} reads them, run without picocli's model
   * of the command line (errors reported as picocli's handler reports them); null for any other
   * call.
   */
  private static Integer runFast(String[] args, PrintWriter o, PrintWriter e,
      java.util.Map<String, String> env) {
    DiffCommand diff = DiffCommand.fast(args, env);
    GraphCommand graph = diff == null ? GraphCommand.fast(args, env) : null;
    if (diff == null && graph == null) {
      return null;
    }
    try {
      return diff != null ? diff.run(o, e) : graph.run(o, e);
    } catch (OutOfMemoryError | StackOverflowError ex) {
      return internalError(ex, e);
    } catch (Exception ex) {
      return failure(ex, e);
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** Subcommands that read the repository's objects at once (for {@code openAhead}). */
  private static final java.util.Set<String> READS_A_REPOSITORY = java.util.Set.of("diff",
      "graph", "status", "hook", "comment", "radar", "sweep");

  /**
   * The directory a run starts in: the last {@code -C DIR} (a subcommand's wins over migdiff's),
   * else this one. (Only a guess for opening ahead: the command's own options decide.)
   */
  static java.nio.file.Path directory(String[] args) {
    String dir = ".";
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-C")) {
        dir = args[++i];
      }
    }
    return java.nio.file.Path.of(dir);
  }

  /** The subcommands, in the order help lists them. */
  private static final java.util.List<String> SUBCOMMANDS = java.util.List.of("diff", "graph",
      "status", "hook", "snapshot", "comment", "radar", "sweep", "doctor", "generate-man-page",
      "cache", "help", "generate-completion");

  /** A new instance of subcommand {@code name} (one of {@link #SUBCOMMANDS}). */
  private static Object make(String name) {
    return switch (name) {
      case "diff" -> new DiffCommand();
      case "graph" -> new GraphCommand();
      case "status" -> new StatusCommand();
      case "hook" -> new HookCommand();
      case "snapshot" -> new SnapshotCommand();
      case "comment" -> new CommentCommand();
      case "radar" -> new RadarCommand();
      case "sweep" -> new SweepCommand();
      case "doctor" -> new DoctorCommand();
      case "generate-man-page" -> new ManPageCommand();
      case "cache" -> new CacheCommand();
      case "help" -> new CommandLine.HelpCommand();
      case "generate-completion" -> new picocli.AutoComplete.GenerateCompletion();
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Whether {@code name} is a subcommand's name. */
  static boolean isSubcommand(String name) {
    return SUBCOMMANDS.contains(name);
  }

  /** The class of subcommand {@code name}, loaded but not inspected. */
  private static Class<?> type(String name) {
    return switch (name) {
      case "diff" -> DiffCommand.class;
      case "graph" -> GraphCommand.class;
      case "status" -> StatusCommand.class;
      case "hook" -> HookCommand.class;
      case "snapshot" -> SnapshotCommand.class;
      case "comment" -> CommentCommand.class;
      case "radar" -> RadarCommand.class;
      case "sweep" -> SweepCommand.class;
      case "doctor" -> DoctorCommand.class;
      case "generate-man-page" -> ManPageCommand.class;
      case "cache" -> CacheCommand.class;
      case "help" -> CommandLine.HelpCommand.class;
      case "generate-completion" -> picocli.AutoComplete.GenerateCompletion.class;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** True when {@code args}, past any {@code -C DIR}, are exactly one of {@code forms}. */
  static boolean only(String[] args, String... forms) {
    int i = 0;
    while (i + 1 < args.length && args[i].equals("-C")) {
      i += 2;
    }
    return i == args.length - 1 && java.util.List.of(forms).contains(args[i]);
  }

  /**
   * A command with {@code command}'s name, description and visibility, and nothing else: what
   * the top-level help shows of it, without picocli's reflection over its options and
   * subcommands.
   */
  private static CommandLine.Model.CommandSpec outline(Class<?> command) {
    CommandLine.Command c = command.getAnnotation(CommandLine.Command.class);
    CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(c.name());
    spec.usageMessage().description(c.description()).header(c.header()).hidden(c.hidden());
    return spec;
  }

  /**
   * The one subcommand a run needs ("diff" for {@code migdiff FROM TO}), or null when all are
   * needed (help, completion, options only).
   */
  static String requested(String[] args) {
    int i = afterDirectory(args);
    if (i >= args.length || args[i].equals("help") || args[i].startsWith("generate-")
        || TOP_LEVEL_OPTIONS.contains(args[i])) {
      return null;
    }
    return SUBCOMMANDS.contains(args[i]) ? args[i] : "diff";
  }

  /** The options of {@code migdiff} itself ({@code -C} here only when it lacks its DIR). */
  private static final java.util.Set<String> TOP_LEVEL_OPTIONS = java.util.Set.of("-h", "--help",
      "-V", "--version", "-C");

  /** The index of the first argument past any {@code -C DIR}. */
  private static int afterDirectory(String[] args) {
    int i = 0;
    while (i + 1 < args.length && args[i].equals("-C")) {
      i += 2;
    }
    return i;
  }

  /**
   * {@code migdiff FROM TO} means {@code migdiff diff FROM TO}, and so does
   * {@code migdiff --format json FROM TO}: an option that is not migdiff's own is the comparison's.
   */
  static String[] withDefaultSubcommand(String[] args) {
    if (!"diff".equals(requested(args)) || args[afterDirectory(args)].equals("diff")) {
      return args;
    }
    java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(args));
    out.add(afterDirectory(args), "diff");
    return out.toArray(String[]::new);
  }

  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    PrintWriter err = ex.getCommandLine().getErr();
    err.println("migdiff: error: " + Terminal.safe(ex.getMessage()));
    err.println("hint: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
    return ExitCodes.USAGE;
  }

  private static int failure(Exception ex, PrintWriter err) {
    if (ex instanceof CommandLine.ParameterException p) {
      return usageError(p, null);
    }
    if (ex instanceof GitException g) {
      err.println("migdiff: error: " + Terminal.safe(g.getMessage()));
      if (g.hint() != null) {
        err.println("hint: " + Terminal.safe(g.hint()));
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof dev.migdiff.hook.HookException h) {
      err.println("migdiff: error: " + Terminal.safe(h.getMessage()));
      if (h.hint() != null) {
        err.println("hint: " + Terminal.safe(h.hint()));
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof DatabaseException d) {
      err.println("migdiff: error: " + d.getMessage());
      if (d.hint() != null) {
        err.println("hint: " + d.hint());
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof dev.migdiff.snapshot.SnapshotException s) {
      err.println("migdiff: error: " + Terminal.safe(s.getMessage()));
      if (s.hint() != null) {
        err.println("hint: " + Terminal.safe(s.hint()));
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof dev.migdiff.bot.BotException b) {
      err.println("migdiff: error: " + b.getMessage());
      if (b.hint() != null) {
        err.println("hint: " + b.hint());
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof ConfigException c) {
      err.println("migdiff: error: " + Terminal.safe(c.getMessage()));
      err.println("hint: see docs/django-rules.md (Configuration)");
      return ExitCodes.USAGE;
    }
    if (isBrokenPipe(ex)) {
      return ExitCodes.OK;
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof UnreadableObjectException u) {
        err.println("migdiff: error: cannot read the repository: " + Terminal.safe(u.getMessage()));
        err.println("hint: " + Terminal.safe(u.hint()));
        return ExitCodes.USAGE;
      }
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      err.println("migdiff: error: cannot read the repository: " + Terminal.safe(ex.getMessage()));
      err.println("hint: run 'git fsck' to check the repository");
      return ExitCodes.USAGE;
    }
    return internalError(ex, err);
  }

  /** A bug: the exception, its stack trace and a request to report it; exit code 3. */
  private static int internalError(Throwable ex, PrintWriter err) {
    err.println("migdiff: internal error: " + Terminal.safe(ex.toString()));
    ex.printStackTrace(err);
    err.println("This is a bug in migdiff; please report it with the output above.");
    return ExitCodes.INTERNAL;
  }

  private static boolean isBrokenPipe(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof IOException && String.valueOf(t.getMessage()).contains("Broken pipe")) {
        return true;
      }
    }
    return false;
  }
}
