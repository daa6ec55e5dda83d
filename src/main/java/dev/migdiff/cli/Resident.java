package dev.migdiff.cli;

import dev.migdiff.cache.CacheLocation;
import dev.migdiff.daemon.DaemonClient;
import dev.migdiff.daemon.Request;
import dev.migdiff.daemon.Response;
import java.io.File;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The post-checkout hook's resident process: a JVM that stays up between branch switches (idle
 * for at most {@code MIGDIFF_DAEMON_IDLE} seconds, default 900), so that a switch costs a client
 * JVM's start and a warm process's answer instead of a whole cold run.
 *
 * <p>Only the installed hook's exact call ({@link HookCommand.FastCall}) goes to it; everything
 * else runs in its own process as before. A hook that finds no daemon runs in its own process
 * as before, prints, and then starts one in the background (its own session, no terminal, no
 * output) for the next switch. A daemon that does not answer (died, broken) is the same as none;
 * one that overruns the hook's time bound gets the hook's own "gave up" line. It lives in the
 * cache's version directory: {@code MIGDIFF_CACHE=off} (or no cache location) means no daemon, a
 * new build never meets an older one, and {@code migdiff cache clear} ends it.
 * {@code MIGDIFF_DAEMON=off} turns it off.
 */
final class Resident {
  private Resident() {}

  /** The daemon's directory for {@code env}, or empty when it is off. */
  static Optional<Path> directory(Map<String, String> env) {
    String mode = env.getOrDefault("MIGDIFF_DAEMON", "").trim().toLowerCase(Locale.ROOT);
    if (mode.equals("off") || mode.equals("0") || mode.equals("false") || mode.equals("no")) {
      return Optional.empty();
    }
    Optional<Path> base = CacheLocation.base(env);
    return base.isPresent() ? Optional.of(CacheLocation.root(base.get())) : Optional.empty();
  }

  /** What {@link #tryServe} found, for {@link #startIfAbsent}. */
  record Attempt(Path directory, HookCommand.FastCall call, boolean absent) {}

