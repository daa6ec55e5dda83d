package dev.migdiff.cli;

import dev.migdiff.cache.CacheLocation;
import dev.migdiff.cache.Pruning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code migdiff cache info|clear}: where the cache of parsed migrations is, and emptying it. */
@Command(name = "cache", mixinStandardHelpOptions = true,
    description = "Show or empty the cache of parsed migrations (keyed by Git object ids, so it "
        + "is never stale; see docs/cache.md).",
    subcommands = {CacheCommand.Info.class, CacheCommand.Clear.class})
final class CacheCommand implements Runnable {
  @ParentCommand MigdiffCommand parent;
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code migdiff cache info}. */
  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Say where the cache is, how big it is and its bound.")
  static final class Info implements Callable<Integer> {
    @ParentCommand CacheCommand cache;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = cache.spec.commandLine().getOut();
      Map<String, String> env = cache.parent.environment();
      Optional<Path> base = CacheLocation.base(env);
      if (base.isEmpty()) {
        out.println("cache: off (" + (env.containsKey("MIGDIFF_CACHE")
            ? "MIGDIFF_CACHE=" + env.get("MIGDIFF_CACHE")
            : "no MIGDIFF_CACHE_DIR, XDG_CACHE_HOME or HOME") + ")");
        return ExitCodes.OK;
      }
      out.println("cache: " + base.get());
      Path current = CacheLocation.root(base.get());
      long total = 0;
      boolean seen = false;
      for (Pruning.Usage u : Pruning.usage(base.get())) {
        boolean mine = u.dir().equals(current);
        seen |= mine;
        total += u.bytes();
        out.println("  " + u.dir().getFileName() + (mine ? " (this version)" : "") + ": "
            + u.entries() + " entries, " + mb(u.bytes()));
      }
      if (!seen) {
        out.println("  " + current.getFileName() + " (this version): empty");
      }
      out.println("size: " + mb(total) + "; bound " + mb(CacheLocation.maxBytes(env))
          + " per version (MIGDIFF_CACHE_SIZE, in MB), least recently used entries go first");
      out.println("daemon: " + Resident.describe(env));
      return ExitCodes.OK;
    }
  }

  /** {@code migdiff cache clear}. */
  @Command(name = "clear", mixinStandardHelpOptions = true,
      description = "Delete everything in the cache (every migdiff version's).")
  static final class Clear implements Callable<Integer> {
    @ParentCommand CacheCommand cache;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = cache.spec.commandLine().getOut();
      Optional<Path> base = CacheLocation.base(cache.parent.environment());
      if (base.isEmpty()) {
        out.println("cache: off; nothing to clear");
        return ExitCodes.OK;
      }
      long freed = Pruning.clear(base.get());
      out.println("cleared " + base.get() + " (" + mb(freed) + ")");
      return ExitCodes.OK;
    }
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
