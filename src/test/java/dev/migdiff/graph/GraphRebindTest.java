package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.django.Migration;
import dev.migdiff.django.Migration.Dependency;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.python.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link GraphBuilder#rebind}: a graph taken from a prior build must answer every question
 * exactly as a graph built afresh from the new migrations does, with the new migrations in it;
 * and any difference that building reads must make it decline, without asking for the prior
 * graph. Over the random projects of {@link GraphWalkPropertyTest} (cycles, dangling names,
 * squashes, run_before, external nodes).
 */
class GraphRebindTest {
  private static final AppSets APPS = new AppSets(Set.of("shop", "blog", "auth2"), Set.of(),
      Set.of("auth"), true);
  private static final Supplier<GraphResult> NOT_ASKED = () -> {
    throw new AssertionError("the prior graph was asked for although the inputs differ");
  };

  @Test
  void aGraphTakenOverAnswersAsOneBuiltAfresh() {
    Random seeds = new Random(20261202L);
    int rebound = 0;
    for (int i = 0; i < 1500; i++) {
      long seed = seeds.nextLong();
      Random r = new Random(seed);
      List<Migration> before = GraphWalkPropertyTest.generate(seed);
      // the same graph inputs, with other operations and blobs for some migrations
      List<Migration> after = new ArrayList<>();
      for (Migration m : before) {
        after.add(r.nextBoolean() ? m : withBlob(m, "changed-" + r.nextInt(1000)));
      }
      GraphResult prior = GraphBuilder.build(before, APPS);
      GraphResult taken = GraphBuilder.rebind(before, APPS, () -> prior, after, APPS);
      assertNotNull(taken, "seed " + seed);
      GraphResult fresh = GraphBuilder.build(after, APPS);
      Set<MigrationKey> nodes = GraphWalkPropertyTest.vertices(fresh.graph(), after);
      // (answers include every node's migration: records, so a prior migration left in place
      // of a new one, whose blob differs, is told apart)
      assertEquals(GraphWalkPropertyTest.answers(fresh.graph(), nodes),
          GraphWalkPropertyTest.answers(taken.graph(), nodes), "seed " + seed);
      assertEquals(fresh.problems(), taken.problems(), "seed " + seed);
      assertEquals(fresh.usedSquashes(), taken.usedSquashes(), "seed " + seed);
      assertEquals(fresh.squashes(), taken.squashes(), "seed " + seed);
      // the prior graph still answers with its own migrations
      assertEquals(GraphWalkPropertyTest.answers(GraphBuilder.build(before, APPS).graph(), nodes),
          GraphWalkPropertyTest.answers(prior.graph(), nodes), "seed " + seed);
      rebound++;
    }
    assertEquals(1500, rebound);
  }

  @Test
  void theSameMigrationsShareTheVeryGraph() {
    List<Migration> disk = GraphWalkPropertyTest.generate(42);
    GraphResult prior = GraphBuilder.build(disk, APPS);
    assertSame(prior.graph(),
        GraphBuilder.rebind(disk, APPS, () -> prior, List.copyOf(disk), APPS).graph());
  }

  @Test
  void anyDifferenceThatBuildingReadsDeclines() {
    Position p = new Position(3, 4);
    Migration base = new Migration(new MigrationKey("shop", "0002_b"), "shop/migrations/0002_b.py",
        "blob", new Position(5, 1), List.of(new Dependency(new MigrationKey("shop", "0001_a"), p,
        null)), List.of(), List.of(), null, true, List.of());
    Migration first = new Migration(new MigrationKey("shop", "0001_a"),
        "shop/migrations/0001_a.py", "blob0", new Position(5, 1), List.of(), List.of(), List.of(),
        true, true, List.of());
    List<Function<Migration, Migration>> changes = List.of(
        m -> copy(m, new MigrationKey("shop", "0002_c"), m.path(), m.classPos(),
            m.dependencies(), m.runBefore(), m.replaces()),
        m -> copy(m, m.key(), "other/migrations/0002_b.py", m.classPos(), m.dependencies(),
            m.runBefore(), m.replaces()),
        m -> copy(m, m.key(), m.path(), new Position(6, 1), m.dependencies(), m.runBefore(),
            m.replaces()),
        m -> copy(m, m.key(), m.path(), m.classPos(), List.of(new Dependency(
            new MigrationKey("shop", "0001_a"), new Position(4, 4), null)), m.runBefore(),
            m.replaces()),
        m -> copy(m, m.key(), m.path(), m.classPos(), List.of(new Dependency(
            new MigrationKey("shop", "0001_a"), p, "AUTH_USER_MODEL")), m.runBefore(),
            m.replaces()),
        m -> copy(m, m.key(), m.path(), m.classPos(), List.of(), m.runBefore(), m.replaces()),
        m -> copy(m, m.key(), m.path(), m.classPos(), m.dependencies(),
            List.of(Dependency.of("blog", "0001_x")), m.replaces()),
        m -> copy(m, m.key(), m.path(), m.classPos(), m.dependencies(), m.runBefore(),
            List.of(Dependency.of("shop", "0001_a"))));
    List<Migration> before = List.of(first, base);
    for (int i = 0; i < changes.size(); i++) {
      List<Migration> after = List.of(first, changes.get(i).apply(base));
      assertNull(GraphBuilder.rebind(before, APPS, NOT_ASKED, after, APPS), "change " + i);
    }
    // other app sets, another number or order of migrations
    assertNull(GraphBuilder.rebind(before, APPS, NOT_ASKED, before,
        new AppSets(APPS.migrated(), Set.of("extra"), APPS.external(), true)));
    assertNull(GraphBuilder.rebind(before, APPS, NOT_ASKED, before,
        new AppSets(APPS.migrated(), APPS.unmigrated(), APPS.external(), false)));
    assertNull(GraphBuilder.rebind(before, APPS, NOT_ASKED, List.of(first), APPS));
    assertNull(GraphBuilder.rebind(before, APPS, NOT_ASKED, List.of(base, first), APPS));
    // what building does not read: taken over
    Migration otherBlob = withBlob(base, "blob2");
    GraphResult prior = GraphBuilder.build(before, APPS);
    GraphResult taken = GraphBuilder.rebind(before, APPS, () -> prior, List.of(first, otherBlob),
        APPS);
    assertNotNull(taken);
    assertSame(otherBlob, taken.graph().migration(base.key()));
    assertSame(base, prior.graph().migration(base.key()));
    assertTrue(GraphBuilder.sameForGraph(base, otherBlob));
  }

  private static Migration withBlob(Migration m, String blob) {
    return new Migration(m.key(), m.path(), blob, m.classPos(), m.dependencies(), m.runBefore(),
        m.replaces(), Boolean.TRUE.equals(m.initial()) ? null : Boolean.TRUE, !m.atomic(),
        List.of());
  }

  private static Migration copy(Migration m, MigrationKey key, String path, Position classPos,
      List<Dependency> deps, List<Dependency> runBefore, List<Dependency> replaces) {
    return new Migration(key, path, m.blobId(), classPos, deps, runBefore, replaces,
        m.initial(), m.atomic(), List.of());
  }
}
