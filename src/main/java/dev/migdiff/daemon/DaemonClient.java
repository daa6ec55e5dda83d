package dev.migdiff.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/** Asks the daemon of a directory (see {@link DaemonServer}) to run a request. */
public final class DaemonClient {
  /** How a call went. */
  public enum Kind {
    /** The daemon answered: {@link Outcome#response()} holds it. */
    SERVED,
    /** No daemon listens there (no socket file, a stale one, or one not the user's own). */
    NOT_RUNNING,
    /** The daemon took the request and did not answer in time. */
    TIMED_OUT,
    /** The connection broke before a whole answer came (a daemon that died). */
    BROKEN
  }

  /** The call's result; {@code response} only when served. */
  public record Outcome(Kind kind, Response response) {}

  private DaemonClient() {}

  /**
   * On Linux, names the JDK's own selector provider, which {@link SocketChannel#open} would
   * otherwise look for among the class path's services: opening and scanning the jar, a third
   * of the client's whole start-up. Not when the user set it.
   */
  private static void defaultSelectorProvider() {
    String property = "java.nio.channels.spi.SelectorProvider";
    if (System.getProperty(property) == null && "Linux".equals(System.getProperty("os.name"))) {
      System.setProperty(property, "sun.nio.ch.EPollSelectorProvider");
    }
  }

  /** Whether a socket file is there for {@code dir} (not whether anyone listens on it). */
  public static boolean socketPresent(Path dir) {
    return Files.exists(dir.resolve(DaemonServer.SOCKET), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Sends {@code request} to {@code dir}'s daemon and waits at most {@code timeout} for the
   * answer. Only a socket file owned by this process's user is used: in a shared cache
   * directory another user's socket would otherwise receive this user's environment.
   */
  public static Outcome call(Path dir, Request request, Duration timeout) {
    Path socket = dir.resolve(DaemonServer.SOCKET);
    try {
      if (!Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName()
          .equals(System.getProperty("user.name"))) {
        return new Outcome(Kind.NOT_RUNNING, null);
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return new Outcome(Kind.NOT_RUNNING, null);
    }
    SocketChannel channel;
    try {
      defaultSelectorProvider();
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (IOException | UnsupportedOperationException e) {
      return new Outcome(Kind.NOT_RUNNING, null);
    }
    try (channel) {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException | RuntimeException e) {
        return new Outcome(Kind.NOT_RUNNING, null);
      }
      try (Watchdog w = new Watchdog(channel, timeout)) {
        try {
          Wire.write(new DataOutputStream(Channels.newOutputStream(channel)), request);
          return new Outcome(Kind.SERVED,
              Wire.readResponse(new DataInputStream(Channels.newInputStream(channel))));
        } catch (IOException | RuntimeException e) {
          return new Outcome(w.fired() ? Kind.TIMED_OUT : Kind.BROKEN, null);
        }
      }
    } catch (IOException e) {
      return new Outcome(Kind.BROKEN, null); // closing failed after an answer or a failure
    }
  }
}
