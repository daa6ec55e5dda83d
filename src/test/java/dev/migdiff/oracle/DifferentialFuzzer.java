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
@EnabledIfSystemProperty(named = "migdiff.fuzzMinutes", matches = "\\d+(\\.\\d+)?")
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

  @Test
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
    c.save(FAILURES.resolve(name), disagreement, "open");
    boolean known = saved.values().stream().anyMatch(s -> s.equals(signature));
    if (known || saved.size() >= MAX_SHRINKS) {
      say("differential:   (signature '" + signature + "' already shrunk in this run: kept as "
          + FAILURES.resolve(name) + ")");
      return;
    }
    DifferentialCase small = c;
    String smallDiff = disagreement;
    long stop = System.currentTimeMillis() + SHRINK_MILLIS;
    int attempts = 0;
    int from = 0;
    while (attempts < SHRINK_ATTEMPTS && System.currentTimeMillis() < stop) {
      boolean progress = false;
      List<DifferentialCase> steps = small.shrinkSteps();
      for (int at = Math.min(from, steps.size()); !progress && at < steps.size()
          && attempts < SHRINK_ATTEMPTS && System.currentTimeMillis() < stop; at += BATCH) {
        List<DifferentialCase> group = steps.subList(at, Math.min(steps.size(), at + BATCH));
        attempts += group.size();
        List<String> results;
        try {
          results = DifferentialCase.check(group, tmp);
        } catch (Exception | AssertionError e) {
          continue;
        }
        for (int k = 0; k < group.size() && !progress; k++) {
          if (signature.equals(DifferentialCase.signature(results.get(k)))
              && group.get(k).size() < small.size()) {
            small = group.get(k);
            smallDiff = results.get(k);
            from = at + k;
            progress = true;
          }
        }
      }
      if (!progress) {
        if (from == 0) {
          break; // a whole pass removed nothing: the case is minimal for these steps
        }
        from = 0; // one more pass from the coarse steps
      }
    }
    Path dir = REGRESSIONS.resolve(name);
    DifferentialCase.delete(dir);
    small.save(dir, smallDiff, "open");
    saved.put(dir.toString(), signature);
    int files = small.snapshots().values().stream().mapToInt(Map::size).sum();
    say("differential:   shrunk in " + attempts + " attempts to " + files + " files ("
        + small.size() + " size units, from " + c.size() + "): " + dir + ": "
        + abbreviate(smallDiff));
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
