package dev.migdiff.cli;

import dev.migdiff.analysis.Databases;
import dev.migdiff.analysis.SwitchReport;
import dev.migdiff.db.DatabaseUrl;
import dev.migdiff.report.SnapshotListRenderer;
import dev.migdiff.report.Terminal;
import dev.migdiff.snapshot.AutoSnapshots;
import dev.migdiff.snapshot.SnapshotException;
import dev.migdiff.snapshot.SnapshotStore;
import dev.migdiff.snapshot.Snapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The hook's automatic snapshots: opt-in, and bounded per branch and in bytes. */
final class HookSnapshotOptions {
  @Option(names = "--snapshots", description = "Before the new branch is migrated, save a "
      + "snapshot of the database labelled with the branch being left, when it holds "
      + "migrations the new branch lacks.")
  boolean enabled;

  @Option(names = "--keep", paramLabel = "N", defaultValue = "3",
      description = "Automatic snapshots kept per branch (default: ${DEFAULT-VALUE}).")
  int keep = 3;

  @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "1G",
      description = "All snapshots together at most this big, e.g. 500M, 2G (default: "
          + "${DEFAULT-VALUE}); a snapshot that would exceed it is skipped.")
  String maxSize = "1G";

  /** The options the installed hook passes to {@code migdiff hook post-checkout}. */
  List<String> hookOptions() throws dev.migdiff.hook.HookException {
    if (!enabled) {
      return List.of();
    }
    try {
      bytes(); // refuse a bad size at install time, not at every checkout
    } catch (IllegalArgumentException e) {
      throw new dev.migdiff.hook.HookException(e.getMessage(), "write e.g. --max-size 500M");
    }
    return List.of("--snapshots", "--keep", Integer.toString(Math.max(1, keep)), "--max-size",
        maxSize);
  }

  long bytes() {
    String s = maxSize.strip().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
    long unit = 1;
    if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G") || s.endsWith("T")) {
      unit = switch (s.charAt(s.length() - 1)) {
        case 'K' -> 1L << 10;
        case 'M' -> 1L << 20;
        case 'G' -> 1L << 30;
        default -> 1L << 40;
      };
      s = s.substring(0, s.length() - 1);
    }
    try {
      return (long) (Double.parseDouble(s) * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-size: not a size: '" + maxSize
          + "' (write e.g. 500M or 2G)");
    }
  }

  /** Takes the snapshot; returns the one line the hook prints. */
  String take(java.nio.file.Path commonDir, java.nio.file.Path workTree, String option,
      Map<String, String> env, SwitchReport report, String prev, Duration budget) {
    try {
      Optional<Databases.Choice> c = Databases.locate(option, env, workTree,
          report.plan().projectRoot());
      if (c.isEmpty()) {
        return null;
      }
      DatabaseUrl url = c.get().url();
      AutoSnapshots.Result a = new AutoSnapshots(new Snapshots(new SnapshotStore(commonDir),
          budget, Clock.systemUTC())).save(url, new Snapshots.Origin(report.from().ref(), prev),
              Math.max(1, keep), bytes());
      if (a.saved() == null) {
        return "migdiff: no snapshot taken: " + a.skipped() + " (migdiff snapshot list; "
            + "migdiff snapshot drop NAME)";
      }
      return "migdiff: saved your database as snapshot '" + Terminal.safe(a.saved().name())
          + "' (" + SnapshotListRenderer.size(a.saved().size()) + "); to come back to "
          + Terminal.safe(report.from().ref()) + ": migdiff snapshot restore "
          + Terminal.safe(a.saved().name())
          + (a.dropped().isEmpty() ? "" : " (dropped older: "
              + Terminal.safe(String.join(", ", a.dropped())) + ")");
    } catch (SnapshotException | dev.migdiff.db.DatabaseException | RuntimeException e) {
      return "migdiff: no snapshot taken: " + Terminal.safe(String.valueOf(e.getMessage()));
    }
  }
}
