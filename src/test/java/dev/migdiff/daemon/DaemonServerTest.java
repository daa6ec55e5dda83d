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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's transport: a real Unix socket in a temporary directory, served on a thread. */
class DaemonServerTest {
  @TempDir Path dir;

  private static final Request HELLO = new Request("/w", true, List.of("a", "ünïcode"),
      Map.of("HOME", "/h", "EMPTY", ""));

  /** Serves on a background thread; the future ends when serve returns. */
  private CompletableFuture<Void> serve(DaemonServer server, Function<Request, Response> handler,
      Duration idle, long tick) {
    return CompletableFuture.runAsync(() -> {
      try {
        server.serve(handler, idle, tick);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, r -> new Thread(r, "test-daemon").start());
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
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(dir.resolve("daemon.sock")), "the socket file outlived the daemon");
  }

  @Test
  void theSocketIsTheOwnersOnlyAndOneDaemonHoldsTheDirectory() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(server.socket())));
      assertTrue(DaemonServer.bind(dir).isEmpty(), "a second daemon bound the same directory");
      try (var files = Files.list(dir)) {
        assertEquals(List.of("daemon.lock", "daemon.sock"),
            files.map(p -> p.getFileName().toString()).sorted().toList(),
            "the scratch directory of the bind was left behind");
      }
      assertEquals(ProcessHandle.current().pid() + "\n",
          Files.readString(dir.resolve("daemon.lock")));
    }
    // the lock is free again: a new daemon binds, replacing nothing
    try (DaemonServer again = DaemonServer.bind(dir).orElseThrow()) {
      assertTrue(Files.exists(again.socket()));
    }
  }

  @Test
  void noSocketAStaleOneOrAPlainFileIsNotRunning() throws Exception {
    assertEquals(DaemonClient.Kind.NOT_RUNNING,
        DaemonClient.call(dir, HELLO, Duration.ofSeconds(5)).kind());
    Path socket = dir.resolve("daemon.sock");
    Files.writeString(socket, "not a socket");
    assertEquals(DaemonClient.Kind.NOT_RUNNING,
        DaemonClient.call(dir, HELLO, Duration.ofSeconds(5)).kind());
    Files.delete(socket);
    // a socket file whose daemon died (killed: nothing removed it)
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(socket));
    dead.close();
    assertTrue(Files.exists(socket));
    assertEquals(DaemonClient.Kind.NOT_RUNNING,
        DaemonClient.call(dir, HELLO, Duration.ofSeconds(5)).kind());
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
  void garbageAndSilentClientsDoNotStopIt() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(0, "ok", ""),
          Duration.ofSeconds(30), 50);
      try (SocketChannel junk = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()))) {
        junk.write(ByteBuffer.wrap(new byte[] {0x4d, 0x47, 0x44, 0x31, 0x7f, 0x7f, 0x7f, 0x7f}));
      }
      try (SocketChannel liar = SocketChannel.open(UnixDomainSocketAddress.of(server.socket()))) {
        liar.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
      }
      assertEquals("ok", DaemonClient.call(dir, HELLO, Duration.ofSeconds(10)).response().out());
      server.stop();
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void idleTimeOrARemovedSocketEndsIt() throws Exception {
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      serve(server, r -> new Response(0, "", ""), Duration.ofMillis(300), 50)
          .get(10, TimeUnit.SECONDS);
    }
    try (DaemonServer server = DaemonServer.bind(dir).orElseThrow()) {
      CompletableFuture<Void> serving = serve(server, r -> new Response(0, "", ""),
          Duration.ofSeconds(60), 50);
      Files.delete(server.socket()); // `migdiff cache clear`
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
