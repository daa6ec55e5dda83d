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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Asks the daemon of a directory (see {@link DaemonServer}) to run a request, through its
 * mailbox. The client's whole path uses only classes a JVM has loaded by then (files, no
 * sockets), no lambda and no string concatenation: each would cost a hook milliseconds.
 */
public final class DaemonClient {
  private static final int BUFFER = 1 << 16;
  /** How long a request may wait to be claimed by a live daemon before its client takes it back. */
  private static final long PICKUP_MS = 2_000;
  /** How often a waiting client checks that the daemon still lives. */
  private static final long ALIVE_MS = 100;

  /** How a call went. */
  public enum Kind {
    /** The daemon answered: {@link Outcome#response()} holds it. */
    SERVED,
    /** No daemon is there (no mailbox, a stale one, one not the user's own, or none claimed it). */
    NOT_RUNNING,
    /** The daemon took the request and did not answer in time. */
    TIMED_OUT,
    /** The daemon took the request and gave no answer (it died, or its run failed). */
    BROKEN
  }

  /** The call's result; {@code response} only when served. */
  public record Outcome(Kind kind, Response response) {}

  private DaemonClient() {}

  /**
   * The process id of {@code dir}'s daemon, or 0 when none runs there: no mailbox, one not this
   * user's own, or a lock file whose process is gone or of an earlier boot.
   */
  public static long runningPid(Path dir) {
    Path mailbox = dir.resolve(DaemonServer.MAILBOX);
    try {
      if (!Files.isDirectory(mailbox, LinkOption.NOFOLLOW_LINKS)
          || !Files.getOwner(mailbox, LinkOption.NOFOLLOW_LINKS).getName()
              .equals(System.getProperty("user.name"))) {
        return 0;
      }
      long pid = pid(dir.resolve(DaemonServer.LOCK).toFile());
      return pid > 0 && alive(pid) ? pid : 0;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return 0;
    }
  }

  /**
   * Leaves {@code request} in the mailbox of {@code dir}'s daemon and waits at most
   * {@code timeout} for the answer. Only a mailbox owned by this process's user is used: in a
   * shared cache directory another user's would otherwise receive this user's environment.
   */
  public static Outcome call(Path dir, Request request, Duration timeout) {
    long pid = runningPid(dir);
    if (pid <= 0) {
      return new Outcome(Kind.NOT_RUNNING, null);
    }
    File mailbox = dir.resolve(DaemonServer.MAILBOX).toFile();
    String id;
    File tmp;
    try {
      long n = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
      while (true) {
        id = Long.toString(n);
        tmp = new File(mailbox, id.concat(".tmp"));
        if (tmp.createNewFile()) {
          break;
        }
        n++;
      }
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
          new FileOutputStream(tmp), BUFFER))) {
        Wire.write(out, request);
      }
    } catch (IOException | RuntimeException e) {
      return new Outcome(Kind.NOT_RUNNING, null);
    }
    File req = new File(mailbox, id.concat(".req"));
    if (!tmp.renameTo(req)) {
      tmp.delete();
      return new Outcome(Kind.NOT_RUNNING, null);
    }
    try (RandomAccessFile wake = new RandomAccessFile(new File(mailbox, DaemonServer.WAKE),
        "rw")) {
      wake.write(1);
    } catch (IOException | RuntimeException e) {
      return takeBack(req, Kind.BROKEN);
    }
    File res = new File(mailbox, id.concat(".res"));
    File err = new File(mailbox, id.concat(".err"));
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextAliveCheck = start + ALIVE_MS * 1_000_000;
    // A request left unclaimed: by hand, after PICKUP_MS the client runs it itself; the hook,
    // whose bound is short, waits for the whole of it, then gives up (a stopped daemon)
    long pickup = timeout.toMillis() > 5 * PICKUP_MS ? start + PICKUP_MS * 1_000_000 : deadline;
    long pause = 1;
    try {
      while (true) {
        if (res.exists()) {
          try (DataInputStream in = new DataInputStream(new BufferedInputStream(
              new FileInputStream(res), BUFFER))) {
            return new Outcome(Kind.SERVED, Wire.readResponse(in));
          } catch (IOException | RuntimeException e) {
            return new Outcome(Kind.BROKEN, null);
          } finally {
            res.delete();
          }
        }
        if (err.exists()) {
          err.delete();
          return new Outcome(Kind.BROKEN, null);
        }
        long now = System.nanoTime();
        if (now > deadline) {
          req.delete(); // claimed or not, the time is spent: nobody runs it later
          return new Outcome(Kind.TIMED_OUT, null);
        }
        if (now > pickup && req.exists()) {
          return takeBack(req, Kind.BROKEN); // a daemon that claims nothing
        }
        if (now > nextAliveCheck) {
          if (!alive(pid)) {
            return takeBack(req, Kind.BROKEN);
          }
          nextAliveCheck = now + ALIVE_MS * 1_000_000;
          pause = Math.min(pause * 2, 10); // a long run: fewer wake-ups
        }
        Thread.sleep(pause);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return takeBack(req, Kind.BROKEN);
    }
  }

  /**
   * Takes back an unclaimed request (then nobody runs it: NOT_RUNNING, the caller runs it
   * itself), else {@code claimed}: the daemon has it.
   */
  private static Outcome takeBack(File req, Kind claimed) {
    return new Outcome(req.delete() ? Kind.NOT_RUNNING : claimed, null);
  }

  /**
   * The process id in the daemon's lock file, or 0 when it is not one of this boot's (a daemon
   * of a machine switched off never removed its mailbox, and its id may be another process's).
   */
  private static long pid(File lock) throws IOException {
    byte[] b;
    try (FileInputStream in = new FileInputStream(lock)) {
      b = in.readNBytes(128);
    }
    long pid = 0;
    int i = 0;
    for (; i < b.length && b[i] >= '0' && b[i] <= '9' && pid < Long.MAX_VALUE / 10; i++) {
      pid = pid * 10 + (b[i] - '0');
    }
    byte[] boot = bootId();
    if (boot != null) {
      int end = i + 1 + boot.length;
      if (i >= b.length || b[i] != ' ' || end > b.length
          || !java.util.Arrays.equals(b, i + 1, end, boot, 0, boot.length)) {
        return 0;
      }
    }
    return pid;
  }

  /** This boot's id (Linux), or null. */
  static byte[] bootId() {
    File f = new File("/proc/sys/kernel/random/boot_id");
    if (!f.isFile()) {
      return null;
    }
    try (FileInputStream in = new FileInputStream(f)) {
      byte[] b = in.readNBytes(64);
      int n = b.length;
      while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == ' ')) {
        n--;
      }
      return java.util.Arrays.copyOf(b, n);
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether process {@code pid} lives: /proc on Linux (no class to load), else the JDK's. */
  private static boolean alive(long pid) {
    if (new File("/proc/self").isDirectory()) {
      return new File("/proc", Long.toString(pid)).isDirectory();
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
