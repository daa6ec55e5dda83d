package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.migdiff.python.Expr;
import dev.migdiff.python.PythonParser;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What is stored of a reading decodes to exactly what was read: every field, finding, position. */
class MigrationCodecTest {
  private static final String SOURCE = """
      from django.conf import settings
      from django.db import migrations, models
      import django.db.models.deletion

      EXTRA = [migrations.RunSQL("SELECT 'é' || '\\\\ud800'", reverse_sql=migrations.RunSQL.noop)]

      class Migration(migrations.Migration):
          initial = True
          atomic = False
          replaces = [("shop", "0001_a"), ("shop", "0002_b")]
          run_before = [("other", "0001_initial")]
          dependencies = [
              migrations.swappable_dependency(settings.AUTH_USER_MODEL),
              ("shop", "0000_x"),
              ["bad", "list"],
          ]
          operations = [
              migrations.CreateModel(
                  name="Item",
                  fields=[
                      ("id", models.AutoField(primary_key=True)),
                      ("price", models.DecimalField(max_digits=10, decimal_places=2, default=-1.5e3)),
                      ("flags", models.JSONField(default={"a": [1, 2], **{}}, blank=not False)),
                      ("owner", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                          to=settings.AUTH_USER_MODEL, related_name=None)),
                  ],
                  options={"ordering": ("-id",), "abstract": ...},
              ),
              migrations.RunPython(lambda apps, schema: None, b"\\x00bytes"),
              *EXTRA,
              migrations.AddField("item", "tags", models.CharField(choices={1, 2}, max_length=x[0])),
          ]
      """;

  @Test
  void aReadingRoundTrips() throws IOException {
    MigrationReader reader = new MigrationReader(
        name -> name.equals("AUTH_USER_MODEL") ? new PyValue.Str("accounts.User") : null);
    MigrationReader.Result r = reader.read(new MigrationKey("shop", "0003_c"),
        "shop/migrations/0003_c.py", "ab".repeat(20), PythonParser.parse(SOURCE));
    byte[] bytes = MigrationCodec.encodeResults(List.of("AUTH_USER_MODEL"), List.of("accounts.User"),
        List.of(new MigrationCodec.Stored("0003_c.py", "ab".repeat(20), r),
            new MigrationCodec.Stored("0004_d.py", "cd".repeat(20),
                new MigrationReader.Result(null, r.problems()))));
    List<Expr> ops = r.migration().operations();
    MigrationCodec.Decoded d = MigrationCodec.decodeResults(bytes, (k, p, b) -> () -> ops);
    assertEquals(List.of("AUTH_USER_MODEL"), d.settingNames());
    assertEquals(List.of("accounts.User"), d.settingValues());
    Migration m = r.migration();
    Migration back = d.files().get(0).result().migration();
    Supplier<List<Expr>> same = m.operationsSource();
    assertEquals(new Migration(m.key(), m.path(), m.blobId(), m.classPos(), m.dependencies(),
        m.runBefore(), m.replaces(), m.initial(), m.atomic(), same),
        new Migration(back.key(), back.path(), back.blobId(), back.classPos(), back.dependencies(),
            back.runBefore(), back.replaces(), back.initial(), back.atomic(), same));
    assertEquals(r.problems(), d.files().get(0).result().problems());
    assertEquals(1, r.problems().size(), "the list dependency is a finding: " + r.problems());
    assertEquals(null, d.files().get(1).result().migration());
    assertEquals("0004_d.py", d.files().get(1).fileName());

    assertEquals(4, ops.size(), "*EXTRA spliced in");
    assertEquals(ops, MigrationCodec.decodeOperations(MigrationCodec.encodeOperations(ops)));
  }

