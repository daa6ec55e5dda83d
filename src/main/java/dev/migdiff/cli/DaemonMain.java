package dev.migdiff.cli;

import dev.migdiff.daemon.DaemonServer;
import dev.migdiff.daemon.Request;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resident process's entry point ({@link Resident} starts it): {@code DIR [ARGS...]} binds
 * DIR's daemon (or exits at once when another one is up), runs ARGS once with its output
 * dropped (the call that started it: the JIT and the caches warm up on the real work), then
 * serves until idle. Never started by hand; nothing in it writes to standard streams.
 */
public final class DaemonMain {
  /** How long a run that overran its time bound may keep the next one waiting. */
  private static final java.time.Duration STUCK = java.time.Duration.ofSeconds(60);

  private DaemonMain() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.exit(2);
    }
    Map<String, String> env = System.getenv();
    dev.migdiff.django.ParseCache.keepBetweenRuns();
    dev.migdiff.git.GitRepository.keepOpen();
    dev.migdiff.analysis.SnapshotLoader.keepBetweenRuns();
    try {
      Optional<DaemonServer> bound = DaemonServer.bind(Path.of(args[0]));
      if (bound.isPresent()) {
        try (DaemonServer server = bound.get()) {
          Runtime.getRuntime().addShutdownHook(new Thread(server::removeMailbox));
          if (args.length > 1) {
            Resident.handle(new Request(Path.of("").toAbsolutePath().toString(), false,
                List.of(Arrays.copyOfRange(args, 1, args.length)), env));
          }
          server.serve(request -> {
            // A run that overran the hook's time bound may still be working: the next one waits
            // for it (one run at a time, always), and a run that never ends ends the daemon.
            long deadline = System.nanoTime() + STUCK.toNanos();
            while (HookCommand.RUNNING.get() > 0) {
              if (System.nanoTime() > deadline) {
                server.stop();
                throw new IllegalStateException("a hook run did not end"); // the client runs it
              }
              try {
                Thread.sleep(10);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            }
            return Resident.handle(request);
          }, Resident.idle(env));
        }
      }
    } catch (Throwable t) {
      // out of memory, a full disk: the daemon ends, and the next hook runs in its own process
    }
    System.exit(0);
  }
}
