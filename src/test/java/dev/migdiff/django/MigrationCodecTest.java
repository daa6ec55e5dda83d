package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                new MigrationReader.Result(null, r.problems()))), List.of());
    List<Expr> ops = r.migration().operations();
    MigrationCodec.Decoded d = MigrationCodec.decodeResults(bytes, (k, p, b) -> () -> ops,
        List.of());
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
    List<MigrationCodec.Stored> files = List.of(
        new MigrationCodec.Stored("0003_c.py", "ab".repeat(20), r),
        new MigrationCodec.Stored("0004_d.py", "cd".repeat(20), r));
    // fresh copies, as the run's listing holds them; the second file's blob id and path are not
    // the stored ones
    Known first = new Known(new String("0003_c.py"), new String("ab".repeat(20)),
        new MigrationKey(new String("shop"), new String("0003_c")),
        new String("shop/migrations/0003_c.py"));
    Known second = new Known("0004_d.py", "ef".repeat(20), key, "elsewhere/0003_c.py");
    byte[] bytes = MigrationCodec.encodeResults(List.of(), List.of(), files,
        List.of(first, second));
    MigrationCodec.Decoded plain = MigrationCodec.decodeResults(
        MigrationCodec.encodeResults(List.of(), List.of(), files, List.of()),
        (k, p, b) -> List::of, List.of());
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

  /** What a decoding expects of a file, as a run's listing gives it. */
  record Known(String fileName, String blobId, MigrationKey key, String path)
      implements MigrationCodec.Expected {}

  /** The files of an app's directory, each migration depending on the one before. */
  private static List<MigrationCodec.Stored> chain(int n, List<Migration.Dependency> extra) {
    List<MigrationCodec.Stored> files = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String name = String.format("%04d_step", i);
      List<Migration.Dependency> deps = new java.util.ArrayList<>(extra);
      if (i > 1) {
        deps.add(new Migration.Dependency(new MigrationKey("shop",
            String.format("%04d_step", i - 1)), new dev.migdiff.python.Position(10, 9), null));
      }
      String blob = String.format("%040x", i);
      Migration m = new Migration(new MigrationKey("shop", name),
          "shop/migrations/" + name + ".py", blob, new dev.migdiff.python.Position(7, 1),
          List.copyOf(deps), List.of(), List.of(), i == 1 ? Boolean.TRUE : null, true, List::of);
      files.add(new MigrationCodec.Stored(name + ".py", blob,
          new MigrationReader.Result(m, List.of())));
    }
    return files;
  }

  private static List<Known> expectedOf(List<MigrationCodec.Stored> files) {
    return files.stream().map(f -> new Known(f.fileName(), f.blobId(),
        f.result().migration().key(), f.result().migration().path())).toList();
  }

  @Test
  void valuesTheListingGivesAreNotWrittenAndComeBackAsTheExpectedOnes() throws IOException {
    List<Migration.Dependency> elsewhere = List.of(new Migration.Dependency(
        new MigrationKey("auth", "0001_initial"), new dev.migdiff.python.Position(9, 9), null));
    List<MigrationCodec.Stored> files = chain(50, elsewhere);
    List<Known> expected = expectedOf(files);
    byte[] whole = MigrationCodec.encodeResults(List.of(), List.of(), files, List.of());
    byte[] flagged = MigrationCodec.encodeResults(List.of(), List.of(), files, expected);
    assertTrue(flagged.length * 3 < whole.length,
        "names, blob ids, keys, paths and chained dependencies not written: " + flagged.length
            + " of " + whole.length + " bytes");
    MigrationCodec.Decoded a = MigrationCodec.decodeResults(whole, (k, p, b) -> List::of,
        List.of());
    MigrationCodec.Decoded b = MigrationCodec.decodeResults(flagged, (k, p, x) -> List::of,
        expected);
    assertEquals(50, b.files().size());
    for (int i = 0; i < 50; i++) {
      Migration x = a.files().get(i).result().migration();
      Migration y = b.files().get(i).result().migration();
      assertEquals(a.files().get(i).fileName(), b.files().get(i).fileName());
      assertEquals(a.files().get(i).blobId(), b.files().get(i).blobId());
      assertEquals(List.of(x.key(), x.path(), x.blobId(), x.classPos(), x.dependencies(),
          x.runBefore(), x.replaces(), String.valueOf(x.initial()), x.atomic()),
          List.of(y.key(), y.path(), y.blobId(), y.classPos(), y.dependencies(), y.runBefore(),
              y.replaces(), String.valueOf(y.initial()), y.atomic()));
      assertSame(expected.get(i).key(), y.key());
      assertSame(expected.get(i).path(), y.path());
      assertSame(expected.get(i).fileName(), b.files().get(i).fileName());
      assertSame(expected.get(i).blobId(), y.blobId());
      if (i > 0) {
        assertSame(b.files().get(i - 1).result().migration().key(),
            y.dependencies().get(1).key(), "a dependency on an earlier file is its key");
      }
    }
  }

  @Test
  void anEntryThatNamesExpectedValuesDoesNotDecodeWithoutThem() throws IOException {
    List<MigrationCodec.Stored> files = chain(3, List.of());
    List<Known> expected = expectedOf(files);
    byte[] flagged = MigrationCodec.encodeResults(List.of(), List.of(), files, expected);
    assertThrows(IOException.class,
        () -> MigrationCodec.decodeResults(flagged, (k, p, b) -> List::of, List.of()));
    assertThrows(IOException.class, () -> MigrationCodec.decodeResults(flagged,
        (k, p, b) -> List::of, expected.subList(0, 2)));
    // a file's flags with a bit no encoder writes: the entry does not decode
    byte[] odd = flagged.clone();
    int at = 2; // (no settings: one byte; three files: one byte; then the first file's flags)
    assertEquals(127, odd[at] & 0xFF, "every value of the first file as expected");
    odd[at] = (byte) 0xFF;
    assertThrows(IOException.class,
        () -> MigrationCodec.decodeResults(odd, (k, p, b) -> List::of, expected));
  }

  @Test
  void valuesThatDifferFromTheExpectedOnesAreWrittenAndDecodedAsStored() throws IOException {
    List<MigrationCodec.Stored> files = chain(3, List.of());
    List<Known> told = expectedOf(files);
    // a later run expecting other values (as no run does for the same key): the stored ones win
    List<Known> other = told.stream().map(k -> new Known(k.fileName() + "x", k.blobId(),
        new MigrationKey("other", k.key().name()), k.path() + "x")).toList();
    byte[] bytes = MigrationCodec.encodeResults(List.of(), List.of(), files, other);
    MigrationCodec.Decoded d = MigrationCodec.decodeResults(bytes, (k, p, b) -> List::of, other);
    for (int i = 0; i < 3; i++) {
      Migration m = d.files().get(i).result().migration();
      assertEquals(files.get(i).fileName(), d.files().get(i).fileName());
      assertEquals(told.get(i).key(), m.key());
      assertEquals(told.get(i).path(), m.path());
      assertSame(other.get(i).blobId(), m.blobId());
    }
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
