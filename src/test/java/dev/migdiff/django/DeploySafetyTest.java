package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.python.PythonParser;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deploy safety on single migrations: each operation that breaks old code, and as many that
 * must be left alone. The model "item" already has code (CharField(max_length=50)),
 * note (TextField(null=True)) and qty (IntegerField()).
 */
class DeploySafetyTest {
  private static final String EXISTING = """
      migrations.CreateModel("Item", fields=[
          ("id", models.AutoField(primary_key=True)),
          ("code", models.CharField(max_length=50)),
          ("note", models.TextField(null=True)),
          ("qty", models.IntegerField()),
      ])""";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // unsafe for old code
      "migrations.RemoveField('item', 'code')|unsafe remove-field",
      "migrations.DeleteModel('Item')|unsafe delete-model",
      "migrations.RenameField('item', 'code', 'sku')|unsafe rename-field",
      "migrations.RenameModel('Item', 'Product')|unsafe rename-model",
      "migrations.AlterModelTable('item', 'shop_product')|unsafe rename-table",
      "migrations.AddField('item', 'size', models.IntegerField())|unsafe add-field-not-null",
      "migrations.AddField(model_name='item', name='o', field=models.ForeignKey('x.Y', on_delete=models.CASCADE))|unsafe add-field-not-null",
      "migrations.AlterField('item', 'qty', models.CharField(max_length=10))|unsafe alter-field-type",
      "migrations.AlterField('item', 'code', models.CharField(max_length=20))|unsafe alter-field-narrows",
      "migrations.AlterField('item', 'note', models.TextField())|unsafe alter-field-not-null",
      "migrations.SeparateDatabaseAndState(database_operations=[migrations.RemoveField('item', 'code')])|unsafe remove-field",
      // old code keeps working, but look
      "migrations.AddField('item', 'size', models.IntegerField(default=0))|caution add-field-python-default",
      "migrations.AddConstraint('item', models.UniqueConstraint(fields=['code'], name='u'))|caution add-constraint",
      "migrations.AlterUniqueTogether('item', {('code', 'qty')})|caution add-constraint",
      "migrations.AddIndex('item', models.Index(fields=['code'], name='i'))|caution add-index-locks",
      "migrations.RunPython(forwards, migrations.RunPython.noop)|caution run-python",
      "migrations.RunSQL('UPDATE shop_item SET qty = 0')|caution run-sql",
      "myapp.ops.Backfill()|caution unknown-operation",
      // safe: left alone
      "migrations.AddField('item', 'size', models.IntegerField(null=True))|",
      "migrations.AddField('item', 'size', models.IntegerField(db_default=0))|",
      "migrations.AddField('item', 'tags', models.ManyToManyField('shop.Tag'))|",
      "migrations.CreateModel('Tag', fields=[('id', models.AutoField(primary_key=True))])|",
      "migrations.RemoveConstraint('item', 'u')|",
      "migrations.RemoveIndex('item', 'i')|",
      "migrations.AddIndexConcurrently('item', models.Index(fields=['code'], name='i'))|",
      "migrations.AlterField('item', 'code', models.CharField(max_length=80))|",
      "migrations.AlterField('item', 'qty', models.IntegerField(null=True))|",
      "migrations.AlterField('item', 'code', models.CharField(max_length=50, help_text='x'))|",
      "migrations.AlterModelOptions('item', {'ordering': ['code']})|",
      "migrations.AlterModelTableComment('item', 'items')|",
      "migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField('item', 'code')])|",
      "migrations.AlterField('unknown', 'x', models.IntegerField())|",
  })
  void classifies(String operation, String expected) {
    List<DeployFinding> found = run(operation);
    String got = String.join(",", found.stream().map(f -> f.level().label() + " " + f.code()).toList());
    assertEquals(expected == null ? "" : expected, got);
  }

  @org.junit.jupiter.api.Test
  void findingsCarryTheOperationsPositionAndTheFieldStateFollowsTheMigration() {
    List<DeployFinding> found = run("migrations.RenameField('item', 'qty', 'amount'),\n"
        + "        migrations.AlterField('item', 'amount', models.CharField(max_length=5))");
    assertEquals(2, found.size());
    assertEquals("rename-field", found.get(0).code());
    assertEquals(9, found.get(0).pos().line());
    assertEquals(9, found.get(0).pos().column());
    assertEquals("alter-field-type", found.get(1).code());
    assertEquals(10, found.get(1).pos().line());
    assertEquals("AlterField item.amount: IntegerField to CharField rewrites the table under a "
        + "lock, and old code reads and writes the old type", found.get(1).message());
  }

  private static List<DeployFinding> run(String operations) {
    FieldState state = new FieldState();
    Migration initial = read("0001_initial", EXISTING);
    state.apply(initial);
    return DeploySafety.of(read("0002_change", operations), state);
  }

  private static Migration read(String name, String operations) {
    String source = "from django.db import migrations, models\n\n\n"
        + "class Migration(migrations.Migration):\n\n"
        + "    dependencies = []\n\n"
        + "    operations = [\n        " + operations + ",\n    ]\n";
    MigrationReader.Result r = new MigrationReader(s -> null).read(new MigrationKey("shop", name),
        "shop/migrations/" + name + ".py", "0", PythonParser.parse(source));
    assertEquals(List.of(), r.problems());
    return r.migration();
  }
}
