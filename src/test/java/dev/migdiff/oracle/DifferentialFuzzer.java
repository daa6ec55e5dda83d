package dev.migdiff.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.DjangoOracle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running differential fuzzer ({@code scripts/differential --minutes N}): until the time
 * is up, generates batches of random scenarios from every generator with fresh seeds, checks the
 * graph (all kinds) and the merge preview and switch plan (two-branch scenarios) against real
 * Django, and on a disagreement saves the scenario under target/differential/failures/, shrinks
 * it (greedy delta debugging over apps, migrations, branch changes, lines, dependency tuples and
 * operations; bounded in attempts and time) and writes the smallest failing case to
 * src/test/resources/differential-regressions/NAME/, which {@link DifferentialRegressionTest}
 * replays on every {@code mvn test}.
 *
 * <p>Runs only with {@code -Dmigdiff.fuzzMinutes=N}; {@code -Dmigdiff.fuzzSeed=S} fixes the base
 * seed (scenario i gets seed S+i), otherwise it comes from the clock and is printed.
 */
class DifferentialFuzzer {
  static final Path REGRESSIONS = Path.of("src/test/resources/differential-regressions");
  static final Path FAILURES = Path.of("target/differential/failures");
  /** Generator kinds and their weights in the random choice. */
  static final Map<String, Integer> KINDS = new LinkedHashMap<>(Map.of(
      "graph", 3, "model", 3, "layout", 2, "switch", 3));
  static final int BATCH = Integer.getInteger("migdiff.fuzzBatch", 8);
  static final int SHRINK_ATTEMPTS = Integer.getInteger("migdiff.shrinkAttempts", 600);
  static final long SHRINK_MILLIS = Long.getLong("migdiff.shrinkSeconds", 420) * 1000;
  static final int MAX_SHRINKS = Integer.getInteger("migdiff.maxShrinks", 6);

  @TempDir Path tmp;

  private final Map<String, Integer> scenarios = new TreeMap<>();
  private final Map<String, Integer> agreements = new TreeMap<>();
  private final Map<String, Integer> disagreements = new TreeMap<>();
  private final Map<String, String> saved = new LinkedHashMap<>();
  private final List<String> log = new ArrayList<>();

  /**
   * {@code -Dmigdiff.shrinkCase=DIR}: checks a saved case (a regression input or an unshrunk one
   * under target/differential/failures/) again and, if it still disagrees, shrinks it anew.
   */
  @Test
  @EnabledIfSystemProperty(named = "migdiff.shrinkCase", matches = ".+")
  void shrinkSaved() throws Exception {
    assertTrue(DjangoOracle.available(), "Django is needed");
    DifferentialCase c = DifferentialCase.load(Path.of(System.getProperty("migdiff.shrinkCase")));
    String diff = DifferentialCase.check(List.of(c), tmp).get(0);
    if (diff == null) {
      say("differential: " + System.getProperty("migdiff.shrinkCase") + " agrees with Django now");
    } else {
      found(c, diff);
    }
    for (Map.Entry<String, String> e : saved.entrySet()) {
      say("differential: saved " + e.getKey() + "  <- " + e.getValue());
    }
    say("differential: done");
  }

