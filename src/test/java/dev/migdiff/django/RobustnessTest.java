package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.migdiff.graph.AppSets;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.oracle.ScenarioGenerator;
import dev.migdiff.testing.MapSourceTree;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every file of generated projects, and truncated and corrupted copies of each, loads into a
 * project and a graph, or into findings: nothing throws.
 */
class RobustnessTest {
  @Test
  void truncatedAndCorruptedFilesNeverThrow() throws Exception {
    Random r = new Random(7);
    int variants = 0;
    for (long seed = 1; seed <= 40; seed++) {
      Map<String, String> files = ScenarioGenerator.generate(seed).files();
      for (String path : files.keySet()) {
        if (!path.endsWith(".py")) {
          continue;
        }
        byte[] original = files.get(path).getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < 6; k++) {
          byte[] copy;
          if (k < 3) {
            copy = java.util.Arrays.copyOf(original, original.length == 0 ? 0 : r.nextInt(original.length));
          } else {
            copy = original.clone();
            for (int n = 0; n < 1 + r.nextInt(4) && copy.length > 0; n++) {
              copy[r.nextInt(copy.length)] = (byte) r.nextInt(256);
            }
          }
          Map<String, byte[]> tree = new TreeMap<>();
          files.forEach((p, c) -> tree.put(p, c.getBytes(StandardCharsets.UTF_8)));
          tree.put(path, copy);
          DjangoProject project = ProjectLoader.load(new MapSourceTree(tree), DjangoConfig.DEFAULT);
          var labels = new HashSet<String>();
          project.apps().forEach(a -> labels.add(a.label()));
          assertNotNull(GraphBuilder.build(project.migrations(),
              new AppSets(labels, new HashSet<>(), new HashSet<>(), false)).graph());
          variants++;
        }
      }
    }
    assertNotNull(variants > 1000 ? "ok" : null, "too few variants: " + variants);
  }
}
