package dev.migdiff.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The counts of a {@link Sweep}: per kind of case, failures, conflicts, times, findings. */
public record SweepSummary(int merges, Map<Sweep.Kind, Column> columns,
    Map<String, Map<Sweep.Kind, int[]>> codes) {

  /** One kind of case: counts and times in milliseconds. */
  public record Column(int cases, int internalErrors, int inputErrors, int conflicts,
      double medianMs, double p95Ms, double maxMs, double totalSeconds) {}

  public static SweepSummary of(int merges, List<Sweep.Case> cases) {
    Map<Sweep.Kind, Column> columns = new TreeMap<>();
    Map<String, Map<Sweep.Kind, int[]>> codes = new TreeMap<>();
    for (Sweep.Kind kind : Sweep.Kind.values()) {
      List<Long> times = new ArrayList<>();
      int internal = 0;
      int input = 0;
      int conflicts = 0;
      for (Sweep.Case c : cases) {
        if (c.kind() != kind) {
          continue;
        }
        times.add(c.nanos());
        internal += c.failure() != null && c.internal() ? 1 : 0;
        input += c.failure() != null && !c.internal() ? 1 : 0;
        conflicts += c.conflict() != null ? 1 : 0;
        c.codes().forEach((code, n) -> {
          int[] counts = codes.computeIfAbsent(code, k -> new TreeMap<>())
              .computeIfAbsent(kind, k -> new int[2]);
          counts[0]++;
          counts[1] += n;
        });
      }
      times.sort(null);
      long total = times.stream().mapToLong(Long::longValue).sum();
      columns.put(kind, new Column(times.size(), internal, input, conflicts,
          ms(percentile(times, 50)), ms(percentile(times, 95)),
          ms(times.isEmpty() ? 0 : times.get(times.size() - 1)), total / 1e9));
    }
    return new SweepSummary(merges, columns, codes);
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