  @Test
  @EnabledIfSystemProperty(named = "migdiff.fuzzMinutes", matches = "\\d+(\\.\\d+)?")
  void fuzz() throws Exception {
    assertTrue(DjangoOracle.available(), "Django is needed");
    double minutes = Double.parseDouble(System.getProperty("migdiff.fuzzMinutes"));
    long base = Long.getLong("migdiff.fuzzSeed", System.currentTimeMillis() * 1000
        + (System.nanoTime() % 1000 + 1000) % 1000);
    long deadline = System.currentTimeMillis() + (long) (minutes * 60_000);
    say("differential: start " + Instant.now() + ", " + minutes + " minutes, base seed " + base
        + " (rerun with --seed " + base + ")");
    Random pick = new Random(base);
    long next = base;
    int batches = 0;
    while (System.currentTimeMillis() < deadline) {
      List<DifferentialCase> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        String kind = pickKind(pick);
        long seed = next++;
        try {
          batch.add(DifferentialCase.generate(kind, seed, tmp));
        } catch (RuntimeException | StackOverflowError e) {
          disagreements.merge(kind, 1, Integer::sum);
          scenarios.merge(kind, 1, Integer::sum);
          say("differential: GENERATOR FAILED " + kind + " seed " + seed + ": " + e);
        }
      }
      List<String> results;
      try {
        results = DifferentialCase.check(batch, tmp);
      } catch (Exception | AssertionError e) {
        say("differential: batch from seed " + batch.get(0).seed() + " not checked: " + e);
        continue;
      }
      for (int i = 0; i < batch.size(); i++) {
        DifferentialCase c = batch.get(i);
        scenarios.merge(c.kind(), 1, Integer::sum);
        if (results.get(i) == null) {
          agreements.merge(c.kind(), 1, Integer::sum);
        } else {
          disagreements.merge(c.kind(), 1, Integer::sum);
          found(c, results.get(i));
        }
      }
      if (++batches % 10 == 0) {
        say("differential: " + Instant.now() + " scenarios " + scenarios + ", disagreements "
            + disagreements);
      }
    }
    say("differential: done " + Instant.now() + ", base seed " + base);
    say("differential: scenarios per kind " + scenarios + ", total "
        + scenarios.values().stream().mapToInt(Integer::intValue).sum());
    say("differential: agreements " + agreements + ", disagreements " + disagreements);
    for (Map.Entry<String, String> e : saved.entrySet()) {
      say("differential: saved " + e.getKey() + "  <- " + e.getValue());
    }
    Files.createDirectories(FAILURES.getParent());
    Files.write(FAILURES.getParent().resolve("summary.txt"), log, StandardCharsets.UTF_8);
  }

  private String pickKind(Random r) {
    int total = KINDS.values().stream().mapToInt(Integer::intValue).sum();
    int x = r.nextInt(total);
    for (Map.Entry<String, Integer> e : KINDS.entrySet()) {
      x -= e.getValue();
      if (x < 0) {
        return e.getKey();
      }
    }
    throw new AssertionError();
  }

  private void found(DifferentialCase c, String disagreement) throws Exception {
    String signature = DifferentialCase.signature(disagreement);
    String name = c.kind() + "-" + c.seed();
    say("differential: DISAGREEMENT " + name + ": " + abbreviate(disagreement));
    if (System.getProperty("migdiff.shrinkCase") == null) {
      c.save(FAILURES.resolve(name), disagreement, "open");
    }
    boolean known = saved.values().stream().anyMatch(s -> s.equals(signature));
    if (known || saved.size() >= MAX_SHRINKS) {
      say("differential:   (signature '" + signature + "' already shrunk in this run: kept as "
          + FAILURES.resolve(name) + ")");
      return;
    }
    DifferentialCase.Shrunk small = DifferentialCase.shrink(c, disagreement,
        group -> DifferentialCase.check(group, tmp), BATCH, SHRINK_ATTEMPTS,
        System.currentTimeMillis() + SHRINK_MILLIS);
    Path dir = REGRESSIONS.resolve(name);
    DifferentialCase.delete(dir);
    small.shrunk().save(dir, small.disagreement(), "open");
    saved.put(dir.toString(), signature);
    int files = small.shrunk().snapshots().values().stream().mapToInt(Map::size).sum();
    say("differential:   shrunk in " + small.attempts() + " attempts (" + small.steps()
        + " steps kept) to " + files + " files (" + small.shrunk().size() + " size units, from "
        + c.size() + "): " + dir + ": " + abbreviate(small.disagreement()));
  }

  private static String abbreviate(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "…";
  }

  private void say(String line) {
    System.out.println(line);
    System.out.flush();
    log.add(line);
  }
}
