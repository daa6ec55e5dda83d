package dev.migdiff.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's transport: a real mailbox and FIFO in a temporary directory, served on a thread. */
class DaemonServerTest {
  @TempDir Path dir;

  private static final Request HELLO = new Request("/w", true, List.of("a", "ünïcode"),
      Map.of("HOME", "/h", "EMPTY", ""));

  /** Serves on a background thread; the future ends when serve returns. */
  private CompletableFuture<Void> serve(DaemonServer server, Function<Request, Response> handler,
      Duration idle, long tick) {
    return CompletableFuture.runAsync(() -> server.serve(handler, idle, tick),
        r -> new Thread(r, "test-daemon").start());
  }

  /** What a daemon writes after its process id: " BOOT_ID", or nothing without a boot id. */
  private static String lockBoot() {
    byte[] boot = DaemonClient.bootId();
    return boot == null ? "" : " " + new String(boot, StandardCharsets.US_ASCII);
  }

  private List<String> mailboxFiles() throws IOException {
    try (var files = Files.list(dir.resolve("daemon"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void answersRequestsOneAfterAnotherWithTheirOwnFields() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(r.args().size(),
          r.directory() + r.console(), r.args().get(1) + r.env()), Duration.ofSeconds(30), 50);
      for (int i = 0; i < 3; i++) {
        DaemonClient.Outcome o = DaemonClient.call(dir, HELLO, Duration.ofSeconds(10));
        assertEquals(DaemonClient.Kind.SERVED, o.kind());
        assertEquals(2, o.response().exitCode());
        assertEquals("/wtrue", o.response().out());
        assertTrue(o.response().err().startsWith("ünïcode{"), o.response().err());
        assertTrue(o.response().err().contains("EMPTY="), o.response().err());
      }
      // nothing of the requests or answers is left in the mailbox
      assertEquals(List.of("wake"), mailboxFiles());
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(dir.resolve("daemon")), "the mailbox outlived the daemon");
  }

  @Test
  void clientsAtOnceEachGetTheirOwnAnswer() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(0,
          "answer to " + r.args().get(0), ""), Duration.ofSeconds(30), 50);
      List<CompletableFuture<DaemonClient.Outcome>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Request r = new Request("/", false, List.of("client" + i), Map.of());
        calls.add(CompletableFuture.supplyAsync(
            () -> DaemonClient.call(dir, r, Duration.ofSeconds(20))));
      }
      for (int i = 0; i < 8; i++) {
        DaemonClient.Outcome o = calls.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(DaemonClient.Kind.SERVED, o.kind());
        assertEquals("answer to client" + i, o.response().out());
      }
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theMailboxIsTheOwnersOnlyAndOneDaemonHoldsTheDirectory() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      assertEquals("rwx------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(server.mailbox())));
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(server.mailbox().resolve("wake"))));
      assertTrue(DaemonServer.bind(dir).isEmpty(), "a second daemon bound the same directory");
      try (var files = Files.list(dir)) {
        assertEquals(List.of("daemon", "daemon.lock"),
            files.map(p -> p.getFileName().toString()).sorted().toList(),
            "the scratch directory of the bind was left behind");
      }
      String lock = Files.readString(dir.resolve("daemon.lock"));
      assertEquals(ProcessHandle.current().pid() + lockBoot() + "\n", lock);
      assertEquals(ProcessHandle.current().pid(), DaemonClient.runningPid(dir));
    }
    assertEquals(0, DaemonClient.runningPid(dir));
    // the lock is free again: a new daemon binds
    try (DaemonServer again = DaemonServer.bind(dir).orElseThrow()) {
      assertTrue(Files.isDirectory(again.mailbox()));
    }
  }

  @Test
  void noMailboxAStaleOneOrAPlainFileIsNotRunningAtOnce() throws Exception {
    assertEquals(DaemonClient.Kind.NOT_RUNNING,
        DaemonClient.call(dir, HELLO, Duration.ofSeconds(5)).kind());
    Path mailbox = dir.resolve("daemon");
    Files.writeString(mailbox, "not a mailbox");
    assertEquals(DaemonClient.Kind.NOT_RUNNING,
        DaemonClient.call(dir, HELLO, Duration.ofSeconds(5)).kind());
    Files.delete(mailbox);
    Files.createDirectory(mailbox);
    // a mailbox whose daemon died (killed: nothing removed it), then one of an earlier boot
    // whose process id is now another process's (this test's own)
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    byte[] bootId = DaemonClient.bootId();
    List<String> locks = new ArrayList<>(List.of(dead.pid() + lockBoot() + "\n"));
    if (bootId != null) { // (a machine without a boot id has no earlier boot to tell apart)
      locks.add(ProcessHandle.current().pid() + " 00000000-0000-0000-0000-000000000000\n");
    }
    for (String lock : locks) {
      Files.writeString(dir.resolve("daemon.lock"), lock);
      long start = System.nanoTime();
      assertEquals(DaemonClient.Kind.NOT_RUNNING,
          DaemonClient.call(dir, HELLO, Duration.ofSeconds(5)).kind(), lock);
      assertTrue(System.nanoTime() - start < 500_000_000L, "waited on a dead daemon: " + lock);
    }
    assertEquals(List.of(), mailboxFiles(), "a request left in a dead mailbox");
    // and the next daemon replaces it
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(0, "ok", ""),
          Duration.ofSeconds(30), 50);
      assertEquals("ok", DaemonClient.call(dir, HELLO, Duration.ofSeconds(10)).response().out());
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRequestNobodyClaimsIsTakenBack() throws Exception {
    // a live process holds the lock's id (this test), a mailbox and its FIFO are there, but
    // nobody reads them: a daemon stuck before it claims anything
    Path mailbox = Files.createDirectory(dir.resolve("daemon"));
    assertEquals(0, new ProcessBuilder("mkfifo", mailbox.resolve("wake").toString()).start()
        .waitFor());
    Files.writeString(dir.resolve("daemon.lock"), ProcessHandle.current().pid() + lockBoot());
    try (RandomAccessFile holder = new RandomAccessFile(mailbox.resolve("wake").toFile(), "rw")) {
      long start = System.nanoTime();
      assertEquals(DaemonClient.Kind.NOT_RUNNING,
          DaemonClient.call(dir, HELLO, Duration.ofSeconds(30)).kind());
      long waited = System.nanoTime() - start;
      assertTrue(waited > 1_500_000_000L && waited < 10_000_000_000L, "waited " + waited);
    }
    assertEquals(List.of("wake"), mailboxFiles(), "the request was not taken back");
  }

  @Test
  void aSlowAnswerIsTimedOutAndAHandlerThatThrowsIsBroken() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> {
        if (r.args().get(0).equals("slow")) {
          try {
            Thread.sleep(1500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new Response(0, "late", "");
        }
        throw new IllegalStateException("a bug in the handler");
      }, Duration.ofSeconds(30), 50);
      long start = System.nanoTime();
      DaemonClient.Outcome slow = DaemonClient.call(dir,
          new Request("/", false, List.of("slow"), Map.of()), Duration.ofMillis(300));
      assertEquals(DaemonClient.Kind.TIMED_OUT, slow.kind());
      assertTrue(System.nanoTime() - start < 1_400_000_000L, "the client waited for the daemon");
      assertEquals(DaemonClient.Kind.BROKEN, DaemonClient.call(dir,
          new Request("/", false, List.of("throw"), Map.of()), Duration.ofSeconds(10)).kind());
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void garbageRequestsDoNotStopIt() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(0, "ok", ""),
          Duration.ofSeconds(30), 50);
      Files.write(server.mailbox().resolve("1.req"),
          new byte[] {0x4d, 0x47, 0x44, 0x31, 0x7f, 0x7f, 0x7f, 0x7f});
      Files.write(server.mailbox().resolve("2.req"), new byte[] {1, 2, 3});
      assertEquals("ok", DaemonClient.call(dir, HELLO, Duration.ofSeconds(10)).response().out());
      // the garbage was answered with nothing
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!mailboxFiles().equals(List.of("1.err", "2.err", "wake"))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(List.of("1.err", "2.err", "wake"), mailboxFiles());
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void idleTimeOrARemovedMailboxEndsIt() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      serve(server, r -> new Response(0, "", ""), Duration.ofMillis(300), 50)
          .get(10, TimeUnit.SECONDS);
    }
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(0, "", ""),
          Duration.ofSeconds(60), 50);
      // `migdiff cache clear`
      Files.delete(server.mailbox().resolve("wake"));
      Files.delete(server.mailbox());
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void wireRoundTripsAndRefusesLies() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire.write(new DataOutputStream(bytes), HELLO);
    assertEquals(HELLO, Wire.readRequest(in(bytes.toByteArray())));
    bytes.reset();
    Response r = new Response(3, "out\n", "érr\n");
    Wire.write(new DataOutputStream(bytes), r);
    assertEquals(r, Wire.readResponse(in(bytes.toByteArray())));
    // a response where a request is expected, a negative length, a huge count, a short message
    assertThrows(IOException.class, () -> Wire.readRequest(in(bytes.toByteArray())));
    assertThrows(IOException.class,
        () -> Wire.readRequest(in(new byte[] {0x4d, 0x47, 0x44, 0x31, -1, -1, -1, -1})));
    assertThrows(IOException.class, () -> Wire.readRequest(in(
        new byte[] {0x4d, 0x47, 0x44, 0x31, 0, 0, 0, 0, 1, 0x7f, -1, -1, -1})));
    assertThrows(IOException.class, () -> Wire.readResponse(in(new byte[] {0x4d, 0x47})));
  }

  private static DataInputStream in(byte[] b) {
    return new DataInputStream(new ByteArrayInputStream(b));
  }
}
