package dev.migdiff.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A resident process answering {@link Request}s on a Unix domain socket, one at a time, until it
 * has been idle for a while or its socket file is gone.
 *
 * <p>Files, in the directory given (the cache's version directory: a new build or version never
 * meets an older daemon): {@code daemon.lock}, locked for the daemon's life, so exactly one
 * daemon serves a directory and a socket file nobody holds the lock for is stale; {@code
 * daemon.sock}, readable and writable by its owner only. The socket is bound in a fresh directory
 * of mode 0700 and moved into place after its mode is set, so no other user can ever connect.
 */
public final class DaemonServer implements AutoCloseable {
  static final String SOCKET = "daemon.sock";
  static final String LOCK = "daemon.lock";
  /** How long a client may take to send its request. */
  private static final Duration READ_REQUEST = Duration.ofSeconds(10);
  /** How often the idle time and the socket file are checked. */
  private static final long TICK_MS = 15_000;

  private final Path socket;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final ServerSocketChannel channel;
  private final Object fileKey;
  private volatile boolean stopping;

  private DaemonServer(Path socket, FileChannel lockFile, FileLock lock,
      ServerSocketChannel channel, Object fileKey) {
    this.socket = socket;
    this.lockFile = lockFile;
    this.lock = lock;
    this.channel = channel;
    this.fileKey = fileKey;
  }

  /**
   * Binds the daemon of {@code dir}, or empty when another process already is it (it holds the
   * lock). A stale socket file (no lock holder) is replaced.
   */
  public static Optional<DaemonServer> bind(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // this process already is the daemon (only tests bind twice)
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
    if (lock == null) {
      lockFile.close();
      return Optional.empty();
    }
    ServerSocketChannel channel = null;
    Path scratch = null;
    try {
      lockFile.truncate(0);
      lockFile.write(java.nio.ByteBuffer.wrap(
          (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      scratch = Files.createTempDirectory(dir, "daemon-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Path bound = scratch.resolve("s");
      channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      channel.bind(UnixDomainSocketAddress.of(bound));
      Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
      Path socket = dir.resolve(SOCKET);
      Files.move(bound, socket, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Object key = Files.readAttributes(socket, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
      return Optional.of(new DaemonServer(socket, lockFile, lock, channel, key));
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      lock.release();
      lockFile.close();
      throw e;
    } finally {
      if (scratch != null) {
        Files.deleteIfExists(scratch);
      }
    }
  }

  public Path socket() {
    return socket;
  }

  /**
   * Answers requests with {@code handler}, one at a time, until none came for {@code idle} or
   * the socket file was removed or replaced (a {@code cache clear}, a newer daemon). A handler
   * that throws answers that connection with nothing (the client then runs the request itself);
   * an {@link Error} (out of memory) ends the daemon.
   */
  public void serve(Function<Request, Response> handler, Duration idle) throws IOException {
    serve(handler, idle, TICK_MS);
  }

  void serve(Function<Request, Response> handler, Duration idle, long tickMs) throws IOException {
    try (Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_ACCEPT);
      long last = System.nanoTime();
      while (true) {
        long left = idle.toMillis() - (System.nanoTime() - last) / 1_000_000;
        if (left <= 0 || stopping || !stillOurs()) {
          return;
        }
        if (selector.select(Math.max(1, Math.min(left, tickMs))) == 0) {
          continue;
        }
        selector.selectedKeys().clear();
        SocketChannel client = channel.accept();
        if (client != null) {
          answer(client, handler);
          last = System.nanoTime();
        }
      }
    }
  }

  private void answer(SocketChannel client, Function<Request, Response> handler) {
    try (client) {
      client.configureBlocking(true);
      Request request;
      try (Watchdog w = new Watchdog(client, READ_REQUEST)) {
        request = Wire.readRequest(new DataInputStream(Channels.newInputStream(client)));
      }
      Response response = handler.apply(request);
      Wire.write(new DataOutputStream(Channels.newOutputStream(client)), response);
    } catch (IOException | RuntimeException e) {
      // a client that went away or sent garbage; the next one is served as usual
    }
  }

  /** Ends {@link #serve} after the answer in progress. */
  public void stop() {
    stopping = true;
  }

  private boolean stillOurs() {
    try {
      return Objects.equals(fileKey, Files.readAttributes(socket, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the socket file if it is still this daemon's (at exit, also on SIGTERM). */
  public void removeSocket() {
    try {
      if (stillOurs()) {
        Files.deleteIfExists(socket);
      }
    } catch (IOException e) {
      // a later daemon replaces a stale file
    }
  }

  /** Closes the socket, removes its file if it is still this daemon's, and lets the lock go. */
  @Override
  public void close() throws IOException {
    try {
      removeSocket();
      channel.close();
    } finally {
      lock.release();
      lockFile.close();
    }
  }
}
