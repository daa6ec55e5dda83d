package dev.migdiff.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.MigrationKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyNumbersTest {
  @Test
  void findsEveryKeyByValueAndNoOther() {
    List<MigrationKey> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      keys.add(new MigrationKey("app" + i % 37, String.format("%04d_m", i)));
    }
    // "Aa" and "BB" hash alike: equal hashes must still be told apart by value
    keys.add(new MigrationKey("x", "Aa"));
    keys.add(new MigrationKey("x", "BB"));
    keys.add(new MigrationKey("Aa", "x"));
    MigrationKey[] nodes = keys.toArray(new MigrationKey[0]);
    KeyNumbers numbers = new KeyNumbers(nodes);
    for (int i = 0; i < nodes.length; i++) {
      // another object with the same value
      assertEquals(i, numbers.get(new MigrationKey(nodes[i].app(), nodes[i].name())));
      assertEquals(i, numbers.get(nodes[i]));
    }
    assertEquals(-1, numbers.get(new MigrationKey("BB", "x")));
    assertEquals(-1, numbers.get(new MigrationKey("app1", "9999_m")));
    assertEquals(-1, numbers.get("app1.0001_m"));
    assertEquals(-1, new KeyNumbers(new MigrationKey[0]).get(nodes[0]));
  }
}
