package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.Migration;
import dev.migdiff.django.Migration.Dependency;
import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Backwards plans and switch plans on the semantics page's worked example (section 7). */
class SwitchPlannerTest {
  private static MigrationKey k(String app, String name) {
    return new MigrationKey(app, name);
  }

  private static Migration m(String app, String name, Dependency... deps) {
    return new Migration(k(app, name), app + "/" + name + ".py", null, null, List.of(deps),
        List.of(), List.of(), null, true, List.of());
  }

  private static MigrationGraph worked() {
    List<Migration> disk = new ArrayList<>(List.of(
        m("shop", "0001_initial"),
        m("shop", "0002_a", Dependency.of("shop", "0001_initial")),
        m("shop", "0003_c", Dependency.of("shop", "0002_a")),
        m("shop", "0002_b", Dependency.of("shop", "0001_initial")),
        m("shop", "0004_merge", Dependency.of("shop", "0002_b"), Dependency.of("shop", "0003_c")),
        m("blog", "0001_initial", Dependency.of("shop", "0002_b")),
        m("blog", "0002_x", Dependency.of("blog", "0001_initial"), Dependency.of("shop", "0003_c"))));
    return GraphBuilder.build(disk, new AppSets(Set.of("shop", "blog"), Set.of(), Set.of(), true))
        .graph();
  }

  private static Set<MigrationKey> all(MigrationGraph g) {
    Set<MigrationKey> s = new HashSet<>();
    g.migrations().forEach(x -> s.add(x.key()));
    return s;
  }

  @Test
  void migrateToEachTargetMatchesDjangosTable() {
    MigrationGraph g = worked();
    Set<MigrationKey> applied = all(g);
    assertEquals(List.of(k("shop", "0004_merge"), k("blog", "0002_x"), k("shop", "0003_c"),
        k("shop", "0002_a"), k("blog", "0001_initial"), k("shop", "0002_b")),
        BackwardsPlan.of(g, applied, "shop", k("shop", "0001_initial")));
    assertEquals(List.of(k("shop", "0004_merge")),
        BackwardsPlan.of(g, applied, "shop", k("shop", "0002_b")));
    assertEquals(List.of(k("shop", "0004_merge"), k("blog", "0002_x"), k("blog", "0001_initial"),
        k("shop", "0002_b"), k("shop", "0003_c"), k("shop", "0002_a"), k("shop", "0001_initial")),
        BackwardsPlan.of(g, applied, "shop", null));
    assertEquals(List.of(k("blog", "0002_x"), k("blog", "0001_initial")),
        BackwardsPlan.of(g, applied, "blog", null));
  }

  @Test
  void notAppliedTargetIsNeverUsed() {
    MigrationGraph g = worked();
    Set<MigrationKey> applied = all(g);
    applied.remove(k("shop", "0002_b"));
    assertEquals(List.of(), BackwardsPlan.of(g, applied, "shop", k("shop", "0002_b")));
  }

  @Test
  void branchWithoutTheForkNeedsOneCommandWithCollateral() {
    MigrationGraph g = worked();
    SwitchPlan p = SwitchPlanner.plan(g, all(g), List.of(k("shop", "0002_a")), x -> true);
    assertEquals(1, p.commands().size());
    assertEquals("0001_initial", p.commands().get(0).target());
    assertEquals(List.of(k("blog", "0001_initial"), k("shop", "0002_b")), p.collateral());
  }

  @Test
  void leafOnlyNeedsItsParent() {
    MigrationGraph g = worked();
    SwitchPlan p = SwitchPlanner.plan(g, all(g), List.of(k("blog", "0002_x")), x -> true);
    assertEquals(List.of(new SwitchPlan.Command("blog", "0001_initial", List.of(k("blog", "0002_x")))),
        p.commands());
    assertEquals(List.of(), p.collateral());
  }

  @Test
  void unusableTargetFallsBackFurtherUp() {
    MigrationGraph g = worked();
    SwitchPlan p = SwitchPlanner.plan(g, all(g), List.of(k("blog", "0002_x")),
        x -> !x.equals(k("blog", "0001_initial")));
    assertEquals(1, p.commands().size());
    assertEquals(null, p.commands().get(0).target());
    assertEquals(List.of(k("blog", "0001_initial")), p.collateral());
  }

  @Test
  void commandThatLeavesASquashRowWithoutItsDependencyGoesLast() {
    // b's squash depends on a.0001; b.0003_x is a root of b. Unapplying a.0001 takes the squash
    // down too, and Django before 4.0 keeps the squash's row: a later command would raise
    // InconsistentMigrationHistory, so `migrate a zero` must run after `migrate b zero`.
    List<Migration> disk = List.of(
        m("a", "0001_initial"),
        m("b", "0001_initial", Dependency.of("a", "0001_initial")),
        m("b", "0002_more", Dependency.of("b", "0001_initial")),
        new Migration(k("b", "0001_squashed_0002_more"), "b/0001_squashed_0002_more.py", null,
            null, List.of(Dependency.of("a", "0001_initial")), List.of(),
            List.of(Dependency.of("b", "0001_initial"), Dependency.of("b", "0002_more")), null,
            true, List.of()),
        m("b", "0003_x"));
    GraphResult gr = GraphBuilder.build(disk, new AppSets(Set.of("a", "b"), Set.of(), Set.of(),
        true));
    MigrationGraph g = gr.graph();
    Set<MigrationKey> applied = all(g);
    SwitchPlan planned = SwitchPlanner.plan(g, applied,
        List.of(k("a", "0001_initial"), k("b", "0003_x")), x -> true);
    SwitchPlan aFirst = SwitchPlanner.reorder(g, applied, planned, List.of(
        new SwitchPlan.Command("a", null, List.of()), new SwitchPlan.Command("b", null, List.of())));
    assertEquals(List.of("a", "b"), aFirst.commands().stream().map(SwitchPlan.Command::app).toList());
    SquashRowOrder.Result r = SquashRowOrder.of(g, gr.usedSquashes(), applied, aFirst);
    assertEquals(null, r.blocking());
    assertEquals(List.of("b", "a"), r.plan().commands().stream().map(SwitchPlan.Command::app)
        .toList());
    assertEquals(new HashSet<>(aFirst.unapply()), new HashSet<>(r.plan().unapply()));
  }
}
