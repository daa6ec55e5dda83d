package dev.migdiff.cli;

import dev.migdiff.django.Progress;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The progress of a long run as one self-erasing line on standard error: shown only when the run
 * passes about a second, only when standard error is a terminal, and never in CI, with
 * {@code TERM=dumb}, or for output meant for programs (the commands ask for it only for text).
 * Closing it erases the line before anything else is printed.
 */
final class ProgressLine implements Progress, AutoCloseable {
  private static final long DELAY_MS = 1000;
  private static final long EVERY_MS = 100;

  private final PrintWriter err;
  private final long delayMs;
  private final Thread painter;
  private volatile String stage = "";
  private volatile int done;
  private volatile int total;
  private boolean drawn;
  private boolean closed;

  ProgressLine(PrintWriter err, long delayMs) {
    this.err = err;
    this.delayMs = delayMs;
    this.painter = new Thread(this::paint, "migdiff-progress");
    painter.setDaemon(true);
  }

  /** A line for this run when it can be seen, else {@link Progress#NONE} behind a no-op close. */
  static ProgressLine start(PrintWriter err, Map<String, String> env, boolean wanted) {
    ProgressLine p = new ProgressLine(err, DELAY_MS);
    if (wanted && shown(env)) {
      p.begin();
    }
    return p;
  }

  /** Starts painting after the delay. */
  void begin() {
    painter.start();
  }

  /** Whether a person is watching standard error. */
  static boolean shown(Map<String, String> env) {
    if (env.containsKey("CI") || "dumb".equals(env.get("TERM")) || env.get("TERM") == null
        || "off".equals(env.get("MIGDIFF_PROGRESS"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false; // no /proc: say nothing rather than guess
    }
  }

  @Override
  public void stage(String what) {
    stage = what;
    done = 0;
    total = 0;
  }

  @Override
  public void files(int done, int total) {
    this.done = done;
    this.total = total;
  }

  private void paint() {
    try {
      Thread.sleep(delayMs);
      String last = null;
      while (true) {
        String text = "migdiff: " + stage + (total > 0 ? ": " + done + " of " + total + " files" : "");
        synchronized (this) {
          if (closed) {
            return;
          }
          if (!text.equals(last)) {
            err.print("\r" + dev.migdiff.report.Terminal.safe(text) + "\u001b[K");
            err.flush();
            drawn = true;
            last = text;
          }
        }
        Thread.sleep(EVERY_MS);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    painter.interrupt();
    if (drawn) {
      err.print("\r\u001b[K");
      err.flush();
      drawn = false;
    }
  }
}
