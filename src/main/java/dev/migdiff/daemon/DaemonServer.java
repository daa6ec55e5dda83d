package dev.migdiff.daemon;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A resident process answering {@link Request}s left in its mailbox, one at a time, until it has
 * been idle for a while or its mailbox is gone.
 *
 * <p>Files, in the directory given (the cache's version directory: a new build or version never
 * meets an older daemon): {@code daemon.lock}, locked for the daemon's life and holding its
 * process id, so exactly one daemon serves a directory and a mailbox nobody holds the lock for is
 * stale; {@code daemon/}, the mailbox, a directory of mode 0700 made in a fresh temporary
 * directory and moved into place, so no other user can ever put a request in it or read one.
 *
 * <p>The mailbox, rather than a socket: a client JVM that opens a Unix domain socket pays for
 * the JDK's secure random generator and a lambda (about 30 ms of a hook's 150), while files and
 * a FIFO cost it about 2 ms. A client writes {@code ID.tmp}, renames it {@code ID.req} and writes
 * a byte to the FIFO {@code wake}; the daemon (which holds {@code wake} open for reading and
 * writing, so a client's open never blocks) claims each request by renaming it {@code ID.run},
 * reads and deletes it, and leaves the answer as {@code ID.res} (or an empty {@code ID.err}: no
 * answer, the client runs the request itself). A request nobody claims is the client's to take
 * back: exactly one of the two renames or deletes wins.
 */
public final class DaemonServer implements AutoCloseable {
  static final String MAILBOX = "daemon";
  static final String LOCK = "daemon.lock";
  static final String WAKE = "wake";
  /** How often the idle time and the mailbox are checked, and missed requests looked for. */
  private static final long TICK_MS = 15_000;
  /** Answers and requests left behind by clients that gave up are removed after this. */
  private static final long ORPHAN_MS = 10 * 60_000;

  private final Path mailbox;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final RandomAccessFile wake;
  private final Object fileKey;
  private final BlockingQueue<Claimed> queue = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean stopping;

  /** A request taken from the mailbox ({@code request} null: unreadable). */
  private record Claimed(String id, Request request) {}

  private static final Claimed STOP = new Claimed("", null);

  private DaemonServer(Path mailbox, FileChannel lockFile, FileLock lock, RandomAccessFile wake,
      Object fileKey) {
    this.mailbox = mailbox;
    this.lockFile = lockFile;
    this.lock = lock;
    this.wake = wake;
    this.fileKey = fileKey;
    this.reader = new Thread(this::readWakes, "migdiff-daemon-mailbox");
    reader.setDaemon(true);
  }

  /**
   * Binds the daemon of {@code dir}, or empty when another process already is it (it holds the
   * lock). A stale mailbox (no lock holder) is replaced. Requests are claimed from then on; they
   * are answered once {@link #serve} runs.
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
    Path scratch = null;
    RandomAccessFile wake = null;
    try {
      lockFile.truncate(0);
      // "PID BOOT_ID": a client trusts the id only in the boot that wrote it
      byte[] boot = DaemonClient.bootId();
      lockFile.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid()
          + (boot == null ? "" : " " + new String(boot, StandardCharsets.US_ASCII)) + "\n")
          .getBytes(StandardCharsets.US_ASCII)));
      scratch = Files.createTempDirectory(dir, "daemon-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      mkfifo(scratch.resolve(WAKE));
      Path mailbox = dir.resolve(MAILBOX);
      removeTree(mailbox); // a dead daemon's (the lock is ours)
      Files.move(scratch, mailbox, StandardCopyOption.ATOMIC_MOVE);
      scratch = null;
      Object key = Files.readAttributes(mailbox, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
      // read and write: the FIFO always has a reader and a writer, so no open blocks on it
      wake = new RandomAccessFile(mailbox.resolve(WAKE).toFile(), "rw");
      DaemonServer server = new DaemonServer(mailbox, lockFile, lock, wake, key);
      server.reader.start();
      return Optional.of(server);
    } catch (IOException | RuntimeException e) {
      if (wake != null) {
        wake.close();
      }
      lock.release();
      lockFile.close();
      throw e;
    } finally {
      if (scratch != null) {
        removeTree(scratch);
      }
    }
  }

  private static void mkfifo(Path fifo) throws IOException {
    Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("mkfifo failed for " + fifo);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making " + fifo, e);
    }
  }

  /** Removes a mailbox (its files only: it holds no directories). */
  private static void removeTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(dir);
      return;
    }
    File[] files = dir.toFile().listFiles();
    for (File f : files == null ? new File[0] : files) {
      Files.deleteIfExists(f.toPath());
    }
    Files.deleteIfExists(dir);
  }

  public Path mailbox() {
    return mailbox;
  }

  /**
   * Answers requests with {@code handler}, one at a time, until none came for {@code idle} or
   * the mailbox was removed or replaced (a {@code cache clear}, a newer daemon). A handler that
   * throws answers that request with nothing (the client then runs the request itself); an
   * {@link Error} (out of memory) ends the daemon.
   */
  public void serve(Function<Request, Response> handler, Duration idle) {
    serve(handler, idle, TICK_MS);
  }

  void serve(Function<Request, Response> handler, Duration idle, long tickMs) {
    long last = System.nanoTime();
    while (true) {
      long left = idle.toMillis() - (System.nanoTime() - last) / 1_000_000;
      if (left <= 0 || stopping || !stillOurs()) {
        return;
      }
      Claimed c;
      try {
        c = queue.poll(Math.max(1, Math.min(left, tickMs)), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (c == null) {
        claimAll(); // a wake-up byte lost to a full FIFO; and the orphans of clients gone
        removeOrphans();
        continue;
      }
      if (c == STOP) {
        return;
      }
      answer(c, handler);
      last = System.nanoTime();
    }
  }

  private void answer(Claimed c, Function<Request, Response> handler) {
    Response response = null;
    if (c.request() != null) {
      try {
        response = handler.apply(c.request());
      } catch (RuntimeException e) {
        // no answer: the client runs it itself
      }
    }
    Path tmp = mailbox.resolve(c.id() + ".out");
    try {
      if (response == null) {
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        Files.move(tmp, mailbox.resolve(c.id() + ".err"), StandardCopyOption.ATOMIC_MOVE);
        return;
      }
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          new FileOutputStream(tmp.toFile()), 1 << 16))) {
        Wire.write(out, response);
      }
      Files.move(tmp, mailbox.resolve(c.id() + ".res"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // the mailbox went away (cache clear): the client sees the daemon gone
    }
  }

  /** The mailbox thread: claims the requests each wake-up byte announces. */
  private void readWakes() {
    byte[] bytes = new byte[512];
    while (!stopping) {
      try {
        if (wake.read(bytes) < 0) {
          return;
        }
      } catch (IOException e) {
        return; // closed
      }
      if (!stopping) {
        claimAll();
      }
    }
  }

  /** Claims every request in the mailbox, oldest name first (their names start with a time). */
  private synchronized void claimAll() {
    String[] names = mailbox.toFile().list();
    if (names == null) {
      return;
    }
    Arrays.sort(names);
    for (String name : names) {
      if (!name.endsWith(".req")) {
        continue;
      }
      String id = name.substring(0, name.length() - 4);
      File run = mailbox.resolve(id + ".run").toFile();
      if (!mailbox.resolve(name).toFile().renameTo(run)) {
        continue; // taken back by its client
      }
      Request request;
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(
          new FileInputStream(run), 1 << 16))) {
        request = Wire.readRequest(in);
      } catch (IOException | RuntimeException e) {
        request = null; // garbage: answered with nothing
      }
      run.delete();
      queue.add(new Claimed(id, request));
    }
  }

  /** Removes answers and requests older than {@link #ORPHAN_MS}: their clients gave up. */
  private void removeOrphans() {
    File[] files = mailbox.toFile().listFiles();
    long before = System.currentTimeMillis() - ORPHAN_MS;
    for (File f : files == null ? new File[0] : files) {
      if (!f.getName().equals(WAKE) && f.lastModified() < before) {
        f.delete();
      }
    }
  }

  /** Ends {@link #serve} after the answer in progress. */
  public void stop() {
    stopping = true;
    queue.add(STOP);
  }

  private boolean stillOurs() {
    try {
      return Objects.equals(fileKey, Files.readAttributes(mailbox, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey());
    } catch (IOException e) {
      return false;
    }
  }

  /** Removes the mailbox if it is still this daemon's (at exit, also on SIGTERM). */
  public void removeMailbox() {
    try {
      if (stillOurs()) {
        removeTree(mailbox);
      }
    } catch (IOException e) {
      // a later daemon replaces a stale one
    }
  }

  /** Removes the mailbox if it is still this daemon's, and lets the lock go. */
  @Override
  public void close() throws IOException {
    stopping = true;
    try {
      removeMailbox();
      try {
        wake.write(0); // the mailbox thread wakes, sees the stop and ends
      } catch (IOException e) {
        // already closed
      }
      wake.close();
    } finally {
      lock.release();
      lockFile.close();
    }
  }
}
