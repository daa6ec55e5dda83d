package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.migdiff.django.DeploySafety;
import dev.migdiff.django.FieldState;
import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.MigrationReader;
import dev.migdiff.django.Reversibility;
import dev.migdiff.graph.AppSets;
import dev.migdiff.graph.GraphBuilder;
import dev.migdiff.graph.MigrationGraph;
import dev.migdiff.python.PythonParser;
import dev.migdiff.testing.Bounded;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-pass field states equal {@link Comparison#stateBefore}'s per-migration walks on random
 * histories with branches, merges and cross-app dependencies, where the order of application
 * decides which definition of a field wins.
 */
class AncestorStatesTest {
  private static final List<String> APPS = List.of("shop", "blog");
  /** Model names as migrations spell them (Django lower-cases them): two spellings of one. */
  private static final List<String> MODELS = List.of("'item'", "'Item'", "'other'");

  @Test
  void equalsOneWalkPerMigration() {
    Random seeds = new Random(42);
    for (int i = 0; i < 300; i++) {
      long seed = seeds.nextLong();
      try {
        Bounded.run(() -> check(seed));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + "L: " + e.getMessage(), e);
      }
    }
  }

  private static void check(long seed) {
    Random r = new Random(seed);
    int n = 2 + r.nextInt(40);
    List<Migration> disk = new ArrayList<>();
    List<MigrationKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String app = APPS.get(r.nextInt(4) == 0 ? 1 : 0);
      MigrationKey k = new MigrationKey(app, String.format("%04d_m", i));
      List<String> deps = new ArrayList<>();
      // Mostly a chain in each app (the previous same-app migration), with branches,
      // merges and cross-app dependencies.
      MigrationKey previous = null;
      for (int j = i - 1; j >= 0; j--) {
        if (keys.get(j).app().equals(app)) {
          previous = keys.get(j);
          break;
        }
      }
      if (previous != null && r.nextInt(6) != 0) {
        deps.add(dep(previous));
      }
      int extra = i == 0 ? 0 : (r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0);
      for (int j = 0; j < extra; j++) {
        deps.add(dep(keys.get(r.nextInt(i))));
      }
      StringBuilder ops = new StringBuilder();
      for (int j = 0; j < 1 + r.nextInt(2); j++) {
        String model = MODELS.get(r.nextInt(MODELS.size()));
        String field = "'f" + r.nextInt(3) + "'";
        String type = List.of("IntegerField()", "CharField(max_length=5)", "TextField()",
            "CharField(max_length=9, null=True)").get(r.nextInt(4));
        String op = switch (r.nextInt(8)) {
          case 0, 1 -> "AddField(" + model + ", " + field + ", models." + type + ")";
          case 2, 3 -> "AlterField(" + model + ", " + field + ", models." + type + ")";
          case 4 -> "RemoveField(" + model + ", " + field + ")";
          case 5 -> "RenameField(" + model + ", " + field + ", 'f" + r.nextInt(3) + "')";
          case 6 -> "CreateModel(" + model + ", [(" + field + ", models." + type + ")])";
          default -> "SeparateDatabaseAndState(database_operations=[migrations.AlterField("
              + model + ", " + field + ", models." + type + ")])";
        };
        ops.append("migrations.").append(op).append(",\n        ");
      }
      disk.add(read(k, String.join(", ", deps.stream().distinct().toList()), ops.toString()));
      keys.add(k);
    }
    MigrationGraph g = GraphBuilder.build(disk, new AppSets(Set.copyOf(APPS), Set.of(), Set.of(), true)).graph();
    List<MigrationKey> wanted = new ArrayList<>();
    for (MigrationKey k : keys) {
      if (r.nextInt(3) != 0) {
        wanted.add(k);
      }
    }
    Map<MigrationKey, FieldState> fast = AncestorStates.before(g, wanted);
    assertEquals(Set.copyOf(wanted), fast.keySet());
    Map<String, Set<String>> scope = FieldState.scopeOf(
        wanted.stream().map(g::migration).toList());
    for (MigrationKey k : wanted) {
      FieldState exact = Comparison.stateBefore(g, k);
      for (String model : scope.getOrDefault(k.app(), Set.of())) {
        for (int f = 0; f < 3; f++) {
          assertSame(exact.field(k.app(), model, "f" + f), fast.get(k).field(k.app(), model,
              "f" + f), "field " + model + ".f" + f + " before " + k);
        }
      }
      // what the states are for: the same findings as from the whole state
      Migration m = g.migration(k);
      assertEquals(Reversibility.of(m, exact.copy()), Reversibility.of(m, fast.get(k).copy()),
          "reversals of " + k);
      assertEquals(DeploySafety.of(m, exact.copy()), DeploySafety.of(m, fast.get(k).copy()),
          "deploy findings of " + k);
    }
  }

  private static String dep(MigrationKey k) {
    return "(\"" + k.app() + "\", \"" + k.name() + "\")";
  }

  private static Migration read(MigrationKey k, String deps, String operations) {
    String source = "from django.db import migrations, models\n\n\n"
        + "class Migration(migrations.Migration):\n\n"
        + "    dependencies = [" + deps + "]\n\n"
        + "    operations = [\n        " + operations + "\n    ]\n";
    MigrationReader.Result r = new MigrationReader(s -> null).read(k,
        k.app() + "/migrations/" + k.name() + ".py", "0", PythonParser.parse(source));
    assertEquals(List.of(), r.problems());
    return r.migration();
  }
}
