package dev.migdiff.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migdiff status} against real Django on a real PostgreSQL server (started by
 * {@code scripts/test-postgres}), each project migrated by Django through psycopg2 into its own
 * database. See {@link StatusScenarios}.
 */
class PostgresStatusTest {
  static final int SCENARIOS = Integer.getInteger("migdiff.pgScenarios", 15);

  @TempDir Path tmp;

  @Test
  void statusMatchesDjangoOnPostgres() throws Exception {
    Assumptions.assumeTrue(DjangoOracle.available(), "Django not installed");
    PostgresServer pg = PostgresServer.get();
    Assumptions.assumeTrue(pg != null, "PostgreSQL not installed");
    StatusScenarios.Target target = new StatusScenarios.Target() {
      @Override
      public String database(Path dir, long seed) throws Exception {
        String name = "scenario" + seed;
        pg.createDatabase(name);
        return name;
      }

      @Override
      public List<String> migdiffArgs(String database) {
        return List.of("--database", pg.url(database));
      }
    };
    try (StatusScenarios s = new StatusScenarios(Map.of("MIGDIFF_PG", pg.djangoSpec()))) {
      // Seeds beyond the SQLite test's, so the two together cover more projects.
      for (long seed = 1001; seed < 1001 + SCENARIOS; seed++) {
        s.run(seed, tmp.resolve("p" + seed), target);
      }
      System.out.println("status differential (PostgreSQL): " + s.summary());
      assertTrue(s.compared >= SCENARIOS * 3 / 4, "too few compared: " + s.summary());
      assertTrue(s.phantoms > 0, "no phantom exercised: " + s.summary());
      if (!s.mismatches.isEmpty()) {
        fail(s.mismatches.size() + " scenarios differ from Django:\n"
            + String.join("\n", s.mismatches));
      }
    }
  }
}
