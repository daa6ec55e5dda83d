package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stored {@code [tool.migdiff]} reading must carry every field of {@link MigdiffConfig}: a field
 * the codec forgets is silently dropped on every warm run (source-roots was, once; the golden
 * case discovery-source-roots-config then read the wrong directory from the second run on).
 */
class StoredPyprojectTest {
  @Test
  void everyFieldOfTheConfigurationSurvivesTheRoundTrip() throws Exception {
    MigdiffConfig full = new MigdiffConfig("backend", "core.settings", Map.of("apps.catalog",
        "products"), Map.of("legacy", "legacy.db_migrations"), "accounts.User", "4.2",
        "uv run manage.py", List.of("src", "lib"), Map.of("USE_EMAIL_USER_MODEL", "1"));
    for (RecordComponent c : MigdiffConfig.class.getRecordComponents()) {
      Object v = c.getAccessor().invoke(full);
      assertNotNull(v, "set " + c.getName() + " in this test");
      assertTrue(!(v instanceof Map<?, ?> m) || !m.isEmpty(),
          "set " + c.getName() + " in this test");
    }
    assertEquals(full, StoredPyproject.decode(StoredPyproject.encode(full)));
    MigdiffConfig noRoots = full.withSourceRoots(null);
    assertEquals(noRoots, StoredPyproject.decode(StoredPyproject.encode(noRoots)));
    assertEquals("bad toml", StoredPyproject.decode(StoredPyproject.encode("bad toml")));
  }
}
