package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.django.Migration;
import dev.migdiff.django.Migration.Dependency;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Django's graph rules on migrations built in code (semantics page sections 3-5, 7, 12). */
class GraphBuilderTest {
  private final List<Migration> disk = new ArrayList<>();

  private Migration m(String app, String name, List<Dependency> deps) {
    return m(app, name, deps, List.of(), List.of());
  }

  private Migration m(String app, String name, List<Dependency> deps, List<Dependency> runBefore,
      List<Dependency> replaces) {
    Migration mig = new Migration(new MigrationKey(app, name), app + "/migrations/" + name + ".py",
        null, null, deps, runBefore, replaces, null, true, List.of());
    disk.add(mig);
    return mig;
  }

  private static Dependency d(String app, String name) {
    return Dependency.of(app, name);
  }

  private static MigrationKey k(String app, String name) {
    return new MigrationKey(app, name);
  }

  private GraphResult build(String... apps) {
    return GraphBuilder.build(disk, new AppSets(Set.of(apps), Set.of(), Set.of("auth"), true));
  }

  /** The worked example of section 7 (ran on Django 3.2.25 and 5.2.17). */
  private void workedExample() {
    m("shop", "0001_initial", List.of());
    m("shop", "0002_a", List.of(d("shop", "0001_initial")));
    m("shop", "0003_c", List.of(d("shop", "0002_a")));
    m("shop", "0002_b", List.of(d("shop", "0001_initial")));
    m("shop", "0004_merge_0002_b_0003_c", List.of(d("shop", "0002_b"), d("shop", "0003_c")));
    m("blog", "0001_initial", List.of(d("shop", "0002_b")));
    m("blog", "0002_x", List.of(d("blog", "0001_initial"), d("shop", "0003_c")));
  }

  @Test
  void backwardsPlanFollowsDjangosDfsOrder() {
    workedExample();
    MigrationGraph g = build("shop", "blog").graph();
    assertEquals(List.of(k("shop", "0004_merge_0002_b_0003_c"), k("blog", "0002_x"),
        k("blog", "0001_initial"), k("shop", "0002_b"), k("shop", "0003_c"), k("shop", "0002_a"),
        k("shop", "0001_initial")), g.backwardsPlan(k("shop", "0001_initial")));
    assertEquals(List.of(k("shop", "0004_merge_0002_b_0003_c"), k("blog", "0002_x"),
        k("shop", "0003_c"), k("shop", "0002_a")), g.backwardsPlan(k("shop", "0002_a")));
  }

  @Test
  void forwardsPlanBeforeTheMergeExisted() {
    workedExample();
    disk.removeIf(x -> x.key().name().startsWith("0004"));
    MigrationGraph g = build("shop", "blog").graph();
    assertEquals(List.of(k("shop", "0001_initial"), k("shop", "0002_a"), k("shop", "0003_c"),
        k("shop", "0002_b"), k("blog", "0001_initial"), k("blog", "0002_x")),
        g.forwardsPlan(k("blog", "0002_x")));
  }

  @Test
  void leavesIgnoreChildrenInOtherApps() {
    workedExample();
    disk.removeIf(x -> x.key().name().startsWith("0004"));
    GraphResult r = build("shop", "blog");
    assertEquals(List.of(k("shop", "0002_b"), k("shop", "0003_c")), r.graph().leafNodes("shop"));
    assertEquals(List.of("0002_b", "0003_c"), r.conflicts(List.of("shop", "blog")).get("shop"));
    assertEquals(List.of(k("blog", "0002_x")), r.graph().leafNodes("blog"));
  }

  @Test
  void sameAppFirstIsIgnoredAndSameAppLatestDangles() {
    m("a", "0001_initial", List.of(d("a", "__first__")));
    m("a", "0002_x", List.of(d("a", "__latest__")));
    GraphResult r = build("a");
    // The dummy parent ('a', '__latest__') is in the same app, so 0002_x is no root (as in Django).
    assertEquals(List.of(k("a", "0001_initial")), r.graph().rootNodes("a"));
    assertEquals(1, r.problems().size());
    Problem p = r.problems().get(0);
    assertEquals("dangling-dependency", p.code());
    assertEquals("Migration a.0002_x dependencies reference nonexistent parent node "
        + "('a', '__latest__')", p.message());
  }

