package dev.migdiff.analysis;

import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bot's view of {@link Radar#neighbours}: which other open requests (or named heads)
 * collide with this head over the base, the ones that could not be read, and how the list
 * was bounded. It finds each other head in the clone first (the forge's commit id, else the
 * ref the CI fetched it to); a head that is not there is reported, never fatal.
 */
public final class HeadCollisions {
  /**
   * A head to check: what to show, the revisions that may name it (tried in order), and what
   * to say when none is in the clone.
   */
  public record Candidate(OtherHeads.Head head, List<String> revisions, String missing) {}

  private final GitRepository git;
  private final Radar radar;

  public HeadCollisions(GitRepository git, Radar radar) {
    this.git = git;
    this.radar = radar;
  }

  /**
   * Checks {@code others} against {@code head} over {@code base}; {@code ours} is the
   * comparison of the two (for the project's manage.py command); {@code bound} and
   * {@code truncated} say how the list was cut.
   */
  public OtherHeads check(String baseLabel, String base, String head, CompareReport ours,
      List<Candidate> others, int bound, boolean truncated) {
    Map<String, OtherHeads.Head> byLabel = new LinkedHashMap<>();
    List<Radar.Head> found = new ArrayList<>();
    List<OtherHeads.Unread> unread = new ArrayList<>();
    for (Candidate c : others) {
      String rev = firstResolvable(c.revisions());
      if (rev == null) {
        unread.add(new OtherHeads.Unread(c.head(), c.missing()));
      } else if (byLabel.putIfAbsent(c.head().name(), c.head()) == null) {
        found.add(new Radar.Head(c.head().name(), rev, null, c.head().title()));
      }
    }
    RadarReport.Neighbours n;
    try {
      n = radar.neighbours(base, new Radar.Head(head, head, null, null), found);
    } catch (GitException | ConfigException | IOException e) {
      // BASE or this head could not be read for the pairs: each other head is unread, and the
      // comment goes out all the same.
      for (Radar.Head h : found) {
        unread.add(new OtherHeads.Unread(byLabel.get(h.label()), e.getMessage()));
      }
      return new OtherHeads(baseLabel, List.of(), unread, 0, bound, truncated, null);
    }
    for (RadarReport.Unreadable u : n.unreadable()) {
      unread.add(new OtherHeads.Unread(byLabel.getOrDefault(u.head().label(),
          new OtherHeads.Head(u.head().label(), null, null, false)), u.message()));
    }
    List<String> order = new ArrayList<>(byLabel.keySet());
    String manage = ours.switchPlan().manage();
    List<OtherHeads.Collision> collisions = new ArrayList<>();
    for (RadarReport.Neighbour x : n.collisions()) {
      RadarReport.Collision c = x.collision();
      collisions.add(new OtherHeads.Collision(byLabel.get(x.other().label()), c.app(),
          c.kind().code(), c.ours(), c.theirs(), c.path(), c.gitStops(),
          manage + " makemigrations --merge " + ShellWords.quote(c.app())));
    }
    // The forge's order (most recently updated first), not the labels' alphabet.
    collisions.sort(Comparator.comparingInt(c -> order.indexOf(c.other().name())));
    return new OtherHeads(baseLabel, collisions, unread,
        found.size() - n.unreadable().size(), bound, truncated, null);
  }

  private String firstResolvable(List<String> revisions) {
    for (String r : revisions) {
      if (r == null || r.isBlank()) {
        continue;
      }
      try {
        git.resolve(r);
        return r;
      } catch (GitException e) {
        // not in this clone under that name: try the next
      }
    }
    return null;
  }
}
