package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.testing.MapSourceTree;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Django version a project pins, from lock files first, then requirement specifiers. */
class DjangoVersionDetectorTest {
  private static Optional<String> detect(Map<String, String> files, String root) throws Exception {
    return DjangoVersionDetector.detect(MapSourceTree.of(files), root);
  }

  @Test
  void lockFilesWinOverRequirements() throws Exception {
    assertEquals(Optional.of("5.1"), detect(Map.of(
        "uv.lock", "[[package]]\nname = \"django\"\nversion = \"5.1.4\"\n",
        "requirements.txt", "Django==4.2.1\n"), ""));
    assertEquals(Optional.of("4.2"), detect(Map.of(
        "poetry.lock", "[[package]]\nname = \"django\"\nversion = \"4.2.16\"\n"), ""));
    assertEquals(Optional.of("3.2"), detect(Map.of(
        "Pipfile.lock", "{\"default\": {\"django\": {\"hashes\": [], \"version\": \"==3.2.25\"}}}"), ""));
  }

  @Test
  void requirementSpecifiers() throws Exception {
    assertEquals(Optional.of("4.2"), detect(Map.of("requirements.txt", "psycopg2\nDjango~=4.2.0\n"), ""));
    assertEquals(Optional.of("5.0"), detect(Map.of("requirements/base.txt", "django[argon2]>=5.0,<5.1\n"), ""));
    assertEquals(Optional.of("4.1"), detect(Map.of("pyproject.toml",
        "[project]\ndependencies = [\n  \"Django==4.1.13\",\n]\n"), ""));
    // wagtail's setup.py (found by the history sweep)
    assertEquals(Optional.of("2.1"), detect(Map.of("setup.py",
        "install_requires = [\n    \"Django>=2.1,<3.1\",\n    \"django-taggit>=1.0\",\n]\n"), ""));
  }

  @Test
  void projectRootFirstThenRepositoryRoot() throws Exception {
    assertEquals(Optional.of("4.0"), detect(Map.of("backend/requirements.txt", "Django==4.0\n",
        "requirements.txt", "Django==3.2\n"), "backend"));
    assertEquals(Optional.of("3.2"), detect(Map.of("requirements.txt", "Django==3.2\n"), "backend"));
  }

  @Test
  void nothingPinned() throws Exception {
    assertEquals(Optional.empty(), detect(Map.of("requirements.txt", "django-filter==23.1\n"), ""));
  }

  /**
   * A file is searched as Latin-1 unless it has a byte of a line terminator beyond ASCII: the
   * same first match as searching it decoded, whatever other characters (or broken UTF-8) it
   * has.
   */
  @Test
  void searchingBytesFindsWhatSearchingTheDecodedTextFinds() {
    String[] parts = {"name = \"django\"\n", "name=\"Django\"", "version = \"4.2.1\"\n",
        "version=\"5.10\"", "Django==5.0\n", "django[x] ~= 3.2", "\"django\": {",
        "\"version\": \"==3.2.1\"", "}", "]", "\n", "\r\n", "\r", " ", "\t", "é", "…", "€",
        "\u0085", "\u2028", "\u2029", "\u00a0", "𝔡", "#", "1", ".", "\""};
    java.util.Random random = new java.util.Random(7);
    int found = 0;
    for (int n = 0; n < 20_000; n++) {
      java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
      int len = random.nextInt(12);
      for (int i = 0; i < len; i++) {
        if (random.nextInt(20) == 0) {
          text.write(0x80 + random.nextInt(128)); // broken UTF-8
        } else {
          text.writeBytes(parts[random.nextInt(parts.length)]
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      byte[] bytes = text.toByteArray();
      for (java.util.regex.Pattern p : List.of(DjangoVersionDetector.LOCK,
          DjangoVersionDetector.PIPFILE_LOCK, DjangoVersionDetector.REQUIREMENT)) {
        java.util.regex.Matcher m = p.matcher(
            new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        Optional<String> decoded = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        assertEquals(decoded, DjangoVersionDetector.search(bytes, p),
            p + " in " + java.util.HexFormat.of().formatHex(bytes));
        found += decoded.isPresent() ? 1 : 0;
      }
    }
    assertEquals(true, found > 500, "the cases find versions too: " + found);
  }

  /**
   * What a lock file says is kept by its blob id and read back by a later process; a stored value
   * that is not one is a miss, and the file is read again.
   */
  @Test
  void whatAFileSaysIsKeptByItsBlobId() throws Exception {
    MapSourceTree files = MapSourceTree.of(Map.of("uv.lock",
        "[[package]]\nname = \"django\"\nversion = \"5.1.4\"\n"));
    // the same files under Git-like ids (the store keeps only what an object id names)
    dev.migdiff.django.SourceTree tree = new dev.migdiff.django.SourceTree() {
      @Override
      public List<Entry> list(String dir) throws java.io.IOException {
        return files.list(dir).stream().map(this::blob).toList();
      }

      @Override
      public Optional<Entry> entry(String path) throws java.io.IOException {
        return files.entry(path).map(this::blob);
      }

      private Entry blob(Entry e) {
        return new Entry(e.name(), e.kind(), "b".repeat(39) + e.name().length());
      }

      @Override
      public byte[] read(Entry file) throws java.io.IOException {
        return files.read(new Entry(file.name(), file.kind(), file.name()));
      }

      @Override
      public List<String> findDirectories(String name) {
        return List.of();
      }
    };
    dev.migdiff.testing.MemoryCache store = new dev.migdiff.testing.MemoryCache();
    java.util.Map<String, byte[]> kept = store.values;
    DjangoVersionDetector.forget();
    assertEquals(Optional.of("5.1"), DjangoVersionDetector.detect(tree, "", store));
    assertEquals(1, kept.size());
    String key = kept.keySet().iterator().next();
    assertEquals("versions/", key.substring(0, key.indexOf('/') + 1));
    assertEquals("django-version 1 5.1\n", new String(kept.get(key)));
    for (String value : List.of("django-version 1 4.2\n", "django-version 1 -\n")) {
      DjangoVersionDetector.forget(); // a new process: what the store says is what it reads
      kept.put(key, value.getBytes());
      Optional<String> expected = value.endsWith(" -\n") ? Optional.empty() : Optional.of("4.2");
      assertEquals(expected, DjangoVersionDetector.detect(tree, "", store));
    }
    for (String bad : List.of("django-version 1 4.2", "django-version 2 4.2\n", "4.2\n",
        "django-version 1 x.y\n", "")) {
      DjangoVersionDetector.forget();
      kept.put(key, bad.getBytes());
      assertEquals(Optional.of("5.1"), DjangoVersionDetector.detect(tree, "", store),
          "not a stored value, so read again: " + bad);
    }
  }
}
