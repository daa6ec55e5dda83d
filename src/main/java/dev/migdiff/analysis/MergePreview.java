package dev.migdiff.analysis;

import dev.migdiff.django.DjangoConfig;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.graph.MigrationGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code makemigrations --merge} would do with the merged tree
 * (django/core/management/commands/makemigrations.py, {@code handle_merge}): the command, the
 * file name it would write, and the rebase alternative.
 */
final class MergePreview {
  private static final Pattern SQUASHED = Pattern.compile(".*_squashed_(\\d+)");
  private static final Pattern LEADING = Pattern.compile("^\\d+");

  private MergePreview() {}

  static CompareReport.Merge of(List<CompareReport.AppDiff> apps, Snapshot from, Snapshot to,
      Snapshot merged) {
    List<CompareReport.Conflict> conflicts = new ArrayList<>();
    List<CompareReport.MergeFile> files = new ArrayList<>();
    List<CompareReport.Rebase> rebase = new ArrayList<>();
    DjangoConfig django = from.config().django();
    for (CompareReport.AppDiff app : apps) {
      if (!app.conflict()) {
        continue;
      }
      conflicts.add(new CompareReport.Conflict(app.app(), app.leavesAfterMerge(),
          fork(app, merged.graph().graph())));
      String file = name(app.leavesAfterMerge().stream().map(CompareReport.Leaf::name).toList(),
          django);
      String dir = merged.project().apps().stream().filter(a -> a.label().equals(app.app()))
          .map(dev.migdiff.django.App::migrationsPath).filter(java.util.Objects::nonNull)
          .findFirst().orElse(null);
      files.add(new CompareReport.MergeFile(app.app(), file,
          dir == null ? null : dir + "/" + file + ".py"));
      rebase.addAll(rebase(app, to, merged));
    }
    String command = conflicts.isEmpty() ? null : from.config().manageCommand()
        + " makemigrations --merge "
        + String.join(" ", conflicts.stream().map(c -> ShellWords.quote(c.app())).toList());
    return new CompareReport.Merge(conflicts, command, files, rebase);
  }

  /**
   * The same-app edges from the last migrations all leaves share to the leaves: the part of
   * the graph where the app diverged.
   */
  static List<CompareReport.Edge> fork(CompareReport.AppDiff app, MigrationGraph g) {
    java.util.Set<MigrationKey> common = null;
    java.util.Set<MigrationKey> all = new java.util.LinkedHashSet<>();
    for (CompareReport.Leaf leaf : app.leavesAfterMerge()) {
      java.util.Set<MigrationKey> ancestors = new java.util.LinkedHashSet<>();
      for (MigrationKey k : g.forwardsPlan(new MigrationKey(app.app(), leaf.name()))) {
        if (k.app().equals(app.app())) {
          ancestors.add(k);
        }
      }
      all.addAll(ancestors);
      if (common == null) {
        common = ancestors;
      } else {
        common.retainAll(ancestors);
      }
    }
    List<CompareReport.Edge> edges = new ArrayList<>();
    for (MigrationKey k : all) {
      if (common != null && common.contains(k)) {
        continue;
      }
      for (MigrationKey p : g.parents(k)) {
        if (p.app().equals(app.app())) {
          edges.add(new CompareReport.Edge(p.name(), k.name()));
        }
      }
    }
    edges.sort(java.util.Comparator.comparing(CompareReport.Edge::parent, MigrationKey.PYTHON_ORDER)
        .thenComparing(CompareReport.Edge::child, MigrationKey.PYTHON_ORDER));
    return edges;
  }

  /** The merge migration's name for the Django version in force. */
  static String name(List<String> leaves, DjangoConfig django) {
    long biggest = 1;
    boolean any = false;
    for (String leaf : leaves) {
      Long n = parseNumber(leaf, django.djangoAtLeast(4, 1));
      if (n != null) {
        biggest = any ? Math.max(biggest, n) : n;
        any = true;
      }
    }
    String number = String.format("%04d", biggest + 1);
    if (!django.djangoAtLeast(1, 10)) {
      return number + "_merge";
    }
    String joined = String.join("_", leaves.stream().sorted(MigrationKey.PYTHON_ORDER).toList());
    if (!django.djangoAtLeast(3, 2) || joined.length() > 47) {
      return number + "_merge_YYYYMMDD_HHMM";
    }
    return number + "_merge_" + joined;
  }

  /** {@code MigrationAutodetector.parse_number}; squashed names count since 4.1 (#23953). */
  static Long parseNumber(String name, boolean squashAware) {
    if (squashAware) {
      Matcher m = SQUASHED.matcher(name);
      if (m.lookingAt()) {
        return Long.parseLong(m.group(1));
      }
    }
    Matcher m = LEADING.matcher(name);
    if (m.lookingAt()) {
      try {
        return Long.parseLong(m.group());
      } catch (NumberFormatException e) {
        return Long.MAX_VALUE;
      }
    }
    return null;
  }

  /**
   * The TO side's first migrations in the app (added since the merge base, with a same-app
   * parent that is not): rebasing means pointing them at FROM's leaves instead.
   */
  private static List<CompareReport.Rebase> rebase(CompareReport.AppDiff app, Snapshot to,
      Snapshot merged) {
    List<CompareReport.Rebase> out = new ArrayList<>();
    List<String> fromLeaves = app.leavesAfterMerge().stream()
        .filter(l -> l.side().equals("from")).map(CompareReport.Leaf::name).toList();
    if (fromLeaves.isEmpty()) {
      return out;
    }
    MigrationGraph g = to.graph().graph();
    Map<MigrationKey, Migration> toMigrations = Comparison.byKey(to);
    for (String name : app.toAdded()) {
      if (!app.toOnly().contains(name)) {
        continue;
      }
      MigrationKey k = new MigrationKey(app.app(), name);
      if (!g.contains(k) || !toMigrations.containsKey(k)) {
        continue;
      }
      List<String> parents = g.parents(k).stream().filter(p -> p.app().equals(app.app()))
          .map(MigrationKey::name).toList();
      if (!parents.isEmpty() && parents.stream().noneMatch(app.toAdded()::contains)) {
        out.add(new CompareReport.Rebase(app.app(), name, parents, fromLeaves));
      }
    }
    return out;
  }
}
