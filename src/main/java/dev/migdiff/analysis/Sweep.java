package dev.migdiff.analysis;

import dev.migdiff.django.Problem;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.Revision;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Replays a repository's history in one JVM: {@code graph} at every merge commit and
 * {@code FROM TO} on its two parents, recording per case the time, the findings by code, and
 * whether migdiff failed (an input error, or an internal error: any other exception, a bug).
 */
public final class Sweep {
  /** Parse caches are dropped after this many cases so that memory stays bounded. */
  private static final int CASES_PER_LOADER = 200;

  private final GitRepository repo;
  private final MigdiffConfig overrides;
  private final dev.migdiff.django.ObjectCache store;

  public Sweep(GitRepository repo, MigdiffConfig overrides) {
    this(repo, overrides, dev.migdiff.django.ObjectCache.NONE);
  }

  /** Keeps what it reads between runs in {@code store}. */
  public Sweep(GitRepository repo, MigdiffConfig overrides, dev.migdiff.django.ObjectCache store) {
    this.repo = repo;
    this.overrides = overrides;
    this.store = store;
  }

  /** What a case ran: {@code graph M} or {@code P1 P2}. */
  public enum Kind { GRAPH, DIFF }

  /**
   * One case. {@code conflict} lists the apps with divergent leaves ({@code app: leaf, leaf}),
   * null when none; {@code codes} counts findings by code; {@code failure} is null when migdiff
   * answered, else the error, {@code internal} telling a bug from an input error.
   */
  public record Case(Kind kind, String merge, String args, long nanos, String conflict,
      Map<String, Integer> codes, List<Problem> problems, String failure, boolean internal,
      Throwable error) {}

  /** Runs both cases for each of the newest {@code limit} merges reachable from {@code ref}. */
  public int run(String ref, int limit, Consumer<Case> each) throws GitException {
    Revision head = repo.resolve(ref);
    List<GitRepository.Merge> merges = repo.merges(head, limit);
    SnapshotLoader loader = null;
    Comparison comparison = null;
    int n = 0;
    for (GitRepository.Merge m : merges) {
      if (n++ % CASES_PER_LOADER == 0) {
        loader = new SnapshotLoader(repo, overrides, store);
        comparison = new Comparison(repo, overrides, store);
      }
      SnapshotLoader l = loader;
      Comparison c = comparison;
      each.accept(time(Kind.GRAPH, m.commit(), m.commit(), () -> {
        GraphReport r = GraphReport.of(l.load(new Revision(m.commit(), m.commit())));
        return new Outcome(r.conflicts().stream()
            .map(x -> x.app() + ": " + String.join(", ", x.leaves())).toList(), r.problems());
      }));
      each.accept(time(Kind.DIFF, m.commit(), m.firstParent() + " " + m.secondParent(), () -> {
        CompareReport r = c.compare(m.firstParent(), m.secondParent());
        return new Outcome(r.merge().conflicts().stream().map(x -> x.app() + ": " + String.join(", ",
            x.leaves().stream().map(CompareReport.Leaf::name).toList())).toList(), r.problems());
      }));
    }
    return merges.size();
  }

  private record Outcome(List<String> conflicts, List<Problem> problems) {}

  private interface Step {
    Outcome run() throws GitException, ConfigException, IOException;
  }

  private static Case time(Kind kind, String merge, String args, Step step) {
    long start = System.nanoTime();
    try {
      Outcome o = step.run();
      Map<String, Integer> codes = new TreeMap<>();
      o.problems().forEach(p -> codes.merge(p.code(), 1, Integer::sum));
      String conflict = o.conflicts().isEmpty() ? null : String.join("; ", o.conflicts());
      return new Case(kind, merge, args, System.nanoTime() - start, conflict, codes,
          o.problems(), null, false, null);
    } catch (GitException | ConfigException | IOException e) {
      return new Case(kind, merge, args, System.nanoTime() - start, null, Map.of(), List.of(),
          e.getMessage(), false, e);
    } catch (RuntimeException | StackOverflowError e) {
      return new Case(kind, merge, args, System.nanoTime() - start, null, Map.of(), List.of(),
          e.toString(), true, e);
    }
  }
}
