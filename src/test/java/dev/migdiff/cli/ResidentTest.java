package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.daemon.DaemonClient;
import dev.migdiff.daemon.DaemonServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook's resident process on the demo repository: its answers are byte for byte the
 * in-process ones; a hook that finds none starts one; a stopped daemon gets the hook's "gave up"
 * line, a killed one is replaced; MIGDIFF_DAEMON=off and the cache's being off keep it away.
 */
class ResidentTest {
  @TempDir Path tmp;
  Path repo;
  Path cache;
  String prev;
  String next;
  final List<Long> daemons = new ArrayList<>();

  @BeforeEach
  void demo() throws Exception {
    repo = tmp.resolve("demo");
    cache = tmp.resolve("cache");
    run(Path.of("."), Map.of(), "bash", "testrepos/demo.sh", repo.toString());
    prev = run(repo, Map.of(), "git", "rev-parse", "main").strip();
    next = run(repo, Map.of(), "git", "rev-parse", "feature-x").strip();
  }

  @AfterEach
  void stopDaemons() throws Exception {
    for (long pid : daemons) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroyForcibly();
        p.onExit().join();
      });
    }
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("MIGDIFF_HOOK");
    env.put("MIGDIFF_CACHE_DIR", cache.toString());
    env.put("MIGDIFF_DAEMON", "on");
    env.put("MIGDIFF_DAEMON_IDLE", "60");
    env.put("MIGDIFF_HOOK_TIMEOUT", "60");
    return env;
  }

  private String[] hookArgs() {
    return new String[] {"-C", repo.toString(), "hook", "post-checkout", prev, next, "1"};
  }

  /** The hook's stderr when run in this process, without any daemon. */
  private String inProcess(Map<String, String> env) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(0, Main.run(hookArgs(), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), env));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theDaemonsAnswerIsTheInProcessOneByteForByte() throws Exception {
    Map<String, String> env = env();
    String expected = inProcess(env);
    assertTrue(expected.contains("blog.0003_remove_post_slug"), expected);
    String tag = run(repo, Map.of(), "git", "rev-parse", "v1.0^{commit}").strip();
    // switches back and forth: the daemon keeps what it read (repositories, revisions,
    // operations) between them, and must answer each exactly as a process of its own does
    List<String[]> switches = List.of(new String[] {prev, next}, new String[] {next, prev},
        new String[] {prev, next}, new String[] {tag, next}, new String[] {next, tag},
        new String[] {prev, tag}, new String[] {next, prev});
    Path dir = Resident.directory(env).orElseThrow();
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serveInThisProcess(server);
      for (String[] sw : switches) {
        prev = sw[0];
        next = sw[1];
        String own = inProcess(with(env, "MIGDIFF_DAEMON", "off"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Resident.Attempt[] attempt = new Resident.Attempt[1];
        Integer code = Resident.tryServe(hookArgs(), env, new PrintStream(out),
            new PrintStream(err, true, StandardCharsets.UTF_8), attempt);
        assertEquals(0, code);
        assertEquals(own, err.toString(StandardCharsets.UTF_8), sw[0] + " -> " + sw[1]);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertNull(attempt[0]);
      }
      // a hook call with nothing to do is not the daemon's, nor a hook run with GIT_DIR
      assertNull(Resident.tryServe(new String[] {"-C", repo.toString(), "hook", "post-checkout",
          prev, next, "0"}, env, System.out, System.err, new Resident.Attempt[1]));
      Resident.Attempt[] none = new Resident.Attempt[1];
      assertNull(Resident.tryServe(hookArgs(), with(env, "GIT_DIR", repo.resolve(".git").toString()),
          System.out, System.err, none));
      assertNull(none[0], "a hook run with GIT_DIR would start a daemon");
      assertEquals(2, Resident.handle(new dev.migdiff.daemon.Request("/", false,
          List.of("graph"), env)).exitCode());
      server.stop();
      serving.get(30, TimeUnit.SECONDS);
    }
  }

  /** Serves {@code server} with the daemon's handler on a thread of this JVM. */
  private static CompletableFuture<Void> serveInThisProcess(DaemonServer server) {
    return CompletableFuture.runAsync(() -> server.serve(Resident::handle,
        Duration.ofSeconds(60)), r -> new Thread(r, "test-daemon").start());
  }

  /** What {@code args} print in this process: stdout, then stderr, then the exit code. */
  private static String own(String[] args, Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return out.toString(StandardCharsets.UTF_8) + "\n--\n" + err.toString(StandardCharsets.UTF_8)
        + "\n--\n" + code;
  }

  @Test
  void commandsRunByHandGoToARunningDaemonAndAnswerTheSame() throws Exception {
    Map<String, String> env = env();
    Path dir = Resident.directory(env).orElseThrow();
    String r = repo.toString();
    List<String[]> calls = List.of(new String[] {"-C", r, "main", "feature-x"},
        new String[] {"-C", r, "diff", "main", "feature-x", "--format", "json"},
        new String[] {"-C", r, "feature-x", "main", "--format=markdown", "--no-database"},
        new String[] {"-C", r, "graph", "feature-x"},
        new String[] {"-C", r, "graph", "main", "--format", "json"},
        new String[] {"-C", r, "main", "nosuchbranch"},
        new String[] {"-C", r, "main", "feature-x", "--django-version", "5.2", "--fail-on",
            "none"});
    // (none of them starts a daemon: only the hook does)
    for (String[] call : calls) {
      Resident.Attempt[] attempt = new Resident.Attempt[1];
      assertNull(Resident.tryServe(call, env, System.out, System.err, attempt));
      assertNull(attempt[0]);
    }
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serveInThisProcess(server);
      for (String[] call : calls) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Integer code = Resident.tryServe(call, env, new PrintStream(out),
            new PrintStream(err), new Resident.Attempt[1]);
        assertTrue(code != null, String.join(" ", call) + " was not served");
        assertEquals(own(call, with(env, "MIGDIFF_DAEMON", "off")),
            out.toString(StandardCharsets.UTF_8) + "\n--\n" + err.toString(StandardCharsets.UTF_8)
                + "\n--\n" + code, String.join(" ", call));
      }
      // the caller's terminal decides colour, as in its own process
      dev.migdiff.daemon.Response coloured = Resident.handle(new dev.migdiff.daemon.Request(
          tmp.toString(), true, Resident.ByHand.of(new String[] {"-C", r, "main", "feature-x"},
              tmp), with(env, "TERM", "xterm")));
      assertEquals(own(new String[] {"-C", r, "main", "feature-x", "--color", "always"}, env),
          coloured.out() + "\n--\n" + coloured.err() + "\n--\n" + coloured.exitCode());
      assertTrue(coloured.out().contains("\u001b["), coloured.out());
      // a bare repository: its own process (relative database URLs follow the working directory)
      Path bare = tmp.resolve("bare.git");
      run(tmp, Map.of(), "git", "clone", "-q", "--bare", repo.toString(), bare.toString());
      assertNull(Resident.tryServe(new String[] {"-C", bare.toString(), "main", "feature-x",
          "--database", "sqlite:///db.sqlite3"}, env, System.out, System.err,
          new Resident.Attempt[1]));
      assertNull(Resident.tryServe(new String[] {"-C", bare.toString(), "main", "feature-x"},
          with(env, "DATABASE_URL", "sqlite:///db.sqlite3"), System.out, System.err,
          new Resident.Attempt[1]));
      // without a database URL, a bare repository has no database: the daemon's
      String[] noDb = {"-C", bare.toString(), "main", "feature-x"};
      ByteArrayOutputStream bareOut = new ByteArrayOutputStream();
      ByteArrayOutputStream bareErr = new ByteArrayOutputStream();
      assertEquals(1, Resident.tryServe(noDb, env, new PrintStream(bareOut), new PrintStream(bareErr),
          new Resident.Attempt[1]));
      assertEquals(own(noDb, env), bareOut.toString(StandardCharsets.UTF_8) + "\n--\n"
          + bareErr.toString(StandardCharsets.UTF_8) + "\n--\n1");
      server.stop();
      serving.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyCommandsWhoseMeaningDoesNotDependOnTheProcessAreForTheDaemon() {
    Path cwd = Path.of("/home/me/project");
    assertEquals(List.of("-C", "/home/me/project", "main", "feature"),
        Resident.ByHand.of(new String[] {"main", "feature"}, cwd));
    assertEquals(List.of("-C", "/home/me/other", "graph", "main", "--format", "json"),
        Resident.ByHand.of(new String[] {"-C", "../other", "graph", "main", "--format", "json"},
            cwd));
    assertEquals(List.of("-C", "/home/me/project", "radar", "--branches", "f/*", "x/*", "--since",
        "30.days", "--include-merged"), Resident.ByHand.of(new String[] {"radar", "--branches",
            "f/*", "x/*", "--since", "30.days", "--include-merged"}, cwd));
    assertEquals(List.of("-C", "/srv/repo", "diff", "a", "b", "--format=json", "--no-database"),
        Resident.ByHand.of(new String[] {"-C", "/srv/repo", "diff", "a", "b", "--format=json",
            "--no-database"}, cwd));
    assertEquals(List.of("-C", "/home/me/project", "diff", "--format", "json", "a", "b"),
        Resident.ByHand.of(new String[] {"--format", "json", "a", "b"}, cwd));
    for (String[] no : List.of(new String[] {"main"}, new String[] {"a", "b", "c"},
        new String[] {"status"}, new String[] {"graph"}, new String[] {"a", "b", "--config",
            "x.toml"}, new String[] {"a", "b", "--help"}, new String[] {"a", "b", "--no-cache"},
        new String[] {"--no-cache", "a", "b"}, new String[] {"--help", "a", "b"},
        new String[] {"@args"}, new String[] {"a", "@b"}, new String[] {"--version"},
        new String[] {"a", "b", "--format"}, new String[] {"diff", "-C", "x", "a", "b"},
        new String[] {"radar", "--config", "x"}, new String[] {"hook", "status"},
        new String[] {"a", ""}, new String[] {"main", "b", "--branches", "x"},
        new String[] {"-C"}, new String[] {"a", "b", "--no-database=true"})) {
      assertNull(Resident.ByHand.of(no, cwd), String.join(" ", no));
    }
  }

  @Test
  void offWhenTurnedOffOrWhenTheCacheIs() {
    Map<String, String> env = env();
    assertTrue(Resident.directory(env).isPresent());
    for (String off : List.of("off", "0", "false", "no", "OFF")) {
      env.put("MIGDIFF_DAEMON", off);
      assertTrue(Resident.directory(env).isEmpty(), off);
    }
    env.put("MIGDIFF_DAEMON", "on");
    env.put("MIGDIFF_CACHE", "off");
    assertTrue(Resident.directory(env).isEmpty());
    // the new daemon's JVM: no short-run or recording options, the class path given once
    // and the serial collector, whatever the short run's
    assertEquals(List.of("-XX:+UseSerialGC", "-Dx=y", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30"), Resident.jvmOptions(new String[] {"-XX:TieredStopAtLevel=1",
            "-XX:+UseParallelGC", "-XX:NewSize=200m", "-XX:InitialRAMPercentage=6.25", "-Xms1g",
            "-XX:MaxTenuringThreshold=0",
            "-Xlog:gc+ergo=off", "-cp", "a.jar",
            "-XX:StartFlightRecording=filename=x", "-XX:DumpLoadedClassList=l", "-Xmx64m",
            "-Dx=y", "dev.migdiff.cli.Main", "-Xmx9g"}));
    assertEquals(List.of("-XX:+UseSerialGC", "-Dy=z", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30"),
        Resident.jvmOptions(new String[] {"-XX:+UseSerialGC", "-Xmn10m", "-Dy=z", "-jar",
            "migdiff.jar", "hook"}));
  }

  /** The real thing: separate JVMs through Main.main, as the installed hook runs them. */
  @Test
  void aHookStartsTheDaemonWhichThenAnswersAndIsReplacedWhenItDies() throws Exception {
    Map<String, String> env = env();
    String expected = inProcess(with(env, "MIGDIFF_DAEMON", "off"));
    Path dir = Resident.directory(env).orElseThrow();
    assertFalse(Files.exists(dir.resolve("daemon")));
    assertTrue(cacheInfo(env).contains("\ndaemon: not running (the next hook that reads starts "
        + "it); ends after 60 s idle (MIGDIFF_DAEMON_IDLE)\n"), cacheInfo(env));
    assertTrue(cacheInfo(with(env, "MIGDIFF_DAEMON", "off")).endsWith(
        "\ndaemon: off (MIGDIFF_DAEMON=off)\n"));

    assertEquals(expected, hook(env), "the first hook (in its own process)");
    long pid = waitForDaemon(dir, -1);
    assertEquals(expected, hook(env), "answered by the daemon");
    assertEquals(expected, hook(env), "answered by the daemon, again");
    assertEquals(pid, DaemonClient.runningPid(dir), "a second daemon started");
    assertTrue(cacheInfo(env).contains("\ndaemon: running, process " + pid
        + "; ends after 60 s idle (MIGDIFF_DAEMON_IDLE)\n"), cacheInfo(env));

    // a daemon that does not answer within the hook's bound: the hook's own line, exit 0
    run(tmp, Map.of(), "kill", "-STOP", Long.toString(pid));
    try {
      String late = hook(with(env, "MIGDIFF_HOOK_TIMEOUT", "0.5"));
      assertTrue(late.startsWith("migdiff: gave up after 0.5 s; run 'migdiff "), late);
    } finally {
      run(tmp, Map.of(), "kill", "-CONT", Long.toString(pid));
    }
    // killed outright: its mailbox stays behind; the next hook answers in its own process
    // and starts a new daemon
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    assertEquals(expected, hook(env), "after the daemon died");
    long second = waitForDaemon(dir, pid);
    assertNotEquals(pid, second);
    assertEquals(expected, hook(env), "answered by the new daemon");

    // MIGDIFF_DAEMON=off: no daemon involved (a stopped one would make it time out)
    run(tmp, Map.of(), "kill", "-STOP", Long.toString(second));
    try {
      assertEquals(expected, hook(with(env, "MIGDIFF_DAEMON", "off")));
    } finally {
      run(tmp, Map.of(), "kill", "-CONT", Long.toString(second));
    }
  }

  @Test
  void hookInstallStartsItWarm() throws Exception {
    Map<String, String> env = env();
    Path dir = Resident.directory(env).orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"-C", repo.toString(), "hook", "install", "--migdiff",
        "/usr/local/bin/migdiff"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
        env), out.toString(StandardCharsets.UTF_8));
    long pid = waitForDaemon(dir, -1);
    assertTrue(cacheInfo(env).contains("daemon: running, process " + pid), cacheInfo(env));
    // and it answers the hook as the hook's own process would
    assertEquals(inProcess(with(env, "MIGDIFF_DAEMON", "off")), hook(env));
  }

  private static String cacheInfo(Map<String, String> env) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"cache", "info"}, new PrintStream(out, true,
        StandardCharsets.UTF_8), System.err, env));
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, String> with(Map<String, String> env, String k, String v) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(k, v);
    return copy;
  }

  /** The pid of the daemon serving {@code dir}, once a live one other than {@code not} is. */
  private long waitForDaemon(Path dir, long not) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      long p = DaemonClient.runningPid(dir);
      if (p > 0 && p != not) {
        daemons.add(p);
        return p;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no daemon started within 60 s");
  }

  /** The installed hook's call in a new JVM; its stderr (stdout must stay empty). */
  private String hook(Map<String, String> env) throws Exception {
    dev.migdiff.testing.MainProcess.Result r =
        dev.migdiff.testing.MainProcess.run(repo, env, List.of(hookArgs()));
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.out());
    return r.err();
  }

  private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null",
        "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com", "GIT_COMMITTER_NAME", "t",
        "GIT_COMMITTER_EMAIL", "t@example.com"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }
}
