package dev.migdiff.analysis;

import dev.migdiff.django.DjangoProject;
import dev.migdiff.django.Problem;
import dev.migdiff.git.Revision;
import dev.migdiff.graph.GraphResult;
import java.util.List;

/**
 * One revision read completely: the commit, the configuration that applied, the Django project
 * found there and its migration graph as Django's loader builds it without a database.
 */
public record Snapshot(Revision revision, MigdiffConfig config, DjangoProject project,
    GraphResult graph, List<Problem> problems) {
  /** The same reading, as {@code other} (a revision of the same root tree, read before). */
  public Snapshot as(Revision other) {
    return new Snapshot(other, config, project, graph, problems);
  }
}
