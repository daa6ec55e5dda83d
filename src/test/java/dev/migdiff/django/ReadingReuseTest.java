package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Revisions read in one run share the readings of the files they have in common: a directory
 * read before is taken whole, and in a directory that differs only the files that differ are
 * read. Files and directories are named by content digests, as Git names them.
 */
class ReadingReuseTest {

  /** A tree whose entries are named by digests of their content, counting the files it reads. */
  static final class DigestTree implements SourceTree {
    final Map<String, byte[]> files = new TreeMap<>();
    final List<String> read = new ArrayList<>();

    DigestTree(Map<String, String> content) {
      content.forEach((p, c) -> files.put(p, c.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public List<Entry> list(String dir) {
      String prefix = dir.isEmpty() ? "" : dir + "/";
      TreeSet<String> names = new TreeSet<>();
      for (String p : files.keySet()) {
        if (p.startsWith(prefix)) {
          String rest = p.substring(prefix.length());
          names.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) + "/" : rest);
        }
      }
      List<Entry> out = new ArrayList<>();
      for (String n : names) {
        boolean isDir = n.endsWith("/");
        String name = isDir ? n.substring(0, n.length() - 1) : n;
        out.add(entry(prefix + name).orElseThrow());
      }
      return out;
    }

    @Override
    public Optional<Entry> entry(String path) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (files.containsKey(path)) {
        return Optional.of(new Entry(name, Kind.FILE, digest(files.get(path))));
      }
      String under = files.entrySet().stream().filter(e -> e.getKey().startsWith(path + "/"))
          .map(e -> e.getKey() + "=" + digest(e.getValue())).collect(Collectors.joining("\n"));
      return under.isEmpty() ? Optional.empty()
          : Optional.of(new Entry(name, Kind.DIR, digest(under.getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public byte[] read(Entry file) {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        if (digest(e.getValue()).equals(file.id())) {
          synchronized (read) {
            read.add(e.getKey());
          }
          return e.getValue();
        }
      }
      return null;
    }

    @Override
    public List<String> findDirectories(String name) {
      TreeSet<String> out = new TreeSet<>();
      for (String p : files.keySet()) {
        String[] parts = p.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
          if (parts[i].equals(name)) {
            out.add(String.join("/", java.util.Arrays.copyOf(parts, i + 1)));
          }
        }
      }
      return new ArrayList<>(out);
    }

    private static String digest(byte[] b) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static String migration(String... deps) {
    StringBuilder d = new StringBuilder();
    for (String dep : deps) {
      d.append("(\"").append(dep.replace(".", "\", \"")).append("\"), ");
    }
    return "from django.db import migrations\n\nclass Migration(migrations.Migration):\n"
        + "    dependencies = [" + d + "]\n    operations = []\n";
  }

  private static Map<String, String> project() {
    Map<String, String> files = new TreeMap<>();
    files.put("shop/__init__.py", "");
    files.put("shop/migrations/__init__.py", "");
    files.put("shop/migrations/0001_initial.py", migration());
    files.put("shop/migrations/0002_b.py", migration("shop.0001_initial"));
    files.put("shop/migrations/0003_c.py", migration("shop.0002_b"));
    files.put("blog/__init__.py", "");
    files.put("blog/migrations/__init__.py", "");
    files.put("blog/migrations/0001_initial.py", migration("shop.0001_initial"));
    files.put("blog/migrations/0002_x.py", migration("blog.0001_initial"));
    // (each file its own content, as in a real project: equal files are read once)
    files.replaceAll((p, v) -> p.endsWith("__init__.py") ? v : v + "# " + p + "\n");
    return files;
  }

  private static MigrationKey key(String dotted) {
    return new MigrationKey(dotted.substring(0, dotted.indexOf('.')),
        dotted.substring(dotted.indexOf('.') + 1));
  }

  private static Map<MigrationKey, Migration> byKey(DjangoProject p) {
    return p.migrations().stream().collect(Collectors.toMap(Migration::key, Function.identity()));
  }

  @Test
  void aChangedDirectoryReadsOnlyItsChangedFilesAndSharesTheOthersReadings() throws IOException {
    ParseCache cache = new ParseCache();
    DigestTree from = new DigestTree(project());
    DjangoProject a = ProjectLoader.load(from, DjangoConfig.DEFAULT, cache);
    assertEquals(5, from.read.size(), "every migration read once: " + from.read);

    Map<String, String> changed = project();
    // 0003 now depends on 0001: a reading kept by name alone would still say 0002
    changed.put("shop/migrations/0003_c.py", migration("shop.0001_initial"));
    changed.put("shop/migrations/0004_d.py", migration("shop.0003_c"));
    DigestTree to = new DigestTree(changed);
    DjangoProject b = ProjectLoader.load(to, DjangoConfig.DEFAULT, cache);
    assertEquals(List.of("shop/migrations/0003_c.py", "shop/migrations/0004_d.py"),
        to.read.stream().sorted().toList(), "only the changed and the new file are read");

    Map<MigrationKey, Migration> x = byKey(a);
    Map<MigrationKey, Migration> y = byKey(b);
    assertEquals(6, y.size());
    for (String same : List.of("shop.0001_initial", "shop.0002_b", "blog.0001_initial",
        "blog.0002_x")) {
      MigrationKey k = key(same);
      assertSame(x.get(k), y.get(k), same + ": the earlier reading itself");
    }
    MigrationKey c = key("shop.0003_c");
    assertNotSame(x.get(c), y.get(c));
    assertEquals(List.of(key("shop.0001_initial")),
        y.get(c).dependencies().stream().map(Migration.Dependency::key).toList());
    assertEquals(List.of(key("shop.0002_b")),
        x.get(c).dependencies().stream().map(Migration.Dependency::key).toList());

    // back to FROM's files: every directory is one read before, nothing is read
    DigestTree again = new DigestTree(project());
    DjangoProject a2 = ProjectLoader.load(again, DjangoConfig.DEFAULT, cache);
    assertEquals(List.of(), again.read);
    Map<MigrationKey, Migration> z = byKey(a2);
    x.forEach((k, m) -> assertSame(m, z.get(k), k.toString()));
  }

  @Test
  void aDirectoryOfAnotherAppOrPathSharesNoReading() throws IOException {
    ParseCache cache = new ParseCache();
    DigestTree from = new DigestTree(project());
    ProjectLoader.load(from, DjangoConfig.DEFAULT, cache);
    // the same files under another app (the same blobs, another label and path)
    Map<String, String> moved = new TreeMap<>();
    project().forEach((p, v) -> moved.put(p.replace("blog/", "news/").replace("blog.", "news."),
        v.replace("\"blog\"", "\"news\"")));
    moved.put("news/migrations/0003_y.py", migration("news.0002_x"));
    DigestTree to = new DigestTree(moved);
    DjangoProject b = ProjectLoader.load(to, DjangoConfig.DEFAULT, cache);
    assertEquals(List.of("news/migrations/0001_initial.py", "news/migrations/0002_x.py",
        "news/migrations/0003_y.py"), to.read.stream().sorted().toList());
    assertEquals("news/migrations/0002_x.py",
        byKey(b).get(key("news.0002_x")).path());
  }

  /** {@link #project()} with settings whose PAYMENT_MODEL shop's 0003 depends on (swappable). */
  private static Map<String, String> withSettings(String paymentModel) {
    Map<String, String> files = project();
    files.put("manage.py", "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", "
        + "\"site.settings\")\n");
    files.put("site/__init__.py", "");
    files.put("site/settings.py", "INSTALLED_APPS = [\"shop\", \"blog\"]\n"
        + "PAYMENT_MODEL = \"" + paymentModel + "\"\n");
    files.put("shop/migrations/0003_c.py", "from django.conf import settings\n"
        + migration("shop.0002_b").replace("dependencies = [",
            "dependencies = [migrations.swappable_dependency(settings.PAYMENT_MODEL), ")
        + "# shop/migrations/0003_c.py\n");
    return files;
  }

  /**
   * Readings that consulted a setting serve a later revision whose settings give it the same
   * value: the second revision of a run starts with that setting among those consulted, and its
   * context must still match the first's after the first's readings (it once did not: a branch
   * that changed one file read its whole directory again).
   */
  @Test
  void aChangedDirectoryReusesReadingsThatConsultedASettingOfTheSameValue() throws IOException {
    ParseCache cache = new ParseCache();
    DigestTree from = new DigestTree(withSettings("blog.Payment"));
    DjangoProject a = ProjectLoader.load(from, DjangoConfig.DEFAULT, cache);
    assertEquals(5, from.read.stream().filter(p -> p.contains("/migrations/0")).count(),
        "every migration read once: " + from.read);
    assertEquals(List.of(key("blog.__first__"), key("shop.0002_b")),
        byKey(a).get(key("shop.0003_c")).dependencies().stream()
            .map(Migration.Dependency::key).toList());

    Map<String, String> changed = withSettings("blog.Payment");
    changed.put("shop/migrations/0002_b.py", migration("shop.0001_initial") + "# changed\n");
    DigestTree to = new DigestTree(changed);
    DjangoProject b = ProjectLoader.load(to, DjangoConfig.DEFAULT, cache);
    assertEquals(List.of("shop/migrations/0002_b.py"),
        to.read.stream().filter(p -> p.contains("/migrations/0")).toList(),
        "only the changed file is read");
    assertSame(byKey(a).get(key("shop.0003_c")), byKey(b).get(key("shop.0003_c")));
  }

  /** ... and only those: where the consulted setting differs, the files are read again. */
  @Test
  void readingsThatConsultedASettingOfAnotherValueAreNotReused() throws IOException {
    ParseCache cache = new ParseCache();
    DigestTree from = new DigestTree(withSettings("blog.Payment"));
    DjangoProject a = ProjectLoader.load(from, DjangoConfig.DEFAULT, cache);

    Map<String, String> changed = withSettings("shop.Payment");
    changed.put("shop/migrations/0002_b.py", migration("shop.0001_initial") + "# changed\n");
    DigestTree to = new DigestTree(changed);
    DjangoProject b = ProjectLoader.load(to, DjangoConfig.DEFAULT, cache);
    assertEquals(5, to.read.stream().filter(p -> p.contains("/migrations/0")).count(),
        "every migration read again: " + to.read);
    assertEquals(List.of(key("shop.__first__"), key("shop.0002_b")),
        byKey(b).get(key("shop.0003_c")).dependencies().stream()
            .map(Migration.Dependency::key).toList());
    assertNotSame(byKey(a).get(key("shop.0003_c")), byKey(b).get(key("shop.0003_c")));
  }
}
