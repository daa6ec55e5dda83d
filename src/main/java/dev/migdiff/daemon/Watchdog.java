package dev.migdiff.daemon;

import java.io.IOException;
import java.nio.channels.Channel;
import java.time.Duration;

/** Closes a channel after a time unless cancelled first: the time bound of a blocking read. */
final class Watchdog implements AutoCloseable {
  private final Thread thread;
  private volatile boolean fired;

  Watchdog(Channel channel, Duration after) {
    // (a nested class rather than a lambda: the client's start-up links no lambda)
    thread = new Thread(new Sleeper(this, channel, after.toMillis()), "migdiff-daemon-watchdog");
    thread.setDaemon(true);
    thread.start();
  }

  private static final class Sleeper implements Runnable {
    private final Watchdog owner;
    private final Channel channel;
    private final long millis;

    Sleeper(Watchdog owner, Channel channel, long millis) {
      this.owner = owner;
      this.channel = channel;
      this.millis = millis;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(millis);
        owner.fired = true;
        channel.close();
      } catch (InterruptedException | IOException e) {
        // cancelled in time, or already closed
      }
    }
  }

  /** Whether the time ran out (and the channel was closed for it). */
  boolean fired() {
    return fired;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