  @Test
  void crossAppFirstAndLatestPickTheSortedFirstRootAndLeaf() {
    m("a", "0001_initial", List.of());
    m("a", "0002_y", List.of(d("a", "0001_initial")));
    m("a", "0002_x", List.of(d("a", "0001_initial")));
    m("b", "0001_initial", List.of(d("a", "__latest__")));
    m("c", "0001_initial", List.of(d("a", "__first__")));
    MigrationGraph g = build("a", "b", "c").graph();
    assertEquals(List.of(k("a", "0002_x")), g.parents(k("b", "0001_initial")));
    assertEquals(List.of(k("a", "0001_initial")), g.parents(k("c", "0001_initial")));
  }

  @Test
  void runBeforeWithinOneAppChangesLeaves() {
    m("a", "0001_initial", List.of());
    m("a", "0002_x", List.of(d("a", "0001_initial")));
    m("a", "0003_y", List.of(d("a", "0001_initial")), List.of(d("a", "0002_x")), List.of());
    GraphResult r = build("a");
    assertEquals(List.of(k("a", "0002_x")), r.graph().leafNodes("a"));
    assertTrue(r.conflicts(List.of("a")).isEmpty());
  }

  @Test
  void squashReplacesAndRepointsDependents() {
    m("a", "0001_m1", List.of());
    m("a", "0002_m2", List.of(d("a", "0001_m1")));
    m("a", "0003_m3", List.of(d("a", "0002_m2")));
    m("a", "0001_squashed_0003_m3", List.of(), List.of(),
        List.of(d("a", "0001_m1"), d("a", "0002_m2"), d("a", "0003_m3")));
    m("a", "0004_m4", List.of(d("a", "0003_m3")));
    m("b", "0001_initial", List.of(d("a", "0002_m2")));
    GraphResult r = build("a", "b");
    MigrationGraph g = r.graph();
    assertEquals(List.of(k("a", "0004_m4")), g.leafNodes("a"));
    assertEquals(List.of(k("a", "0001_squashed_0003_m3")), g.parents(k("a", "0004_m4")));
    assertEquals(List.of(k("a", "0001_squashed_0003_m3")), g.parents(k("b", "0001_initial")));
    assertTrue(r.problems().isEmpty(), r.problems().toString());
  }

  /**
   * Two branches squashed the same migrations under different names: Django's leaves then depend
   * on PYTHONHASHSEED (scripts/differential, regression input switch-1796025065800629), so migdiff
   * warns; a squash that replaces another squash is not an overlap.
   */
  @Test
  void twoSquashesOfTheSameMigrationsAreAWarning() {
    m("a", "0001_base1", List.of());
    m("a", "0002_base1", List.of(d("a", "0001_base1")));
    m("a", "0001_squashed_0002_base1_f", List.of(), List.of(),
        List.of(d("a", "0001_base1"), d("a", "0002_base1")));
    m("a", "0001_squashed_0002_base1_t", List.of(), List.of(),
        List.of(d("a", "0001_base1"), d("a", "0002_base1")));
    GraphResult r = build("a");
    assertEquals(List.of("overlapping-squashes"), r.problems().stream().map(p -> p.code()).toList());
    assertTrue(r.problems().get(0).message().startsWith(
        "a.0001_squashed_0002_base1_t and a.0001_squashed_0002_base1_f both replace a.0001_base1"),
        r.problems().get(0).message());
    disk.clear();
    m("a", "0001_base1", List.of());
    m("a", "0002_base1", List.of(d("a", "0001_base1")));
    m("a", "0001_squashed_0002_base1", List.of(), List.of(),
        List.of(d("a", "0001_base1"), d("a", "0002_base1")));
    m("a", "0003_base1", List.of(d("a", "0002_base1")));
    m("a", "0001_squashed_0003_base1", List.of(), List.of(),
        List.of(d("a", "0001_squashed_0002_base1"), d("a", "0001_base1"), d("a", "0002_base1"),
            d("a", "0003_base1")));
    assertTrue(build("a").problems().isEmpty(), build("a").problems().toString());
  }

