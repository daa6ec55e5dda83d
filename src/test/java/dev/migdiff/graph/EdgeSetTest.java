package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.Test;

/**
 * {@link MigrationGraph.EdgeSet} keeps a vertex's edges as JGraphT's {@code ArrayUnenforcedSet}
 * does, a list in insertion order: checked against an {@link ArrayList} over random adds and
 * removals (by value and through the iterator), across its change from one field to an array.
 */
class EdgeSetTest {
  @Test
  void behavesAsAListInInsertionOrder() {
    Random random = new Random(20261202);
    DefaultEdge[] pool = new DefaultEdge[12];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = new DefaultEdge();
    }
    for (int round = 0; round < 500; round++) {
      MigrationGraph.EdgeSet set = new MigrationGraph.EdgeSet();
      List<DefaultEdge> model = new ArrayList<>();
      for (int step = 0; step < 40; step++) {
        DefaultEdge e = pool[random.nextInt(pool.length)];
        switch (random.nextInt(4)) {
          case 0, 1 -> {
            if (!model.contains(e)) { // (JGraphT adds an edge once)
              set.add(e);
              model.add(e);
            }
          }
          case 2 -> assertEquals(model.remove(e), set.remove(e));
          default -> {
            Iterator<DefaultEdge> it = set.iterator();
            Iterator<DefaultEdge> expected = model.iterator();
            while (it.hasNext()) {
              DefaultEdge x = it.next();
              assertEquals(expected.next(), x);
              if (random.nextInt(3) == 0) {
                it.remove();
                expected.remove();
              }
            }
            assertFalse(expected.hasNext());
          }
        }
        assertEquals(model, new ArrayList<>(set));
        assertEquals(model.size(), set.size());
        assertEquals(model.contains(e), set.contains(e));
      }
    }
  }

  @Test
  void anIteratorRemovesOnlyWhatItReturned() {
    MigrationGraph.EdgeSet set = new MigrationGraph.EdgeSet();
    Iterator<DefaultEdge> empty = set.iterator();
    assertThrows(IllegalStateException.class, empty::remove);
    assertThrows(java.util.NoSuchElementException.class, empty::next);
    DefaultEdge a = new DefaultEdge();
    set.add(a);
    Iterator<DefaultEdge> it = set.iterator();
    assertEquals(a, it.next());
    it.remove();
    assertThrows(IllegalStateException.class, it::remove);
    assertEquals(0, set.size());
  }
}
