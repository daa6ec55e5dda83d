package dev.migdiff.report;

import dev.migdiff.snapshot.SnapshotRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** {@code migdiff snapshot list} as text: one line per snapshot, newest first. */
public final class SnapshotListRenderer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public void render(List<SnapshotRecord> all, Path store, PrintWriter out) {
    if (all.isEmpty()) {
      out.println("no snapshots (migdiff snapshot save takes one)");
      return;
    }
    int width = all.stream().mapToInt(r -> r.name().length()).max().orElse(4);
    out.println("Snapshots in " + store + " (newest first):");
    long total = 0;
    for (SnapshotRecord r : all) {
      total += r.size();
      String on = (r.branch().isEmpty() ? "(detached)" : r.branch()) + " "
          + (r.commit().length() >= 12 ? r.commit().substring(0, 12) : r.commit());
      out.println("  " + pad(Terminal.safe(r.name()), width) + "  " + pad(Terminal.safe(on), 26)
          + "  " + time(r.taken()) + "  " + pad(size(r.size()), 8) + "  "
          + r.applied().size() + " applied  " + r.kind()
          + (r.method().equals("backup") ? "" : " (" + r.method() + ")") + "  "
          + Terminal.safe(r.url()));
    }
    out.println(all.size() + " snapshot" + (all.size() == 1 ? "" : "s") + ", " + size(total));
  }

  /** A time as the snapshot commands print it. */
  public static String time(Instant t) {
    return TIME.format(t);
  }

  /** A size in B, KB, MB or GB (1024-based, one decimal from MB on). */
  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return (bytes / 1024) + " KB";
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1073741824.0);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
