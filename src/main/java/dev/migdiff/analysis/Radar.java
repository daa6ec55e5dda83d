package dev.migdiff.analysis;

import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.ObjectCache;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.Revision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code migdiff radar}: collisions between open branches before either merges. Each distinct
 * commit is read once (tip, merge base, the merge into BASE); pairs are only tried between
 * branches that change migrations of a common app, so thousands of refs stay cheap.
 */
public final class Radar {
  private final GitRepository repo;
  private final MigdiffConfig overrides;
  private final ObjectCache store;

  public Radar(GitRepository repo, MigdiffConfig overrides, ObjectCache store) {
    this.repo = repo;
    this.overrides = overrides;
    this.store = store;
  }

  /**
   * One branch or open request: {@code label} names it in reports ({@code feature/x},
   * {@code #12 Add coupons}), {@code revision} is what git resolves ({@code refs/pull/12/head},
   * a commit id); {@code number} and {@code title} are the forge's (null for plain branches).
   */
  public record Head(String label, String revision, String number, String title) {
    /** A plain branch: its name is label and revision. */
    public static Head branch(String name) {
      return new Head(name, name, null, null);
    }
  }

  /** A head read, with the refs at the same commit. */
  private record Read(Head head, List<String> aliases, RadarReading.State state) {}

  /** The whole radar over {@code heads} (branches merged into BASE skipped unless asked). */
  public RadarReport run(String base, List<Head> heads, boolean includeMerged)
      throws GitException, ConfigException, IOException {
    RadarReading reading = reading(base);
    List<RadarReport.Unreadable> unreadable = new ArrayList<>();
    Map<String, Read> byCommit = new LinkedHashMap<>();
    int skipped = 0;
    List<Head> sorted = new ArrayList<>(heads);
    sorted.sort(Comparator.comparing(Head::label));
    for (Head h : sorted) {
      Revision rev;
      try {
        rev = repo.resolve(h.revision());
      } catch (GitException e) {
        unreadable.add(new RadarReport.Unreadable(h, e.getMessage(), e.hint()));
        continue;
      }
      Read seen = byCommit.get(rev.commit());
      if (seen != null) {
        seen.aliases().add(h.label());
        continue;
      }
      RadarReading.State s = readOrNull(reading, h, rev, unreadable);
      if (s == null) {
        continue;
      }
      if (!includeMerged && s.mergeBase.equals(s.commit)) {
        skipped++;
        continue;
      }
      byCommit.put(rev.commit(), new Read(h, new ArrayList<>(), s));
    }
    List<Read> reads = new ArrayList<>(byCommit.values());
    List<RadarReport.Branch> branches = new ArrayList<>();
    for (Read r : reads) {
      RadarReading.State s = r.state();
      branches.add(new RadarReport.Branch(r.head(), List.copyOf(r.aliases()), s.commit,
          s.mergeBase, s.apps, s.againstBase, s.textConflicts));
    }
    List<RadarReport.Pair> pairs = new ArrayList<>();
    RadarPairs judge = new RadarPairs(reading);
    for (int[] ij : candidates(reads)) {
      Read a = reads.get(ij[0]);
      Read b = reads.get(ij[1]);
      try {
        List<RadarReport.Collision> c = judge.collisions(a.state(), b.state());
        if (!c.isEmpty()) {
          pairs.add(new RadarReport.Pair(a.head(), b.head(), c));
        }
      } catch (IOException | ConfigException | GitException e) {
        unreadable.add(new RadarReport.Unreadable(b.head(), "merged after '" + a.head().label()
            + "': " + e.getMessage(), null));
      }
    }
    return new RadarReport(new RadarReport.Side(base, reading.baseRev.commit()), branches,
        unreadable, skipped, pairs, hotApps(reads), RadarOrder.of(pairs));
  }

