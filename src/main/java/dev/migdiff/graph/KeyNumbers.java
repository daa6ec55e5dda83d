package dev.migdiff.graph;

import dev.migdiff.django.MigrationKey;

/**
 * The numbers of a finished graph's nodes by key: open addressing over one array of longs, each a
 * key's hash and its node number, with no object per entry. A lookup reads one slot, and the
 * node's key only when the hashes agree; a {@code HashMap<MigrationKey, Integer>} of 100,000
 * nodes kept two objects per entry and followed both on every lookup.
 */
final class KeyNumbers {
  private final MigrationKey[] nodes;
  private final long[] slots;
  private final int mask;

  /** Numbers {@code nodes} by their index (the keys are distinct). */
  KeyNumbers(MigrationKey[] nodes) {
    this.nodes = nodes;
    int capacity = Integer.highestOneBit(Math.max(4, nodes.length * 2 - 1)) << 1;
    slots = new long[capacity];
    mask = capacity - 1;
    for (int i = 0; i < nodes.length; i++) {
      int h = nodes[i].hashCode();
      int slot = spread(h) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = ((long) h << 32) | (i + 1L);
    }
  }

  private static int spread(int h) {
    return (h ^ (h >>> 16)) * 0x9E3779B9;
  }

  /** The number of {@code key}, or -1 when it is no node. */
  int get(Object key) {
    if (!(key instanceof MigrationKey)) {
      return -1;
    }
    int h = key.hashCode();
    for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
      long e = slots[slot];
      if (e == 0) {
        return -1;
      }
      if ((int) (e >>> 32) == h) {
        int i = (int) e - 1;
        if (nodes[i] == key || nodes[i].equals(key)) {
          return i;
        }
      }
    }
  }
}
