package dev.migdiff.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real file system: atomic, bounded, corruption-tolerant, never failing a run. */
class ObjectStoreTest {
  @TempDir Path tmp;
  private final List<String> warnings = new ArrayList<>();

  private ObjectStore store(Path root, long max) {
    return new ObjectStore(root, max, warnings::add);
  }

  private static String key(int i) {
    return String.format("%040x", i * 7919L + 1);
  }

  @Test
  void storesAndReadsBackWhatWasPut() {
    ObjectStore s = store(tmp.resolve("v1-x"), 1 << 20);
    assertNull(s.get("migrations", key(1)));
    s.put("migrations", key(1), "hello".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), s.get("migrations", key(1)));
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
        store(tmp.resolve("v1-x"), 1 << 20).get("migrations", key(1)), "another run reads it");
    assertEquals(List.of(), warnings);
  }

  @Test
  void aCorruptEntryIsAMissWithOneWarningAndIsRemoved() throws IOException {
    Path root = tmp.resolve("v1-x");
    ObjectStore s = store(root, 1 << 20);
    for (int i = 0; i < 3; i++) {
      s.put("operations", key(i), ("value " + i).getBytes(StandardCharsets.UTF_8));
    }
    Path one = entry(root, "operations", key(0));
    Files.write(one, new byte[] {1, 2, 3});
    Path two = entry(root, "operations", key(1));
    byte[] flipped = Files.readAllBytes(two);
    flipped[flipped.length - 1] ^= 1;
    Files.write(two, flipped);
    ObjectStore next = store(root, 1 << 20);
    assertNull(next.get("operations", key(0)));
    assertNull(next.get("operations", key(1)));
    assertArrayEquals("value 2".getBytes(StandardCharsets.UTF_8), next.get("operations", key(2)));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("migdiff: warning: cache entry "), warnings.get(0));
    assertFalse(Files.exists(one));
    assertFalse(Files.exists(two));
  }

  @Test
  void everyDamageToAnEntryIsAMiss() throws IOException {
    Path root = tmp.resolve("v1-x");
    ObjectStore s = store(root, 1 << 20);
    byte[] value = "a value of some length".getBytes(StandardCharsets.UTF_8);
    s.put("operations", key(0), value);
    s.put("operations", key(1), new byte[0]);
    Path file = entry(root, "operations", key(0));
    byte[] good = Files.readAllBytes(file);
    assertArrayEquals(new byte[0], store(root, 1 << 20).get("operations", key(1)));
    List<byte[]> damaged = new ArrayList<>();
    for (int cut = 0; cut < good.length; cut++) {
      damaged.add(java.util.Arrays.copyOf(good, cut)); // torn: header, value or both cut short
    }
    damaged.add(java.util.Arrays.copyOf(good, good.length + 1)); // a byte more
    for (int at : new int[] {0, 5, 10, 14, 20}) {
      byte[] flipped = good.clone();
      flipped[at] ^= 0x40; // magic, layout, length, CRC, value
      damaged.add(flipped);
    }
    for (byte[] d : damaged) {
      Files.write(file, d);
      assertNull(store(root, 1 << 20).get("operations", key(0)), d.length + " bytes");
    }
    Files.deleteIfExists(file);
    Files.createDirectories(file); // a directory where the entry should be
    assertNull(store(root, 1 << 20).get("operations", key(0)));
    Files.delete(file);
    Files.write(file, good);
    assertArrayEquals(value, store(root, 1 << 20).get("operations", key(0)));
  }

  @Test
  void aStoreThatCannotBeWrittenNeverFails() throws IOException {
    Path file = tmp.resolve("file");
    Files.writeString(file, "not a directory");
    ObjectStore s = store(file.resolve("v1-x"), 1 << 20);
    s.put("migrations", key(1), new byte[] {1});
    assertNull(s.get("migrations", key(1)));
    s.finish();
    assertEquals(List.of(), warnings);
  }

  @Test
  void theSizeBoundDeletesTheLeastRecentlyUsedEntries() throws IOException {
    Path root = tmp.resolve("v1-x");
    ObjectStore s = store(root, 10_000);
    byte[] kb = new byte[1000];
    long old = System.currentTimeMillis() - 10 * 3600_000L;
    for (int i = 0; i < 30; i++) {
      s.put("operations", key(i), kb);
      Files.setLastModifiedTime(entry(root, "operations", key(i)), FileTime.fromMillis(old + i * 60_000L));
    }
    // entry 0 is the oldest written, but used now: it stays
    assertArrayEquals(kb, store(root, 10_000).get("operations", key(0)));
    s.finish();
    long bytes = 0;
    try (Stream<Path> files = Files.walk(root.resolve("operations"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(f);
      }
    }
    assertTrue(bytes <= 8_000, bytes + " bytes left");
    assertTrue(Files.exists(entry(root, "operations", key(0))), "recently used");
    assertTrue(Files.exists(entry(root, "operations", key(29))), "newest");
    assertFalse(Files.exists(entry(root, "operations", key(1))), "least recently used");
    assertEquals(Long.toString(bytes), Files.readString(root.resolve("usage")));
  }

  @Test
  void theRunningTotalIsExactAfterAFirstRunAndCountedAgainWhenLost() throws IOException {
    Path root = tmp.resolve("v1-x");
    ObjectStore first = store(root, 1 << 20);
    first.put("operations", key(1), value(1));
    first.put("migrations", key(2), value(2));
    first.finish(); // a new directory: the total is what this run wrote, not listed
    assertEquals(Long.toString(bytesUnder(root)), Files.readString(root.resolve("usage")));
    Files.delete(root.resolve("usage"));
    ObjectStore later = store(root, 1 << 20);
    later.put("operations", key(3), value(3));
    later.finish(); // the total was lost: counted again, with the first run's entries
    assertEquals(Long.toString(bytesUnder(root)), Files.readString(root.resolve("usage")));
    assertEquals(3 * 50_000 + 1 + 2 + 3 + 3 * 16, bytesUnder(root));
  }

  private static long bytesUnder(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      long n = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        n += f.getFileName().toString().equals("usage") ? 0 : Files.size(f);
      }
      return n;
    }
  }

  @Test
  void concurrentRunsSeeWholeEntriesOrNone() throws Exception {
    Path root = tmp.resolve("v1-x");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          ObjectStore s = store(root, 1 << 30);
          int bad = 0;
          for (int round = 0; round < 200; round++) {
            String k = key(round % 10);
            byte[] v = value(round % 10);
            byte[] got = s.get("migrations", k);
            if (got != null && !java.util.Arrays.equals(got, v)) {
              bad++;
            }
            s.put("migrations", k, v);
          }
          s.finish();
          return bad;
        }));
      }
      for (Future<Integer> r : runs) {
        assertEquals(0, r.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(List.of(), warnings);
    try (Stream<Path> files = Files.walk(root)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".tmp-"))
          .toList(), "no temporary file left behind");
    }
  }

  private static byte[] value(int i) {
    byte[] v = new byte[50_000 + i];
    java.util.Arrays.fill(v, (byte) i);
    return v;
  }

  @Test
  void clearDeletesOnlyVersionDirectories() throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "mine");
    store(CacheLocation.root(tmp), 1 << 20).put("migrations", key(1), new byte[] {1});
    store(tmp.resolve("v1-0.0.1"), 1 << 20).put("migrations", key(1), new byte[] {1, 2});
    assertEquals(2, Pruning.usage(tmp).size());
    assertTrue(Pruning.clear(tmp) > 0);
    assertEquals(List.of(), Pruning.usage(tmp));
    assertEquals("mine", Files.readString(tmp.resolve("notes.txt")));
  }

  @Test
  void theLocationFollowsTheEnvironment() {
    assertEquals(Path.of("/c/d"), CacheLocation.base(Map.of("MIGDIFF_CACHE_DIR", "/c/d",
        "XDG_CACHE_HOME", "/x", "HOME", "/h")).orElseThrow());
    assertEquals(Path.of("/x/migdiff"), CacheLocation.base(Map.of("XDG_CACHE_HOME", "/x",
        "HOME", "/h")).orElseThrow());
    assertEquals(Path.of("/h/.cache/migdiff"), CacheLocation.base(Map.of("HOME", "/h")).orElseThrow());
    assertTrue(CacheLocation.base(Map.of("HOME", "/h", "MIGDIFF_CACHE", "off")).isEmpty());
    assertTrue(CacheLocation.base(Map.of()).isEmpty(), "no location, no cache");
    assertEquals(200L << 20, CacheLocation.maxBytes(Map.of()));
    assertEquals(5L << 20, CacheLocation.maxBytes(Map.of("MIGDIFF_CACHE_SIZE", "5")));
    assertTrue(CacheLocation.root(Path.of("/c")).getFileName().toString().startsWith("v1-"));
  }

  private static Path entry(Path root, String kind, String key) {
    return root.resolve(kind).resolve(key.substring(0, 2)).resolve(key.substring(2));
  }
}
