package dev.migdiff.snapshot;

import dev.migdiff.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The post-checkout hook's automatic snapshots, bounded per branch and in bytes. Saved and
 * dropped under the store's lock, like every other snapshot.
 */
public final class AutoSnapshots {
  private final Snapshots owner;

  public AutoSnapshots(Snapshots owner) {
    this.owner = owner;
  }

  /**
   * What the hook's automatic snapshot did: {@code saved} (or null, and {@code skipped} says
   * why), and the older automatic snapshots of the same branch it dropped.
   */
  public record Result(SnapshotRecord saved, String skipped, List<String> dropped) {}

  /**
   * An automatic snapshot for the hook, bounded: at most {@code keep} automatic snapshots per
   * branch (the oldest are dropped once the new one is saved), and at most {@code maxBytes} for
   * all snapshots together (a snapshot that would exceed it is not taken).
   */
  public Result save(DatabaseUrl url, Snapshots.Origin origin, int keep, long maxBytes)
      throws SnapshotException {
    return owner.store.locked(() -> {
      long estimate = estimate(url);
      List<SnapshotRecord> all = owner.store.list();
      String source = Snapshots.source(url);
      List<SnapshotRecord> mine = all.stream().filter(r -> r.kind().equals("auto")
          && r.branch().equals(origin.branch()) && r.source().equals(source)).toList();
      List<SnapshotRecord> older = mine.size() >= keep
          ? mine.subList(Math.max(0, keep - 1), mine.size()) : List.of();
      long total = all.stream().filter(r -> !older.contains(r))
          .mapToLong(SnapshotRecord::size).sum();
      if (total + estimate > maxBytes) {
        return new Result(null, "it would take the snapshots to " + human(total + estimate)
            + ", over the limit of " + human(maxBytes), List.of());
      }
      SnapshotRecord r = owner.saveLocked(url, null, origin, "auto", false, false);
      List<String> dropped = new java.util.ArrayList<>();
      for (SnapshotRecord o : older) {
        owner.store.forget(o);
        owner.dropStorage(o, url);
        dropped.add(o.name());
      }
      return new Result(r, null, dropped);
    });
  }

  private long estimate(DatabaseUrl url) throws SnapshotException, IOException {
    if (url.engine() == DatabaseUrl.Engine.SQLITE) {
      return Files.isRegularFile(url.path()) ? Files.size(url.path()) : 0;
    }
    PostgresCopies pg = new PostgresCopies(url, owner.timeout);
    try (Connection c = pg.maintenance()) {
      return pg.size(c, url.name());
    } catch (SQLException e) {
      throw new SnapshotException("cannot read the size of " + url + ": " + e.getMessage(),
          "check the server", e);
    }
  }

  private static String human(long bytes) {
    return bytes < 1024 * 1024 ? (bytes / 1024) + " KB"
        : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