  @Test
  void squashWithoutReplacedFilesStillSatisfiesOldNames() {
    m("a", "0001_squashed_0002_m2", List.of(), List.of(), List.of(d("a", "0001_m1"), d("a", "0002_m2")));
    m("a", "0003_m3", List.of(d("a", "0002_m2")));
    GraphResult r = build("a");
    assertTrue(r.problems().isEmpty(), r.problems().toString());
    assertEquals(List.of(k("a", "0001_squashed_0002_m2")), r.graph().parents(k("a", "0003_m3")));
  }

  @Test
  void partiallyAppliedSquashUsesTheOriginals() {
    m("a", "0001_m1", List.of());
    m("a", "0002_m2", List.of(d("a", "0001_m1")));
    m("a", "0001_squashed_0002_m2", List.of(), List.of(), List.of(d("a", "0001_m1"), d("a", "0002_m2")));
    m("a", "0003_m3", List.of(d("a", "0002_m2")));
    GraphResult r = GraphBuilder.build(disk, new AppSets(Set.of("a"), Set.of(), Set.of(), true),
        Set.of(k("a", "0001_m1")));
    assertTrue(!r.graph().contains(k("a", "0001_squashed_0002_m2")));
    assertEquals(List.of(k("a", "0002_m2")), r.graph().parents(k("a", "0003_m3")));
  }

  @Test
  void nestedSquashesAreFlattened() {
    m("a", "0001_m1", List.of());
    m("a", "0002_m2", List.of(d("a", "0001_m1")));
    m("a", "0003_m3", List.of(d("a", "0002_m2")));
    // S2 squashes S1 (which replaces m1, m2) and m3; processed before S1, as disk order may do.
    m("a", "0001_squashed_0003_m3", List.of(), List.of(),
        List.of(d("a", "0001_squashed_0002_m2"), d("a", "0003_m3")));
    m("a", "0001_squashed_0002_m2", List.of(), List.of(), List.of(d("a", "0001_m1"), d("a", "0002_m2")));
    m("a", "0004_m4", List.of(d("a", "0002_m2")));
    GraphResult r = build("a");
    assertTrue(r.problems().isEmpty(), r.problems().toString());
    assertEquals(List.of(k("a", "0001_squashed_0003_m3")), r.graph().rootNodes("a"));
    assertEquals(List.of(k("a", "0001_squashed_0003_m3")), r.graph().parents(k("a", "0004_m4")));
    assertEquals(List.of(k("a", "0004_m4")), r.graph().leafNodes("a"));
  }

  @Test
  void cycleIsAFinding() {
    m("a", "0001_x", List.of(d("a", "0002_y")));
    m("a", "0002_y", List.of(d("a", "0001_x")));
    GraphResult r = build("a");
    assertEquals(List.of("circular-dependency"), r.problems().stream().map(Problem::code).toList());
    assertEquals("Circular dependency: a.0001_x, a.0002_y", r.problems().get(0).message());
  }

  @Test
  void externalAppsAreNodesAndUnknownAppsAreErrors() {
    m("a", "0001_initial", List.of(d("auth", "0012_alter_user"), d("auth", "__first__")));
    m("a", "0002_x", List.of(d("a", "0001_initial"), d("nope", "__first__")));
    m("a", "0003_y", List.of(d("a", "0002_x"), d("nope", "0001_initial")));
    GraphResult r = build("a");
    assertTrue(r.graph().isExternal(k("auth", "0012_alter_user")));
    assertEquals(List.of("unknown-app-dependency", "dangling-dependency"),
        r.problems().stream().map(Problem::code).toList());
  }

  @Test
  void unmigratedAppsAbsorbFirstAndLatest() {
    m("a", "0001_initial", List.of(d("plain", "__first__"), d("plain", "__latest__")));
    GraphResult r = GraphBuilder.build(disk,
        new AppSets(Set.of("a"), Set.of("plain"), Set.of(), true));
    assertTrue(r.problems().isEmpty());
    assertEquals(List.of(), r.graph().parents(k("a", "0001_initial")));
  }
}
