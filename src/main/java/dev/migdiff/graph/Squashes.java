package dev.migdiff.graph;

import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Squash replacement: {@code remove_replaced_nodes} and {@code remove_replacement_node}. */
final class Squashes {
  private Squashes() {}

  /**
   * A squash's {@code replaces}, with nested squashes expanded recursively (Django 6.0's
   * {@code _resolve_replaced_migration_keys}); the nested squash itself is replaced too.
   */
  static List<MigrationKey> flatten(Migration squash, Map<MigrationKey, Migration> replacements) {
    Set<MigrationKey> out = new LinkedHashSet<>();
    Set<MigrationKey> seen = new HashSet<>();
    seen.add(squash.key());
    expand(squash, replacements, out, seen);
    return new ArrayList<>(out);
  }

  private static void expand(Migration squash, Map<MigrationKey, Migration> replacements,
      Set<MigrationKey> out, Set<MigrationKey> seen) {
    for (MigrationKey k : squash.replacedKeys()) {
      Migration nested = replacements.get(k);
      if (nested != null && seen.add(k)) {
        expand(nested, replacements, out, seen);
      }
      out.add(k);
    }
  }

  /** Removes the replaced nodes and re-points their outside neighbours at the squash. */
  static void removeReplacedNodes(MigrationGraph g, MigrationKey replacement,
      List<MigrationKey> replaced) {
    Set<MigrationKey> replacedSet = new HashSet<>(replaced);
    for (MigrationKey r : replaced) {
      if (!g.containsAny(r)) {
        continue;
      }
      List<MigrationKey> children = g.children(r);
      List<MigrationKey> parents = g.parents(r);
      g.removeVertex(r);
      for (MigrationKey child : children) {
        if (!replacedSet.contains(child)) {
          g.addEdge(replacement, child);
        }
      }
      for (MigrationKey parent : parents) {
        if (!replacedSet.contains(parent)) {
          g.addEdge(parent, replacement);
        }
      }
    }
  }

  /** Removes the squash and re-points its children at the last replaced nodes that exist. */
  static void removeReplacementNode(MigrationGraph g, MigrationKey replacement,
      List<MigrationKey> replaced) {
    List<MigrationKey> children = g.children(replacement);
    g.removeVertex(replacement);
    Set<MigrationKey> nodes = new LinkedHashSet<>();
    Set<MigrationKey> theirParents = new HashSet<>();
    for (MigrationKey r : replaced) {
      if (g.containsAny(r)) {
        nodes.add(r);
        theirParents.addAll(g.parents(r));
      }
    }
    nodes.removeAll(theirParents);
    for (MigrationKey child : children) {
      for (MigrationKey r : nodes) {
        g.addEdge(r, child);
      }
    }
  }
}
