package dev.migdiff.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The size bound, and what {@code migdiff cache info|clear} see. Each writing run adds what it
 * wrote to a running total (the file {@code usage}, approximate under concurrent runs); when the
 * total passes the bound, the entries are listed and the least recently used ones deleted until
 * the store is at 80% of the bound, and the total is counted again exactly.
 */
public final class Pruning {
  private Pruning() {}

  /** What one version directory holds. */
  public record Usage(Path dir, long entries, long bytes) {}

  static void account(Path root, long written, long maxBytes, boolean startedEmpty) {
    try {
      Path usage = root.resolve("usage");
      long total = written;
      try {
        total += Long.parseLong(Files.readString(usage, StandardCharsets.US_ASCII).trim());
      } catch (java.nio.file.NoSuchFileException e) {
        // a first run's entries are all there is; else the total was lost: count again
        total = startedEmpty ? written : Long.MAX_VALUE;
      } catch (IOException | NumberFormatException e) {
        total = Long.MAX_VALUE; // unknown: count again
      }
      if (total > maxBytes) {
        total = prune(root, maxBytes / 10 * 8);
      }
      Path tmp = usage.resolveSibling(".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      Files.writeString(tmp, Long.toString(total), StandardCharsets.US_ASCII);
      Files.move(tmp, usage, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // the bound is enforced by a later run
    }
  }

  /** Deletes the least recently used entries until at most {@code target} bytes remain. */
  static long prune(Path root, long target) throws IOException {
    record Entry(Path file, long size, long time) {}
    List<Entry> all = new ArrayList<>();
    long total = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (IOException e) {
          continue; // deleted by a concurrent run
        }
        if (a.isRegularFile() && isEntry(root, f)) {
          all.add(new Entry(f, a.size(), a.lastModifiedTime().toMillis()));
          total += a.size();
        }
      }
    }
    all.sort(Comparator.comparingLong(Entry::time));
    for (Entry e : all) {
      if (total <= target) {
        break;
      }
      try {
        Files.deleteIfExists(e.file());
        total -= e.size();
      } catch (IOException x) {
        // left for a later run
      }
    }
    return total;
  }

  /**
   * Whether {@code f} (a file under the version directory {@code root}) is a cache entry: not a
   * file of the directory itself (its size, the daemon's lock) nor of the daemon's mailbox
   * ({@code daemon/}, requests and answers in flight: docs/daemon.md).
   */
  private static boolean isEntry(Path root, Path f) {
    Path parent = f.getParent();
    return !parent.equals(root) && !parent.equals(root.resolve(MAILBOX));
  }

  /** The daemon's mailbox directory, in a version directory (daemon.DaemonServer's). */
  private static final String MAILBOX = "daemon";

  /** The version directories under {@code base}, with their entry counts and sizes. */
  public static List<Usage> usage(Path base) throws IOException {
    List<Usage> out = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path d : dirs.filter(CacheLocation::isVersionDir).sorted().toList()) {
        long n = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.walk(d)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            if (isEntry(d, f)) {
              n++;
              bytes += Files.size(f);
            }
          }
        }
        out.add(new Usage(d, n, bytes));
      }
    }
    return out;
  }

  /**
   * Deletes every version directory under {@code base} (nothing else: {@code MIGDIFF_CACHE_DIR}
   * may point at a directory that also holds other files); returns the bytes freed.
   */
  public static long clear(Path base) throws IOException {
    long freed = 0;
    for (Usage u : usage(base)) {
      freed += u.bytes();
      try (Stream<Path> files = Files.walk(u.dir())) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
    return freed;
  }
}
