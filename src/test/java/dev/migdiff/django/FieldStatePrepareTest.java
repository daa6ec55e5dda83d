package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.python.Expr;
import dev.migdiff.python.PythonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldState#prepare}: the operations a walk would parse one at a time are parsed before
 * it, on every core, each once; what the store's index answers for is not; a failure is left for
 * the walk, which then meets it as before.
 */
class FieldStatePrepareTest {
  private static List<Expr> ops(String model) {
    Expr list = ((dev.migdiff.python.Stmt.Assign) PythonParser.parse(
        "x = [migrations.AddField('" + model + "', 'f', models.IntegerField(null=True))]\n")
        .body().get(0)).value();
    return Operations.elements(list);
  }

  private static Migration migration(int i, Supplier<List<Expr>> ops) {
    return new Migration(new MigrationKey("shop", String.format("%04d_m", i)), "shop/m.py", null,
        null, List.of(), List.of(), List.of(), null, true, ops);
  }

  @Test
  void parsesWhatAWalkWouldOnceEachAndLeavesTheIndexedAlone() {
    AtomicInteger parses = new AtomicInteger();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Migration> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String model = i % 2 == 0 ? "Item" : "Box";
      all.add(migration(i, new Lazy<>(() -> {
        parses.incrementAndGet();
        threads.add(Thread.currentThread().getName());
        pause(); // as long as a real file takes, so that the second core joins in
        return ops(model);
      })));
    }
    Stored indexed = new Stored();
    all.add(migration(200, indexed));
    FieldState.prepare(all);
    assertEquals(200, parses.get());
    assertEquals(0, indexed.gets.get() + indexed.onces.get(),
        "the index answers for it: not decoded");
    // the walk finds them ready: nothing is parsed again, and its answers are the same
    FieldState state = FieldState.scoped(FieldState.scopeOf(all));
    for (Migration m : all) {
      state.apply(m);
    }
    assertEquals(200, parses.get());
    assertTrue(all.get(0).touchesFields(Set.of("item")));
    assertTrue(!all.get(1).touchesFields(Set.of("item")));
    if (Runtime.getRuntime().availableProcessors() > 1) {
      assertTrue(threads.size() > 1, "parsed on one thread only: " + threads);
    }
  }

  @Test
  void aWalkReadsStoredOperationsForOneUseWithoutKeepingThem() {
    Stored stored = new Stored();
    Migration m = migration(0, stored);
    FieldState state = FieldState.scoped(java.util.Map.of("shop", Set.of("item")));
    state.apply(m);
    state.apply(m);
    assertEquals(1, stored.onces.get(), "the effects are decoded once, and kept");
    assertEquals(0, stored.gets.get(), "the operations' trees are not kept for a walk");
    assertTrue(state.field("shop", "Item", "f") instanceof Expr.Call);
  }

  /**
   * Operations of model Item as the store keeps them: indexed by the models they touch, counting
   * how often they are read to be kept ({@code get}) and for one use ({@code once}).
   */
  private static final class Stored implements OperationSource.Indexed {
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger onces = new AtomicInteger();

    @Override
    public List<Expr> get() {
      gets.incrementAndGet();
      return ops("Item");
    }

    @Override
    public List<String> effectModels() {
      return List.of("item");
    }

    @Override
    public List<Expr> once() {
      onces.incrementAndGet();
      return ops("Item");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aFailureIsLeftForTheWalk() {
    List<Migration> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      all.add(migration(i, new Lazy<>(() -> {
        if (n == 7) {
          throw new java.io.UncheckedIOException(new java.io.IOException("blob is missing"));
        }
        return ops("Item");
      })));
    }
    FieldState.prepare(all); // does not throw
    for (int i = 0; i < 20; i++) {
      if (i != 7) {
        assertTrue(all.get(i).touchesFields(Set.of("item")));
      }
    }
    // the walk meets the failure where it met it before
    assertThrows(java.io.UncheckedIOException.class,
        () -> all.get(7).touchesFields(Set.of("item")));
  }
}
