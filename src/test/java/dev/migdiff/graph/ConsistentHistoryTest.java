package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.Migration;
import dev.migdiff.django.Migration.Dependency;
import dev.migdiff.django.MigrationKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code check_consistent_history} on graphs built in code, run_before and squashes included. */
class ConsistentHistoryTest {
  private static final AppSets APPS = new AppSets(Set.of("tagging", "tickets"), Set.of(),
      Set.of(), true);

  private static MigrationKey k(String app, String name) {
    return new MigrationKey(app, name);
  }

  private static Migration m(String app, String name, List<Dependency> deps,
      List<Dependency> runBefore, List<Dependency> replaces) {
    return new Migration(k(app, name), app + "/migrations/" + name + ".py", null, null, deps,
        runBefore, replaces, null, true, List.of());
  }

  private static List<ConsistentHistory.Inconsistency> check(List<Migration> disk,
      Set<MigrationKey> rows) {
    GraphResult g = GraphBuilder.build(disk, APPS, rows);
    return ConsistentHistory.check(g.graph(), disk, rows, null, x -> false);
  }

  @Test
  void runBeforeMakesTheAppliedMigrationDependOnTheNewOne() {
    List<Migration> disk = List.of(
        m("tagging", "0001_first", List.of(), List.of(), List.of()),
        m("tagging", "0002_tag", List.of(Dependency.of("tagging", "0001_first")), List.of(),
            List.of()),
        m("tagging", "0004_add_status", List.of(),
            List.of(Dependency.of("tagging", "0001_first")), List.of()));
    Set<MigrationKey> rows = Set.of(k("tagging", "0001_first"), k("tagging", "0002_tag"));
    assertEquals(List.of(new ConsistentHistory.Inconsistency(k("tagging", "0001_first"),
        k("tagging", "0004_add_status"))), check(disk, rows));
    // Once 0001_first is unapplied, 0002_tag is the one applied before its dependency.
    assertEquals(List.of(new ConsistentHistory.Inconsistency(k("tagging", "0002_tag"),
        k("tagging", "0001_first"))), check(disk, Set.of(k("tagging", "0002_tag"))));
    assertEquals(List.of(), check(disk, Set.of()));
  }

  @Test
  void aSquashWhoseReplacedMigrationsAreAppliedCountsAsApplied() {
    List<Dependency> replaces = List.of(Dependency.of("tickets", "0004_c"),
        Dependency.of("tickets", "0005_d"));
    List<Migration> disk = List.of(
        m("tickets", "0003_b", List.of(), List.of(), List.of()),
        m("tickets", "0004_c", List.of(Dependency.of("tickets", "0003_b"),
            Dependency.of("tagging", "0002_new")), List.of(), List.of()),
        m("tickets", "0005_d", List.of(Dependency.of("tickets", "0004_c")), List.of(), List.of()),
        m("tickets", "0004_squashed_0005_d", List.of(Dependency.of("tickets", "0003_b"),
            Dependency.of("tagging", "0002_new")), List.of(), replaces),
        m("tickets", "0006_e", List.of(Dependency.of("tickets", "0005_d")), List.of(), List.of()),
        m("tagging", "0002_new", List.of(), List.of(), List.of()));
    // All replaced applied: the squash is used, the edited 0004_c is no node, and 0006_e's
    // parent (the squash, no row) is exempt: consistent although 0002_new is not applied.
    assertEquals(List.of(), check(disk, Set.of(k("tickets", "0003_b"), k("tickets", "0004_c"),
        k("tickets", "0005_d"), k("tickets", "0006_e"))));
    // Partly applied: the replaced nodes are used, and 0004_c's new dependency is missing.
    assertEquals(List.of(new ConsistentHistory.Inconsistency(k("tickets", "0004_c"),
        k("tagging", "0002_new"))), check(disk, Set.of(k("tickets", "0003_b"),
        k("tickets", "0004_c"))));
  }

  @Test
  void unknownRowsAreSkipped() {
    List<Migration> disk = List.of(m("tagging", "0001_first", List.of(), List.of(), List.of()));
    assertEquals(List.of(), check(disk, Set.of(k("tagging", "0009_gone"), k("other", "0001"))));
  }
}