  @Test
  void decodedValuesEqualToTheExpectedOnesAreTheirInstances() throws IOException {
    MigrationReader reader = new MigrationReader(
        name -> name.equals("AUTH_USER_MODEL") ? new PyValue.Str("accounts.User") : null);
    MigrationKey key = new MigrationKey("shop", "0003_c");
    MigrationReader.Result r = reader.read(key, "shop/migrations/0003_c.py", "ab".repeat(20),
        PythonParser.parse(SOURCE));
    byte[] bytes = MigrationCodec.encodeResults(List.of(), List.of(),
        List.of(new MigrationCodec.Stored("0003_c.py", "ab".repeat(20), r),
            new MigrationCodec.Stored("0004_d.py", "cd".repeat(20), r)));
    record Known(String fileName, String blobId, MigrationKey key, String path)
        implements MigrationCodec.Expected {}
    // fresh copies, as the run's listing holds them; the second file's path is not the stored one
    Known first = new Known(new String("0003_c.py"), new String("ab".repeat(20)),
        new MigrationKey(new String("shop"), new String("0003_c")),
        new String("shop/migrations/0003_c.py"));
    Known second = new Known("0004_d.py", "ef".repeat(20), key, "elsewhere/0003_c.py");
    MigrationCodec.Decoded plain = MigrationCodec.decodeResults(bytes, (k, p, b) -> List::of);
    MigrationCodec.Decoded shared = MigrationCodec.decodeResults(bytes, (k, p, b) -> List::of,
        List.of(first, second));
    for (int i = 0; i < 2; i++) {
      MigrationCodec.Stored a = plain.files().get(i);
      MigrationCodec.Stored b = shared.files().get(i);
      assertEquals(a.fileName(), b.fileName());
      assertEquals(a.blobId(), b.blobId());
      assertEquals(a.result().problems(), b.result().problems());
      Migration x = a.result().migration();
      Migration y = b.result().migration();
      assertEquals(List.of(x.key(), x.path(), x.blobId(), x.classPos(), x.dependencies(),
          x.runBefore(), x.replaces()), List.of(y.key(), y.path(), y.blobId(), y.classPos(),
          y.dependencies(), y.runBefore(), y.replaces()));
    }
    MigrationCodec.Stored one = shared.files().get(0);
    assertSame(first.fileName(), one.fileName());
    assertSame(first.blobId(), one.blobId());
    assertSame(first.blobId(), one.result().migration().blobId());
    assertSame(first.key(), one.result().migration().key());
    assertSame(first.path(), one.result().migration().path());
    MigrationCodec.Stored two = shared.files().get(1);
    assertSame(second.fileName(), two.fileName());
    assertEquals("cd".repeat(20), two.blobId(), "a different blob id is decoded, not taken");
    assertEquals("shop/migrations/0003_c.py", two.result().migration().path());
    assertSame(first.key(), two.result().migration().key(),
        "one object per key in a directory's decoding: the first met");
  }

  @Test
  void decodedPositionsAndShortNamesAreSharedAndEqual() throws IOException {
    MigrationReader reader = new MigrationReader(name -> null);
    List<Expr> ops = reader.read(new MigrationKey("shop", "0003_c"), "shop/migrations/0003_c.py",
        "ab".repeat(20), PythonParser.parse(SOURCE)).migration().operations();
    byte[] encoded = MigrationCodec.encodeOperations(ops);
    List<Expr> a = MigrationCodec.decodeOperations(encoded);
    List<Expr> b = MigrationCodec.decodeOperations(encoded);
    assertEquals(ops, a);
    assertEquals(ops, b);
    Expr.Call first = (Expr.Call) a.get(0);
    Expr.Call again = (Expr.Call) b.get(0);
    assertSame(first.pos(), again.pos());
    assertSame(first.keywords().get(0).name(), again.keywords().get(0).name());
  }

  @Test
  void damagedBytesDoNotDecode() {
    byte[] bytes = MigrationCodec.encodeOperations(
        PythonParser.parse("x = [f(1, *a, k=2, **b), {1: 2}, -y[0]]\n").body().stream()
            .map(s -> ((dev.migdiff.python.Stmt.Assign) s).value()).toList());
    for (int cut = 0; cut < bytes.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(bytes, cut);
      assertThrows(IOException.class, () -> MigrationCodec.decodeOperations(part), "cut at " + cut);
    }
  }

