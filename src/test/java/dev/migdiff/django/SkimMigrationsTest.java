package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.python.Module;
import dev.migdiff.testing.MapSourceTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Skimming many files at once, in parallel batches, answers as skimming them one by one. */
class SkimMigrationsTest {
  @Test
  void batchesAnswerLikeOneByOneInOrder() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      String name = String.format("shop/migrations/%04d_m.py", i);
      files.put(name, i % 7 == 3
          ? "class Migration(migrations.Migration:\n    pass\n" // broken: a finding, not a failure
          : "from django.db import migrations\n\nclass Migration(migrations.Migration):\n"
              + "    dependencies = [('shop', '" + String.format("%04d_m", Math.max(0, i - 1))
              + "')]\n    operations = [migrations.RunSQL('" + "x".repeat(i) + "')]\n");
    }
    MapSourceTree tree = MapSourceTree.of(files);
    SourceFiles source = new SourceFiles(tree, List.of(""), new java.util.HashMap<>());
    List<SourceTree.Entry> entries = tree.list("shop/migrations");
    assertEquals(300, entries.size());
    List<Integer> progress = new ArrayList<>();
    List<Module> all = source.skimMigrations(entries, progress::add);
    assertEquals(List.of(128, 256, 300), progress);
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(source.skimMigration(entries.get(i)), all.get(i), entries.get(i).name());
    }
  }
}
