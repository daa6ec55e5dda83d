package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.migdiff.python.PythonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The migration reader on files whose shape real projects use (found by the history sweeps). */
class MigrationReaderTest {
  private static MigrationReader.Result read(String source) {
    return new MigrationReader(s -> null).read(new MigrationKey("product", "0103_x"),
        "product/migrations/0103_x.py", "0", PythonParser.parse(source));
  }

  /** saleor product/0103: {@code operations = (A + B)} over module-level lists of operations. */
  @Test
  void operationsConcatenatedFromModuleLevelLists() {
    MigrationReader.Result r = read("""
        from django.db import migrations, models

        SLUGS = [
            migrations.AlterField(model_name="producttype", name="slug", field=models.SlugField()),
        ]
        FIELDS = [
            migrations.AddField(model_name="attribute", name="x", field=models.IntegerField()),
            migrations.RemoveField(model_name="attribute", name="y"),
        ]


        class Migration(migrations.Migration):
            dependencies = [("product", "0102_x")]

            operations = (SLUGS + FIELDS + [migrations.RunSQL("SELECT 1")] + [*SLUGS])

        SLUGS = []
        """);
    assertEquals(List.of(), r.problems());
    assertEquals(5, r.migration().operations().size());
  }

  @Test
  void operationsFromUnknownOrChangedNamesAreStillReported() {
    for (String ops : List.of("make_operations()", "IMPORTED + LOCAL", "CHANGED", "LOCAL * 2")) {
      MigrationReader.Result r = read("from django.db import migrations\n"
          + "from .shared import IMPORTED\nLOCAL = [migrations.RunSQL('x')]\n"
          + "CHANGED = [migrations.RunSQL('x')]\nCHANGED += [migrations.RunSQL('y')]\n"
          + "class Migration(migrations.Migration):\n    operations = " + ops + "\n");
      assertEquals(List.of("non-static-value"), r.problems().stream().map(Problem::code).toList(), ops);
      assertEquals(0, r.migration().operations().size(), ops);
    }
    assertNull(read("Migration = 1\n").migration());
  }
}
