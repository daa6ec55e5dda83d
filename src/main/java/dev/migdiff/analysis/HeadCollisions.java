package dev.migdiff.analysis;

import dev.migdiff.django.Problem;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which other heads collide with this one over a base: for each, the apps where merging both
 * into the base leaves divergent leaves although neither does alone, and the migration files
 * both change differently. A head that cannot be read is reported, never fatal.
 *
 * <p>The pair is judged by the merge preview of the two heads ({@link Comparison}: the merged
 * tree of both, over their merge base), minus what each already does against the base.
 */
public final class HeadCollisions {
  /**
   * A head to check: what to show, the revisions that may name it (tried in order: the forge's
   * commit id, then the ref the CI fetched it to), and what to say when none is in the clone.
   */
  public record Candidate(OtherHeads.Head head, List<String> revisions, String missing) {}

  private final GitRepository git;
  private final Comparison comparison;

  public HeadCollisions(GitRepository git, Comparison comparison) {
    this.git = git;
    this.comparison = comparison;
  }

  /**
   * Checks {@code others} against {@code head} (whose comparison with {@code base} is
   * {@code ours}); {@code bound} and {@code truncated} say how the list was cut.
   */
  public OtherHeads check(String baseLabel, String base, String head, CompareReport ours,
      List<Candidate> others, int bound, boolean truncated) {
    List<OtherHeads.Collision> collisions = new ArrayList<>();
    List<OtherHeads.Unread> unread = new ArrayList<>();
    int checked = 0;
    for (Candidate c : others) {
      String rev = firstResolvable(c.revisions());
      if (rev == null) {
        unread.add(new OtherHeads.Unread(c.head(), c.missing()));
        continue;
      }
      try {
        collisions.addAll(pair(c.head(), base, head, ours, rev));
        checked++;
      } catch (GitException | IOException | ConfigException | UncheckedIOException e) {
        unread.add(new OtherHeads.Unread(c.head(), e.getMessage()));
      }
    }
    return new OtherHeads(baseLabel, collisions, unread, checked, bound, truncated, null);
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

  private List<OtherHeads.Collision> pair(OtherHeads.Head other, String base, String head,
      CompareReport ours, String rev) throws GitException, IOException, ConfigException {
    CompareReport both = comparison.compare(head, rev);
    CompareReport theirs = comparison.compare(base, rev);
    Set<String> already = new HashSet<>();
    for (CompareReport r : List.of(ours, theirs)) {
      r.merge().conflicts().forEach(c -> already.add(c.app()));
    }
    List<OtherHeads.Collision> out = new ArrayList<>();
    for (CompareReport.Conflict c : both.merge().conflicts()) {
      if (already.contains(c.app())) {
        continue;
      }
      out.add(new OtherHeads.Collision(other, c.app(), leaves(c, "from"), leaves(c, "to"),
          both.switchPlan().manage() + " makemigrations --merge " + ShellWords.quote(c.app()),
          null));
    }
    Set<String> conflictedBefore = new HashSet<>();
    for (CompareReport r : List.of(ours, theirs)) {
      textConflicts(r).forEach(conflictedBefore::add);
    }
    for (String file : textConflicts(both)) {
      if (!conflictedBefore.contains(file)) {
        out.add(new OtherHeads.Collision(other, null, List.of(), List.of(), null, file));
      }
    }
    return out;
  }

  private static List<String> leaves(CompareReport.Conflict c, String side) {
    return c.leaves().stream().filter(l -> l.side().equals(side))
        .map(CompareReport.Leaf::name).toList();
  }

  private static List<String> textConflicts(CompareReport r) {
    return r.problems().stream().filter(p -> p.code().equals("merge-text-conflict"))
        .map(Problem::file).toList();
  }
}