  @Test
  void aBundleDecodesOnlyWhatIsAskedForAndSurvivesADamagedEntry() throws IOException {
    List<Expr> a = ops("x = [migrations.AddField('Item', 'n', models.F()),"
        + " migrations.RenameField('Box', 'a', 'b'), migrations.AddField('item', 'm', models.F())]\n");
    List<Expr> b = ops("x = [migrations.RunSQL('b')]\n");
    List<Expr> c = ops("x = [h(3.5)]\n");
    byte[] first = MigrationCodec.encodeBundle(java.util.Map.of(),
        new java.util.LinkedHashMap<>(java.util.Map.of("a", a)));
    java.util.Map<String, MigrationCodec.StoredOps> stored = MigrationCodec.decodeBundle(first);
    assertEquals(List.of("item", "box"), stored.get("a").models(), "lower-case, each once");
    // stored entries are copied as they are, added ones encoded; an id in both is written once
    byte[] second = MigrationCodec.encodeBundle(stored,
        new java.util.LinkedHashMap<>(java.util.Map.of("b", b, "a", a)));
    java.util.Map<String, MigrationCodec.StoredOps> both = MigrationCodec.decodeBundle(second);
    assertEquals(java.util.Set.of("a", "b"), both.keySet());
    assertEquals(a, MigrationCodec.decodeOperations(both.get("a").ops()));
    assertEquals(b, MigrationCodec.decodeOperations(both.get("b").ops()));
    assertEquals(List.of(), both.get("b").models());

    // a damaged entry is absent (parsed again and stored again); the others still decode
    java.util.Map<String, MigrationCodec.StoredOps> damaged = new java.util.LinkedHashMap<>(both);
    damaged.put("b", new MigrationCodec.StoredOps(List.of(),
        java.util.Arrays.copyOf(both.get("b").ops(), both.get("b").ops().length - 1)));
    java.util.Map<String, byte[]> store = new java.util.HashMap<>();
    ObjectCache cache = new ObjectCache() {
      @Override
      public byte[] get(String kind, String key) {
        return store.get(kind + key);
      }

      @Override
      public void put(String kind, String key, byte[] value) {
        store.put(kind + key, value);
      }
    };
    cache.put(StoredMigrations.OPERATIONS, "k", MigrationCodec.encodeBundle(damaged, java.util.Map.of()));
    StoredMigrations.Bundle bundle = StoredMigrations.Bundle.read(cache, "k");
    assertEquals(List.of("item", "box"), bundle.models("a"));
    assertEquals(a, bundle.get("a"));
    assertEquals(null, bundle.get("b"));
    assertEquals(null, bundle.get("c"));
    assertEquals(null, bundle.models("c"));
    bundle.save(cache, "k");
    assertEquals(damaged.keySet(), MigrationCodec.decodeBundle(store.get("operationsk")).keySet(),
        "nothing new: not stored again");
    bundle.put("b", b);
    bundle.put("c", c);
    bundle.save(cache, "k");
    StoredMigrations.Bundle again = StoredMigrations.Bundle.read(cache, "k");
    assertEquals(a, again.get("a"));
    assertEquals(b, again.get("b"));
    assertEquals(c, again.get("c"));

    // operations encoded ahead (on the store's thread, as they are parsed) are what is saved
    List<Expr> d = ops("x = [migrations.AlterField('Box', 'b', models.F())]\n");
    again.put("d", d);
    again.encodeAhead("d", d);
    again.save(cache, "k");
    StoredMigrations.Bundle third = StoredMigrations.Bundle.read(cache, "k");
    assertEquals(d, third.get("d"));
    assertEquals(List.of("box"), third.models("d"));
    assertEquals(a, third.get("a"));

    for (int cut = 0; cut < second.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(second, cut);
      assertThrows(IOException.class, () -> MigrationCodec.decodeBundle(part), "cut at " + cut);
    }
  }

  @Test
  void encodingsOfEverySizeRoundTripOnOneThreadsReusedBuffer() throws IOException {
    StringBuilder big = new StringBuilder("x = [");
    for (int i = 0; i < 40_000; i++) {
      big.append("migrations.AddField('m', 'f").append(i).append("', models.F()), ");
    }
    List<Expr> large = ops(big.append("]\n").toString()); // past the buffer kept for reuse
    List<Expr> small = ops("x = [migrations.RunSQL('b')]\n");
    for (List<Expr> o : List.of(small, large, small, large)) {
      byte[] bytes = MigrationCodec.encodeOperations(o);
      assertEquals(o, MigrationCodec.decodeOperations(bytes));
    }
    assertEquals(small, MigrationCodec.decodeOperations(MigrationCodec.decodeBundle(
        MigrationCodec.encodeBundle(java.util.Map.of(), java.util.Map.of("s", small)))
        .get("s").ops()));
  }

  /** The elements of the list assigned by {@code source}. */
  private static List<Expr> ops(String source) {
    Expr list = ((dev.migdiff.python.Stmt.Assign) PythonParser.parse(source).body().get(0)).value();
    return Operations.elements(list);
  }
}
