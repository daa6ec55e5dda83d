package dev.migdiff.graph;

import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A built graph, the findings met while building it, and which squashes were used. */
public record GraphResult(MigrationGraph graph, List<Problem> problems, Set<MigrationKey> usedSquashes,
    Set<MigrationKey> squashes) {

  /** {@code loader.detect_conflicts()}: apps with more than one leaf, sorted. */
  public Map<String, List<String>> conflicts(Iterable<String> appLabels) {
    Map<String, List<String>> out = new TreeMap<>(MigrationKey.PYTHON_ORDER);
    for (String app : appLabels) {
      List<MigrationKey> leaves = graph.leafNodes(app);
      if (leaves.size() > 1) {
        List<String> names = new ArrayList<>();
        leaves.forEach(k -> names.add(k.name()));
        out.put(app, names);
      }
    }
    return out;
  }
}
