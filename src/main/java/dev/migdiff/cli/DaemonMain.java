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
  private DaemonMain() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.exit(2);
    }
    Map<String, String> env = System.getenv();
    dev.migdiff.django.ParseCache.keepBetweenRuns();
    try {
      Optional<DaemonServer> bound = DaemonServer.bind(Path.of(args[0]));
      if (bound.isPresent()) {
        try (DaemonServer server = bound.get()) {
          Runtime.getRuntime().addShutdownHook(new Thread(server::removeSocket));
          if (args.length > 1) {
            Resident.handle(new Request(Path.of("").toAbsolutePath().toString(), false,
                List.of(Arrays.copyOfRange(args, 1, args.length)), env));
          }
          server.serve(request -> {
            dev.migdiff.daemon.Response r = Resident.handle(request);
            if (HookCommand.RUNNING.get() > 0) {
              // a run overran the hook's time bound and is still working: end here rather than
              // let the next run share this process with it (the next hook starts a new daemon)
              server.stop();
            }
            return r;
          }, Resident.idle(env));
        }
      }
    } catch (Throwable t) {
      // out of memory, a full disk: the daemon ends, and the next hook runs in its own process
    }
    System.exit(0);
  }
}
