package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole golden suite with the cache on: every case runs with an empty cache (cold), again
 * with what that run stored (warm), and again after every stored entry was damaged (truncated,
 * overwritten with noise, or a well-formed entry with a nonsense value); each run must print
 * exactly the golden file, the damaged run at most one cache warning more on stderr.
 */
class CachedGoldenCliTest {
  @TempDir static Path tmp;

  private static final Map<String, Path> BUILT = new HashMap<>();
  private static final String WARNING = "migdiff: warning: ";

  @TestFactory
  Stream<DynamicTest> goldensColdWarmAndCorrupted() {
    // doctor names the cache directory it would use: its golden output is for no cache at all.
    return CliCases.all().stream().filter(c -> !c.args().contains("doctor"))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(CliCases.Case c) throws IOException {
    Path repo = GoldenCliTest.built(BUILT, tmp, c);
    String golden = Files.readString(GoldenCliTest.GOLDEN.resolve(c.name() + ".txt"));
    Path cache = Files.createTempDirectory(tmp, "cache-" + c.name());
    Map<String, String> env = Map.of("MIGDIFF_CACHE_DIR", cache.toString());
    assertEquals(golden, GoldenCliTest.run(repo, c.args(), env), "cold " + c.name());
    assertEquals(golden, GoldenCliTest.run(repo, c.args(), env), "warm " + c.name());
    int damaged = damage(cache, new Random(c.name().hashCode()));
    String corrupted = GoldenCliTest.run(repo, c.args(), env);
    List<String> warnings = corrupted.lines().filter(l -> l.startsWith(WARNING + "cache entry"))
        .toList();
    assertTrue(warnings.size() <= 1, "one warning at most: " + warnings);
    assertTrue(damaged > 0 || warnings.isEmpty());
    String withoutWarning = warnings.isEmpty() ? corrupted
        : corrupted.replace(warnings.get(0) + "\n", "");
    assertEquals(golden, withoutWarning, "corrupted " + c.name());
    // and what the damaged run stored again is read as well as the first time
    assertEquals(golden, GoldenCliTest.run(repo, c.args(), env), "repaired " + c.name());
  }

  /** Damages every entry in the cache; returns how many. */
  static int damage(Path cache, Random random) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(cache)) {
      files.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().equals("usage"))
          .sorted().forEach(entries::add);
    }
    int i = 0;
    for (Path f : entries) {
      byte[] bytes = Files.readAllBytes(f);
      switch (i++ % 3) {
        case 0 -> Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        case 1 -> {
          random.nextBytes(bytes);
          Files.write(f, bytes);
        }
        default -> {
          // a well-formed entry (magic, layout, length, checksum) whose value is noise
          byte[] value = new byte[Math.max(1, bytes.length - 16)];
          random.nextBytes(value);
          CRC32 crc = new CRC32();
          crc.update(value);
          Files.write(f, ByteBuffer.allocate(16 + value.length).putInt(0x4d474443).putInt(1)
              .putInt(value.length).putInt((int) crc.getValue()).put(value).array());
        }
      }
    }
    return entries.size();
  }

  /**
   * A warm run of the everyday commands reads no Git object: with every object deleted after the
   * cold run (refs kept), the warm run still prints the golden file; without the cache, the same
   * repository fails (so the objects are really gone). Everything it needs is kept by object id.
   */
  @TestFactory
  Stream<DynamicTest> aWarmRunReadsNoGitObject() {
    List<String> names = List.of("fork-text", "fork-json", "linear-json", "diff-fork-text",
        "diff-fork-json", "pyproject-config", "settings-package", "squash-text", "cross-app-json",
        "labels-text");
    List<CliCases.Case> cases = CliCases.all().stream().filter(c -> names.contains(c.name()))
        .toList();
    assertEquals(names.size(), cases.size(), "every named case exists");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      Path repo = Files.createTempDirectory(tmp, "objects-gone-" + c.name());
      c.scenario().build().accept(repo);
      String golden = Files.readString(GoldenCliTest.GOLDEN.resolve(c.name() + ".txt"));
      Path cache = Files.createTempDirectory(tmp, "cache-objects-" + c.name());
      Map<String, String> env = Map.of("MIGDIFF_CACHE_DIR", cache.toString());
      assertEquals(golden, GoldenCliTest.run(repo, c.args(), env), "cold " + c.name());
      try (Stream<Path> files = Files.walk(repo.resolve(".git/objects"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Files.delete(f);
        }
      }
      assertTrue(!golden.equals(GoldenCliTest.run(repo, c.args())), "the objects are gone");
      assertEquals(golden, GoldenCliTest.run(repo, c.args(), env), "warm " + c.name());
    }));
  }

  /**
   * The merge's reading of a migrations directory both sides changed (a merged tree's, which has
   * no tree id) is kept between runs by its entries' ids: a warm comparison reads no Git object
   * even when FROM's migrations consulted a setting, so that the later readings of the run are
   * keyed apart from FROM's and the merge cannot take FROM's files from them (saleor's
   * {@code main 3.22} read and parsed 81 migrations on every warm run before).
   */
  @Test
  void aWarmRunReadsNoGitObjectForADirectoryBothSidesChanged() throws IOException {
    Path repo = tmp.resolve("both-sides-changed");
    try (dev.migdiff.testing.RepoBuilder r = dev.migdiff.testing.RepoBuilder.init(repo)) {
      dev.migdiff.testing.Django.project(r, List.of("blog"), "BLOG_USER = \"auth.User\"\n");
      r.file("blog/migrations/0001_initial.py",
          dev.migdiff.testing.Django.migration("(\"auth\", \"__first__\")"));
      r.commit("initial");
      r.tag("base");
      r.branch("ours");
      r.file("blog/migrations/0002_ours.py", dev.migdiff.testing.Django.migration(
          "(\"blog\", \"0001_initial\"), migrations.swappable_dependency(settings.BLOG_USER)")
          .replace("from django.db", "from django.conf import settings\nfrom django.db"));
      r.commit("ours: a migration that consults a setting");
      r.checkout("base");
      r.branch("theirs");
      r.file("blog/migrations/0002_theirs.py",
          dev.migdiff.testing.Django.migration("(\"blog\", \"0001_initial\")"));
      r.commit("theirs");
    }
    List<String> args = List.of("ours", "theirs", "--format", "json");
    String uncached = GoldenCliTest.run(repo, args);
    assertTrue(uncached.contains("0002_ours") && uncached.contains("0002_theirs"), uncached);
    Path cache = Files.createTempDirectory(tmp, "cache-both-sides");
    Map<String, String> env = Map.of("MIGDIFF_CACHE_DIR", cache.toString());
    assertEquals(uncached, GoldenCliTest.run(repo, args, env), "cold");
    try (Stream<Path> files = Files.walk(repo.resolve(".git/objects"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.delete(f);
      }
    }
    assertEquals(uncached, GoldenCliTest.run(repo, args, env), "warm, with every object gone");
  }

  @Test
  void aCacheThatCannotBeWrittenChangesNothing() throws IOException {
    CliCases.Case c = CliCases.all().get(0);
    Path repo = tmp.resolve("readonly-" + c.scenario().name());
    c.scenario().build().accept(repo);
    Path file = tmp.resolve("not-a-directory");
    Files.writeString(file, "x");
    String golden = Files.readString(GoldenCliTest.GOLDEN.resolve(c.name() + ".txt"));
    assertEquals(golden, GoldenCliTest.run(repo, c.args(), Map.of("MIGDIFF_CACHE_DIR",
        file.resolve("cache").toString())));
  }
}
