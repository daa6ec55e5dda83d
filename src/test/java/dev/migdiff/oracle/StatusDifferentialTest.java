package dev.migdiff.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.testing.DjangoOracle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migdiff status} against real Django on SQLite files: Django's default
 * {@code db.sqlite3} next to manage.py, found by migdiff by itself. See {@link StatusScenarios}.
 */
class StatusDifferentialTest {
  static final int SCENARIOS = Integer.getInteger("migdiff.statusScenarios", 40);
  /** Under Django 5.2 (a second run of the same scenarios, within the CI's time budget). */
  static final int SCENARIOS_52 = Integer.getInteger("migdiff.statusScenarios52", 20);

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.migdiff.testing.DjangoOracle#versions")
  void statusMatchesDjangoOnSqlite(DjangoOracle.Version v) throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(v), v + " not installed");
    int scenarios = v.equals(DjangoOracle.DJANGO_32) ? SCENARIOS : SCENARIOS_52;
    StatusScenarios.Target sqlite = new StatusScenarios.Target() {
      @Override
      public String database(Path dir, long seed) {
        return dir.resolve("db.sqlite3").toString();
      }

      @Override
      public List<String> migdiffArgs(String database) {
        return List.of();
      }
    };
    // Two runs side by side, each with its own oracle, taking every other seed: a scenario waits
    // for the clock's next second twice (reflog times are whole seconds), so one thread alone
    // leaves the machine idle half the time.
    ExecutorService second = Executors.newSingleThreadExecutor();
    try (StatusScenarios s = new StatusScenarios(v, Map.of());
        StatusScenarios odd = new StatusScenarios(v, Map.of())) {
      // -Dmigdiff.statusKeep=DIR keeps the scenario repositories there, for debugging.
      Path base = System.getProperty("migdiff.statusKeep") != null
          ? Path.of(System.getProperty("migdiff.statusKeep")) : tmp;
      long first = Long.getLong("migdiff.statusFirst", 1);
      Future<?> others = second.submit(() -> {
        for (long seed = first + 1; seed < first + scenarios; seed += 2) {
          odd.run(seed, base.resolve(v.version() + "-s" + seed), sqlite);
        }
        return null;
      });
      for (long seed = first; seed < first + scenarios; seed += 2) {
        s.run(seed, base.resolve(v.version() + "-s" + seed), sqlite);
      }
      others.get();
      s.add(odd);
      System.out.println("status differential (SQLite, " + v + "): "
          + (scenarios - s.mismatches.size()) + " of " + scenarios + " agree; " + s.summary());
      assertTrue(s.compared >= scenarios * 3 / 4, "too few compared: " + s.summary());
      assertTrue(s.phantoms > 0 && s.fixesRun > 0, "no phantom exercised: " + s.summary());
      if (!s.mismatches.isEmpty()) {
        fail(s.mismatches.size() + " scenarios differ from " + v + ":\n"
            + String.join("\n", s.mismatches));
      }
    } finally {
      second.shutdownNow();
    }
  }
}
