package dev.migdiff.cli;

import dev.migdiff.db.DatabaseUrl;
import dev.migdiff.snapshot.SnapshotException;
import dev.migdiff.snapshot.SnapshotStore;
import dev.migdiff.snapshot.Snapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden cases of {@code migdiff snapshot list} and of the snapshot recommended by
 * {@code FROM TO} and {@code status}: snapshots saved by the real code with a fixed clock.
 */
final class SnapshotCases {
  private SnapshotCases() {}

  static List<CliCases.Case> all() {
    List<CliCases.Case> c = new ArrayList<>();
    c.add(new CliCases.Case("snapshot-list", SAVED, List.of("snapshot", "list")));
    c.add(new CliCases.Case("snapshot-list-empty", DatabaseCases.IN_LINE,
        List.of("snapshot", "list")));
    c.add(new CliCases.Case("status-snapshot", SAVED, List.of("status")));
    c.add(new CliCases.Case("status-snapshot-json", SAVED, List.of("status", "--format", "json")));
    c.add(new CliCases.Case("diff-snapshot", SAVED, List.of("feature", "main")));
    c.add(new CliCases.Case("diff-snapshot-json", SAVED,
        List.of("diff", "--format", "json", "feature", "main")));
    // Nothing to unapply: no recommendation, though a snapshot exists.
    c.add(new CliCases.Case("status-snapshot-not-needed", SAVED, List.of("status", "feature")));
    c.add(new CliCases.Case("snapshot-restore-unknown", SAVED,
        List.of("snapshot", "restore", "nope")));
    c.add(new CliCases.Case("snapshot-save-bad-name", SAVED,
        List.of("snapshot", "save", "../escape")));
    return c;
  }

  /**
   * On main, the database has feature's migrations applied (DatabaseCases.PHANTOMS). Three
   * snapshots: main's state (matches main), feature's state (newest; phantoms at main), and one
   * of another database (never recommended).
   */
  static final CliCases.Scenario SAVED = new CliCases.Scenario("db-snapshots", dir -> {
    DatabaseCases.IN_LINE.build().accept(dir);
    Path db = dir.resolve("db.sqlite3");
    String main = head(dir, "main");
    String feature = head(dir, "feature");
    save(dir, db, "main", main, "2026-01-02T03:00:00Z", null);
    delete(db);
    DatabaseCases.sqlite(db, "blog.0001_initial", "blog.0002_post_slug", "shop.0001_initial",
        "blog.0003_feature", "shop.0002_feature");
    save(dir, db, "feature", feature, "2026-01-02T05:00:00Z", null);
    Path other = dir.resolve("other.sqlite3");
    DatabaseCases.sqlite(other, "blog.0001_initial", "blog.0002_post_slug", "shop.0001_initial");
    save(dir, other, "main", main, "2026-01-02T06:00:00Z", "elsewhere");
  });

  private static void save(Path dir, Path db, String branch, String commit, String when,
      String name) {
    Snapshots s = new Snapshots(new SnapshotStore(dir.resolve(".git")), Duration.ofSeconds(10),
        Clock.fixed(Instant.parse(when), ZoneOffset.UTC));
    try {
      s.save(DatabaseUrl.sqlite(db), name, new Snapshots.Origin(branch, commit), "manual", false,
          false);
    } catch (SnapshotException e) {
      throw new AssertionError(e);
    }
  }

  private static String head(Path dir, String branch) {
    try {
      return Files.readString(dir.resolve(".git/refs/heads/" + branch)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path f) {
    try {
      Files.delete(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
