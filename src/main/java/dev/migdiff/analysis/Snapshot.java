package dev.migdiff.analysis;

import dev.migdiff.django.DjangoProject;
import dev.migdiff.django.Problem;
import dev.migdiff.git.Revision;
import dev.migdiff.graph.GraphResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One revision read completely: the commit, the configuration that applied, the Django project
 * found there and its migration graph as Django's loader builds it without a database.
 *
 * <p>The graph is built when first asked for: {@code FROM TO} needs only the merge base's
 * migrations, not its graph, and on a project of 100,000 migrations a graph costs a quarter of
 * the run's time and much of its memory.
 */
public final class Snapshot {
  private final Revision revision;
  private final MigdiffConfig config;
  private final DjangoProject project;
  private final Built built;

  /** A reading whose graph {@code graph} builds when first asked for, at most once. */
  Snapshot(Revision revision, MigdiffConfig config, DjangoProject project,
      Supplier<GraphResult> graph) {
    this(revision, config, project, new Built(project, graph));
  }

  private Snapshot(Revision revision, MigdiffConfig config, DjangoProject project, Built built) {
    this.revision = revision;
    this.config = config;
    this.project = project;
    this.built = built;
  }

  /** The same reading, as {@code other} (a revision of the same root tree, read before). */
  public Snapshot as(Revision other) {
    return new Snapshot(other, config, project, built);
  }

  public Revision revision() {
    return revision;
  }

  public MigdiffConfig config() {
    return config;
  }

  public DjangoProject project() {
    return project;
  }

  /** The graph, built on first use (shared by every {@link #as} of this reading). */
  public GraphResult graph() {
    return built.get().graph;
  }

  /**
   * Starts building the graph on another thread, for a caller that will ask for it after other
   * work (a project of 100,000 migrations takes a third of a second per graph). Asking waits for
   * that build; a failure there is met again, and reported, by the one who asks.
   */
  public void buildAhead() {
    java.util.concurrent.CompletableFuture.runAsync(built::get);
  }

  /** The project's problems and the graph's, sorted (building the graph if it is not yet). */
  public List<Problem> problems() {
    return built.get().problems;
  }

  private static final class Built {
    private final DjangoProject project;
    private Supplier<GraphResult> make;
    private Done done;

    Built(DjangoProject project, Supplier<GraphResult> make) {
      this.project = project;
      this.make = make;
    }

    synchronized Done get() {
      if (done == null) {
        GraphResult graph = make.get();
        List<Problem> problems = new ArrayList<>(project.problems());
        problems.addAll(graph.problems());
        problems.sort(null);
        done = new Done(graph, List.copyOf(problems));
        make = null;
      }
      return done;
    }
  }

  private record Done(GraphResult graph, List<Problem> problems) {}
}
