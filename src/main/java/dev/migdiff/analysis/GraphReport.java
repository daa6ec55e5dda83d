package dev.migdiff.analysis;

import dev.migdiff.django.App;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import dev.migdiff.graph.MigrationGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code migdiff graph REF}: per app (by label, sorted) its migrations with their
 * declared dependencies and resolved parents, its leaves, and the conflicts.
 */
public record GraphReport(String ref, String commit, String settingsModule, List<AppGraph> apps,
    List<Conflict> conflicts, List<Problem> problems) {

  /** One app's part of the graph. */
  public record AppGraph(String app, List<String> leaves, List<Node> migrations) {}

  /**
   * One migration file. {@code parents} are the resolved graph's, empty for a migration replaced
   * by a squash ({@code replacedBy} then names the squash).
   */
  public record Node(String name, String path, List<MigrationKey> dependencies,
      List<MigrationKey> runBefore, List<MigrationKey> parents, List<MigrationKey> replaces,
      String replacedBy) {}

  /** An app with more than one leaf. */
  public record Conflict(String app, List<String> leaves) {}

  public boolean hasConflicts() {
    return !conflicts.isEmpty();
  }

  public static GraphReport of(Snapshot s) {
    MigrationGraph g = s.graph().graph();
    Map<MigrationKey, String> replacedBy = new HashMap<>();
    for (Migration m : s.graph().usedSquashes().isEmpty() ? List.<Migration>of()
        : s.project().migrations()) {
      if (s.graph().usedSquashes().contains(m.key())) {
        m.replacedKeys().forEach(k -> replacedBy.putIfAbsent(k, m.key().name()));
      }
    }
    Map<String, List<Migration>> byApp = s.project().migrationsByApp();
    List<AppGraph> apps = new ArrayList<>();
    List<Conflict> conflicts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (App app : s.project().apps()) {
      if (app.state() == App.State.MIGRATED) {
        labels.add(app.label());
      }
    }
    labels.sort(MigrationKey.PYTHON_ORDER);
    for (String label : labels) {
      List<String> leaves = g.leafNodes(label).stream().map(MigrationKey::name).toList();
      List<Node> nodes = new ArrayList<>();
      List<Migration> ms = new ArrayList<>(byApp.getOrDefault(label, List.of()));
      ms.sort(Comparator.comparing(Migration::key));
      for (Migration m : ms) {
        nodes.add(new Node(m.key().name(), m.path(), Migration.keysOf(m.dependencies()),
            Migration.keysOf(m.runBefore()), g.contains(m.key()) ? g.parents(m.key()) : List.of(),
            m.replacedKeys(), replacedBy.isEmpty() ? null : replacedBy.get(m.key())));
      }
      apps.add(new AppGraph(label, leaves, nodes));
      if (leaves.size() > 1) {
        conflicts.add(new Conflict(label, leaves));
      }
    }
    return new GraphReport(s.revision().spelling(), s.revision().commit(),
        s.project().settingsModule(), apps, conflicts, s.problems());
  }
}
