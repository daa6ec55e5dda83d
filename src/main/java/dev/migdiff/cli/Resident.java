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
    HookCommand.FastCall call = HookCommand.FastCall.of(args);
    if (call == null || !call.acts(env) || locatesRepository(env)) {
      return null;
    }
    Optional<Path> dir = directory(env);
    if (dir.isEmpty()) {
      return null;
    }
    if (!DaemonClient.socketPresent(dir.get())) {
      attempt[0] = new Attempt(dir.get(), call, true);
      return null;
    }
    Request request = new Request(Path.of("").toAbsolutePath().toString(),
        System.console() != null, List.of(args), env);
    double seconds = HookCommand.envSeconds(env);
    DaemonClient.Outcome outcome = DaemonClient.call(dir.get(), request,
        Duration.ofMillis((long) (seconds * 1000) + 3000));
    switch (outcome.kind()) {
      case SERVED -> {
        Response r = outcome.response();
        out.print(r.out());
        out.flush();
        err.print(r.err());
        err.flush();
        return r.exitCode();
      }
      case TIMED_OUT -> {
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err,
            StandardCharsets.UTF_8), true);
        e.println("migdiff: gave up after " + seconds + " s; run 'migdiff "
            + HookCommand.abbrev(call.prev()) + " " + HookCommand.abbrev(call.next())
            + "' for the answer");
        return ExitCodes.OK;
      }
      default -> {
        attempt[0] = new Attempt(dir.get(), call, outcome.kind() == DaemonClient.Kind.NOT_RUNNING);
        return null;
      }
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

  /** Runs a request in the daemon: the hook's call, as if in the client's directory. */
  static Response handle(Request request) {
    HookCommand.FastCall call = HookCommand.FastCall.of(request.args().toArray(String[]::new));
    if (call == null) {
      return new Response(ExitCodes.USAGE, "", "migdiff: error: the daemon runs only the hook\n");
    }
    StringWriter buffer = new StringWriter();
    PrintWriter err = new PrintWriter(buffer, true);
    int code = call.run(err, request.env(), Path.of(request.directory()), request.console());
    err.flush();
    return new Response(code, "", buffer.toString());
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
   * properties, the collector), less those for short runs and one-off recordings.
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
      out.add(a);
    }
    // a resident process gives memory back when idle
    out.add("-Xmx1g");
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
    try {
      if (DaemonClient.socketPresent(dir.get())) {
        long pid = Long.parseLong(Files.readString(dir.get().resolve("daemon.lock")).strip());
        if (ProcessHandle.of(pid).isPresent()) {
          return "running, process " + pid + "; " + limit;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // not running
    }
    return "not running (the next hook that reads starts it); " + limit;
  }
}