  /**
   * Hands the installed hook's call to the daemon: the exit code when it answered (its output
   * already printed), else null and the caller runs the call itself. {@code attempt} receives
   * what was found.
   */
  static Integer tryServe(String[] args, Map<String, String> env, PrintStream out,
      PrintStream err, Attempt[] attempt) {
    if (locatesRepository(env)) {
      return null;
    }
    HookCommand.FastCall call = HookCommand.FastCall.of(args);
    List<String> general = call == null ? ByHand.of(args, Path.of("").toAbsolutePath()) : null;
    if (call == null && general == null || call != null && !call.acts(env)) {
      return null;
    }
    Optional<Path> dir = directory(env);
    if (dir.isEmpty()) {
      return null;
    }
    Request request = new Request(Path.of("").toAbsolutePath().toString(),
        System.console() != null, call != null ? List.of(args) : general, env);
    double seconds = HookCommand.envSeconds(env);
    DaemonClient.Outcome outcome = DaemonClient.call(dir.get(), request, call != null
        ? Duration.ofMillis((long) (seconds * 1000) + 3000) : BY_HAND_WAIT);
    switch (outcome.kind()) {
      case SERVED -> {
        Response r = outcome.response();
        if (r.exitCode() == NOT_MINE) {
          return null;
        }
        // bytes, as the command's own UTF-8 writers would have written them
        byte[] o = r.out().getBytes(StandardCharsets.UTF_8);
        out.write(o, 0, o.length);
        out.flush();
        byte[] e = r.err().getBytes(StandardCharsets.UTF_8);
        err.write(e, 0, e.length);
        err.flush();
        return r.exitCode();
      }
      case TIMED_OUT -> {
        if (call == null) {
          return null;
        }
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err,
            StandardCharsets.UTF_8), true);
        e.println(HookCommand.gaveUp(seconds, call.prev(), call.next()));
        return ExitCodes.OK;
      }
      default -> {
        // only the hook starts one: a command run by hand uses it when it is up
        attempt[0] = call == null ? null
            : new Attempt(dir.get(), call, outcome.kind() == DaemonClient.Kind.NOT_RUNNING);
        return null;
      }
    }
  }

  /** How long a command run by hand waits for the daemon (it reads what it would read itself). */
  private static final Duration BY_HAND_WAIT = Duration.ofMinutes(10);
  /** The daemon's answer "run it yourself" (a bare repository: see {@link #handle}). */
  static final int NOT_MINE = -1;

  /**
   * {@code migdiff [-C DIR] [diff] FROM TO ...}, {@code migdiff [-C DIR] graph REF ...} and
   * {@code migdiff [-C DIR] radar [BASE] ...} with
   * only options whose meaning does not depend on the process (no file read relative to the
   * working directory, no {@code @file}, no help): the arguments with {@code -C} made absolute,
   * for the daemon; null for anything else.
   */
  static final class ByHand {
    private static final java.util.Set<String> WITH_VALUE = java.util.Set.of("--format",
        "--fail-on", "--color", "--settings", "--project-root", "--auth-user-model",
        "--django-version", "--manage", "--label", "--migration-module", "--database",
        "--other-head");
    private static final java.util.Set<String> FLAGS = java.util.Set.of("--no-database");
    private static final java.util.Set<String> RADAR_WITH_VALUE = java.util.Set.of("--branches",
        "--since");
    private static final java.util.Set<String> RADAR_FLAGS = java.util.Set.of("--include-merged");

    private ByHand() {}

    static List<String> of(String[] args, Path cwd) {
      int i = 0;
      Path dir = cwd;
      if (args.length >= 2 && args[0].equals("-C")) {
        dir = cwd.resolve(args[1]).normalize();
        i = 2;
      }
      if (i >= args.length) {
        return null;
      }
      List<String> out = new ArrayList<>(List.of("-C", dir.toString()));
      String first = args[i];
      boolean graph = first.equals("graph");
      boolean radar = first.equals("radar");
      if (graph || radar || first.equals("diff")) {
        out.add(first);
        i++;
      } else if (first.startsWith("-") && "diff".equals(Main.requested(new String[] {first}))) {
        out.add("diff"); // the comparison's options before FROM TO
      } else if (first.startsWith("-") || Main.isSubcommand(first)) {
        return null;
      }
      int positional = 0;
      for (; i < args.length; i++) {
        String a = args[i];
        if (a.isEmpty() || a.startsWith("@")) {
          return null;
        }
        if (!a.startsWith("-")) {
          positional++;
          out.add(a);
          continue;
        }
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        if ((FLAGS.contains(name) || radar && RADAR_FLAGS.contains(name)) && eq < 0) {
          out.add(a);
        } else if (WITH_VALUE.contains(name) || radar && RADAR_WITH_VALUE.contains(name)) {
          out.add(a);
          if (eq < 0) {
            if (i + 1 >= args.length) {
              return null;
            }
            out.add(args[++i]);
          }
        } else {
          return null; // --config FILE, --help, --no-cache, -C after the command, ...
        }
      }
      // (radar's --branches takes several globs: picocli parses the same arguments either way)
      return radar || positional == (graph ? 1 : 2) ? out : null;
    }
  }

  /**
   * The variables with which git (and JGit, in this process) is told where a repository is,
   * instead of finding it from the directory. The daemon has its own environment, so a hook run
   * with any of them runs in its own process, and the daemon is started without them.
   */
  static final List<String> GIT_LOCATION = List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
      "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_INDEX_FILE",
      "GIT_CEILING_DIRECTORIES");

  private static boolean locatesRepository(Map<String, String> env) {
    for (String name : GIT_LOCATION) {
      if (env.containsKey(name)) {
        return true;
      }
    }
    return false;
  }

  /** Runs a request in the daemon: the hook's call, or a command run by hand ({@link ByHand}). */
  static Response handle(Request request) {
    String[] args = request.args().toArray(String[]::new);
    HookCommand.FastCall call = HookCommand.FastCall.of(args);
    if (call != null) {
      StringWriter buffer = new StringWriter();
      PrintWriter err = new PrintWriter(buffer, true);
      int code = call.run(err, request.env(), Path.of(request.directory()), request.console());
      err.flush();
      return new Response(code, "", buffer.toString());
    }
    List<String> general = ByHand.of(args, Path.of(request.directory()));
    if (general == null || !general.equals(request.args())) {
      return new Response(ExitCodes.USAGE, "", "migdiff: error: not a call for the daemon\n");
    }
    if (namesDatabase(request) && bare(Path.of(args[1]))) {
      // a bare repository's relative database URLs are relative to the working directory,
      // which this process does not share: the client runs it itself
      return new Response(NOT_MINE, "", "");
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    CURRENT.set(request);
    try {
      int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), request.env());
      return new Response(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      CURRENT.remove();
    }
  }

  /** Whether a database URL is given (a bare repository finds none by itself). */
  private static boolean namesDatabase(Request request) {
    boolean none = false;
    boolean named = request.env().containsKey("DATABASE_URL");
    for (String a : request.args()) {
      none |= a.equals("--no-database");
      named |= a.equals("--database") || a.startsWith("--database=");
    }
    return named && !none;
  }

  private static boolean bare(Path dir) {
    try (dev.migdiff.git.GitRepository git = dev.migdiff.git.GitRepository.discover(dir)) {
      return git.workTree() == null;
    } catch (dev.migdiff.git.GitException | RuntimeException e) {
      return false; // the command says what is wrong, as it would in its own process
    }
  }

  /** The request this thread runs in the daemon, if any: its terminal and environment. */
  private static final ThreadLocal<Request> CURRENT = new ThreadLocal<>();

  /** Whether the caller's standard streams are a terminal (the client's, in the daemon). */
  static boolean console() {
    Request r = CURRENT.get();
    return r != null ? r.console() : System.console() != null;
  }

  /** An environment variable of the caller (the client's, in the daemon). */
  static String getenv(String name) {
    Request r = CURRENT.get();
    return r != null ? r.env().get(name) : System.getenv(name);
  }

  /**
   * Starts the daemon in the background when the call found none (best effort, silently): a
   * JVM like this one, with the JIT's second tier, in a session of its own where there is
   * {@code setsid}, its first work this call (so it is warm for the next).
   */
  static void startIfAbsent(Attempt attempt) {
    if (attempt == null || !attempt.absent()) {
      return;
    }
    try {
      List<String> command = new ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        command.add("/usr/bin/setsid");
      }
      command.add(ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(jvmOptions(ProcessHandle.current().info().arguments().orElse(new String[0])));
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(DaemonMain.class.getName());
      command.add(attempt.directory().toString());
      HookCommand.FastCall c = attempt.call();
      command.addAll(List.of("-C", c.directory().toAbsolutePath().toString(), "hook",
          "post-checkout", c.prev(), c.next(), c.flag()));
      ProcessBuilder daemon = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      daemon.environment().keySet().removeAll(GIT_LOCATION);
      daemon.start();
    } catch (java.io.IOException | RuntimeException e) {
      // no daemon: every switch runs in its own process, as without one
    }
  }

  /**
   * The JVM options of this process worth giving the daemon (the class-data archive, system
   * properties), less those for short runs (the compiler level, the collector and its young
   * generation) and one-off recordings.
   */
  static List<String> jvmOptions(String[] arguments) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < arguments.length; i++) {
      String a = arguments[i];
      if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
        i++;
        continue;
      }
      if (a.equals("-jar")) {
        break; // the jar is java.class.path then, given with -cp like any other
      }
      if (!a.startsWith("-")) {
        break; // the main class
      }
      if (a.startsWith("-XX:TieredStopAtLevel") || a.startsWith("-XX:StartFlightRecording")
          || a.startsWith("-XX:ArchiveClassesAtExit") || a.startsWith("-Xshare:dump")
          || a.startsWith("-agentlib") || a.startsWith("-javaagent") || a.startsWith("-Xmx")
          || a.startsWith("-XX:+AutoCreateSharedArchive") || a.startsWith("-XX:DumpLoadedClassList")
          || a.startsWith("-XX:SharedClassListFile")) {
        continue;
      }
      if (a.matches("-XX:[+-]Use\\w*GC") || a.startsWith("-XX:NewSize") || a.startsWith("-Xmn")
          || a.startsWith("-XX:MaxNewSize") || a.startsWith("-Xlog:gc") || a.startsWith("-Xms")
          || a.startsWith("-XX:InitialRAMPercentage") || a.startsWith("-XX:MaxTenuringThreshold")) {
        continue; // the collector of short runs: the daemon's is set below
      }
      out.add(a);
    }
    // A resident process keeps little alive between answers: the serial collector's short pauses
    // and its giving back of idle memory suit it better than the short runs' parallel one.
    out.add(0, "-XX:+UseSerialGC");
    // a resident process gives memory back when idle (and has the heap bound of a process of
    // its own: the JVM's default, so it never fails where the command's own process would not)
    out.add("-XX:MinHeapFreeRatio=10");
    out.add("-XX:MaxHeapFreeRatio=30");
    return out;
  }

  /** How long an idle daemon stays: {@code MIGDIFF_DAEMON_IDLE} seconds, else 900. */
  static Duration idle(Map<String, String> env) {
    try {
      String v = env.get("MIGDIFF_DAEMON_IDLE");
      if (v != null) {
        long s = Long.parseLong(v.trim());
        if (s > 0) {
          return Duration.ofSeconds(s);
        }
      }
    } catch (NumberFormatException e) {
      // the default
    }
    return Duration.ofMinutes(15);
  }

  /** The daemon's state for {@code migdiff cache info}. */
  static String describe(Map<String, String> env) {
    Optional<Path> dir = directory(env);
    if (dir.isEmpty()) {
      return CacheLocation.base(env).isEmpty() ? "off (no cache)"
          : "off (MIGDIFF_DAEMON=" + env.get("MIGDIFF_DAEMON") + ")";
    }
    String limit = "ends after " + idle(env).toSeconds() + " s idle (MIGDIFF_DAEMON_IDLE)";
    long pid = DaemonClient.runningPid(dir.get());
    if (pid > 0) {
      return "running, process " + pid + "; " + limit;
    }
    return "not running (the next hook that reads starts it); " + limit;
  }
}
