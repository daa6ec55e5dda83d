package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden suite through a real daemon process (with everything it keeps between runs on):
 * every case the daemon takes ({@link Resident.ByHand}: {@code FROM TO} and {@code graph}) is
 * sent to one long-lived daemon, in the suite's order, several cases to a repository, twice
 * (the second answer from what the daemon kept), and must print exactly its golden file, as its
 * own process does.
 */
class ResidentGoldenTest {
  @TempDir static Path tmp;
  static Process daemon;
  static Map<String, String> env;
  private static final Map<String, Path> BUILT = new HashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger SERVED =
      new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void startDaemon() throws Exception {
    env = Map.of("MIGDIFF_CACHE_DIR", tmp.resolve("cache").toString(), "MIGDIFF_DAEMON", "on");
    Path dir = Resident.directory(env).orElseThrow();
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), DaemonMain.class.getName(), dir.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("MIGDIFF_DAEMON_IDLE", "900");
    daemon = pb.start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (dev.migdiff.daemon.DaemonClient.runningPid(dir) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(dev.migdiff.daemon.DaemonClient.runningPid(dir) > 0, "no daemon");
  }

  @AfterAll
  static void stopDaemon() throws Exception {
    daemon.destroy();
    daemon.onExit().get();
    System.out.println("ResidentGoldenTest: " + SERVED.get() + " answers from the daemon");
    // most of the suite is FROM TO and graph: a filter that let none through would pass vacuously
    assertTrue(SERVED.get() >= 120, SERVED.get() + " answers from the daemon");
  }

  @TestFactory
  Stream<DynamicTest> goldensThroughTheDaemon() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CliCases.Case c : CliCases.all()) {
      tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }
    return tests.stream();
  }

  /** The case's arguments as GoldenCliTest.run makes them. */
  private static String[] args(CliCases.Case c, Path repo) {
    List<String> full = new ArrayList<>();
    for (String a : c.args()) {
      full.add(a.replace("<repo>", repo.toString()));
    }
    if (!c.args().contains("-C") && !c.args().contains("<no-C>")) {
      full.add(0, repo.toString());
      full.add(0, "-C");
    }
    full.remove("<no-C>");
    return full.toArray(String[]::new);
  }

  private static void check(CliCases.Case c) throws Exception {
    if (Resident.ByHand.of(args(c, tmp.resolve("unbuilt")), Path.of("").toAbsolutePath()) == null) {
      return; // not a call for the daemon: its own process (GoldenCliTest)
    }
    Path repo = BUILT.computeIfAbsent(c.scenario().name(), n -> {
      Path dir = tmp.resolve("repos").resolve(n);
      c.scenario().build().accept(dir);
      return dir;
    });
    String[] args = args(c, repo);
    String golden = Files.readString(GoldenCliTest.GOLDEN.resolve(c.name() + ".txt"));
    // twice: the second answer comes from what the daemon kept of the first (revisions, merges)
    for (String round : List.of("first", "again")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Integer code = Resident.tryServe(args, env, new PrintStream(out), new PrintStream(err),
          new Resident.Attempt[1]);
      assertTrue(code != null, "not served: " + c.name());
      SERVED.incrementAndGet();
      String o = GoldenCliTest.machineFree(
          out.toString(StandardCharsets.UTF_8).replace(repo.toString(), "<repo>"));
      String e = GoldenCliTest.machineFree(
          err.toString(StandardCharsets.UTF_8).replace(repo.toString(), "<repo>"));
      String actual = "$ migdiff " + String.join(" ", c.args()) + "\nexit: " + code
          + "\n--- stdout\n" + o + "--- stderr\n" + e;
      assertEquals(golden, actual, c.name() + " (" + round + ")");
    }
  }
}