  /** The collisions of {@code head} with each of {@code others}, over BASE (for the bot). */
  public RadarReport.Neighbours neighbours(String base, Head head, List<Head> others)
      throws GitException, ConfigException, IOException {
    RadarReading reading = reading(base);
    List<RadarReport.Unreadable> unreadable = new ArrayList<>();
    RadarReading.State mine = readOrNull(reading, head, repo.resolve(head.revision()),
        unreadable);
    List<RadarReport.Neighbour> out = new ArrayList<>();
    if (mine == null) {
      return new RadarReport.Neighbours(head, out, unreadable);
    }
    RadarPairs judge = new RadarPairs(reading);
    List<Head> sorted = new ArrayList<>(others);
    sorted.sort(Comparator.comparing(Head::label));
    for (Head other : sorted) {
      RadarReading.State theirs;
      try {
        theirs = readOrNull(reading, other, repo.resolve(other.revision()), unreadable);
      } catch (GitException e) {
        unreadable.add(new RadarReport.Unreadable(other, e.getMessage(), e.hint()));
        continue;
      }
      if (theirs == null || theirs.commit.equals(mine.commit)) {
        continue;
      }
      try {
        for (RadarReport.Collision c : judge.collisions(mine, theirs)) {
          out.add(new RadarReport.Neighbour(other, c));
        }
      } catch (IOException | ConfigException | GitException e) {
        unreadable.add(new RadarReport.Unreadable(other, e.getMessage(), null));
      }
    }
    return new RadarReport.Neighbours(head, out, unreadable);
  }

  private RadarReading reading(String base) throws GitException, ConfigException, IOException {
    return new RadarReading(repo, new SnapshotLoader(repo, overrides, store), repo.resolve(base));
  }

  /** Reads a head; a head that cannot be read is listed, not thrown. */
  private static RadarReading.State readOrNull(RadarReading reading, Head h, Revision rev,
      List<RadarReport.Unreadable> unreadable) {
    try {
      return reading.read(rev);
    } catch (dev.migdiff.git.UnreadableObjectException e) {
      unreadable.add(new RadarReport.Unreadable(h, e.getMessage(), e.hint()));
    } catch (GitException e) {
      unreadable.add(new RadarReport.Unreadable(h, e.getMessage(), e.hint()));
    } catch (ConfigException | IOException e) {
      unreadable.add(new RadarReport.Unreadable(h, e.getMessage(), null));
    }
    return null;
  }

  /** The pairs (i < j) of branches that change migrations of a common app, each once. */
  private static List<int[]> candidates(List<Read> reads) {
    Map<String, List<Integer>> byApp = new TreeMap<>(MigrationKey.PYTHON_ORDER);
    for (int i = 0; i < reads.size(); i++) {
      for (String app : reads.get(i).state().touched()) {
        byApp.computeIfAbsent(app, k -> new ArrayList<>()).add(i);
      }
    }
    Set<Long> seen = new HashSet<>();
    List<int[]> out = new ArrayList<>();
    for (List<Integer> group : byApp.values()) {
      for (int x = 0; x < group.size(); x++) {
        for (int y = x + 1; y < group.size(); y++) {
          int i = group.get(x);
          int j = group.get(y);
          if (seen.add((long) i * reads.size() + j)) {
            out.add(new int[] {i, j});
          }
        }
      }
    }
    out.sort(Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
    return out;
  }

  /** Apps that two or more branches change, busiest first. */
  private static List<RadarReport.HotApp> hotApps(List<Read> reads) {
    Map<String, List<String>> byApp = new TreeMap<>(MigrationKey.PYTHON_ORDER);
    for (Read r : reads) {
      for (RadarReport.AppChange c : r.state().apps) {
        byApp.computeIfAbsent(c.app(), k -> new ArrayList<>()).add(r.head().label());
      }
    }
    List<RadarReport.HotApp> out = new ArrayList<>();
    byApp.forEach((app, labels) -> {
      if (labels.size() > 1) {
        out.add(new RadarReport.HotApp(app, List.copyOf(labels)));
      }
    });
    out.sort(Comparator.comparingInt((RadarReport.HotApp h) -> -h.branches().size()));
    return out;
  }
}
