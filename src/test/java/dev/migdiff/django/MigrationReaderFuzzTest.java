package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.migdiff.graph.AppSets;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.python.PythonParser;
import dev.migdiff.testing.Bounded;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.MapSourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Coverage-guided fuzzing (Jazzer) of the migration reader, alone and inside a whole project
 * (settings, discovery, graph): any bytes as a migration file give a migration or findings, never
 * an exception or a hang (over 5 s). Without {@code JAZZER_FUZZ} each method replays its saved corpus.
 */
class MigrationReaderFuzzTest {
  private static final MigrationKey KEY = new MigrationKey("blog", "0002_fuzz");
  private static final String PATH = "blog/migrations/0002_fuzz.py";

  @FuzzTest(maxDuration = "60s")
  void read(byte[] source) {
    Bounded.run(() -> readOnce(source));
  }

  private static void readOnce(byte[] source) {
    MigrationReader.Result r = new MigrationReader(s -> null)
        .read(KEY, PATH, "0000", PythonParser.parse(source));
    assertNotNull(r.problems());
    assertTrue(r.migration() != null || !r.problems().isEmpty(), "no migration and no finding");
    r.problems().forEach(p -> assertNotNull(p.code()));
  }

  @FuzzTest(maxDuration = "60s")
  void loadProject(byte[] source) {
    Bounded.run(() -> loadOnce(source));
  }

  private static void loadOnce(byte[] source) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    put(files, "manage.py", Django.MANAGE_PY);
    put(files, "mysite/__init__.py", "");
    put(files, "mysite/settings.py", Django.settings(List.of("blog", "shop"), ""));
    for (String app : List.of("blog", "shop")) {
      put(files, app + "/__init__.py", "");
      put(files, app + "/migrations/__init__.py", "");
    }
    put(files, "blog/migrations/0001_initial.py", Django.migration(""));
    put(files, "shop/migrations/0001_initial.py", Django.migration("(\"blog\", \"0002_fuzz\")"));
    files.put(PATH, source);
    DjangoProject project = ProjectLoader.load(new MapSourceTree(files), DjangoConfig.DEFAULT);
    Set<String> labels = new HashSet<>();
    project.apps().forEach(a -> labels.add(a.label()));
    assertNotNull(GraphBuilder.build(project.migrations(),
        new AppSets(labels, new HashSet<>(), new HashSet<>(), false)).graph());
  }

  private static void put(Map<String, byte[]> files, String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
  }
}
