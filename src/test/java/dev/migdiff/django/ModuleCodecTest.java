package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.migdiff.python.Module;
import dev.migdiff.python.PythonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A module kept in the store reads back equal to the one parsed: statements, positions, problems. */
class ModuleCodecTest {
  private static final String SETTINGS = """
      \"\"\"Settings: every kind of statement the parser keeps.\"\"\"
      import os, sys as system
      from .base import *
      from ..common import (A as B, C)
      from . import local

      BASE_DIR = os.path.dirname(os.path.abspath(__file__))
      DEBUG = X = os.environ.get("DEBUG", "") in ("1", "true")
      INSTALLED_APPS: list[str] = [
          "django.contrib.auth",
          "shop.apps.ShopConfig",
          *EXTRA,
      ]
      INSTALLED_APPS += ["blog"]
      INSTALLED_APPS.append("é")
      DATABASES = {"default": {"ENGINE": "x", **OTHER}, 1: -2.5e3, None: b"\\x00"}
      AUTH_USER_MODEL = "accounts.User" if not DEBUG else lambda: 1

      class Config(Base, metaclass=Meta):
          name = "shop"
          class Inner:
              pass
          def ready(self):
              import signals

      async def handler():
          return 1

      if DEBUG:
          INSTALLED_APPS.append("debug_toolbar")
      elif X:
          pass
      else:
          try:
              from .local import *
          except ImportError:
              del X
      for i in range(3):
          global Y
      with open(f) as g:
          assert g
      """;

  @Test
  void aParsedModuleRoundTrips() throws IOException {
    for (String source : new String[] {SETTINGS, "", "x = (\n", "def f(:\n  pass\nY = [1,\n"}) {
      Module m = PythonParser.parse(source.getBytes(StandardCharsets.UTF_8));
      Module back = ModuleCodec.decode(ModuleCodec.encode(m));
      assertEquals(m, back, source);
    }
  }

  @Test
  void damagedBytesDoNotDecode() {
    byte[] bytes = ModuleCodec.encode(PythonParser.parse(SETTINGS.getBytes(StandardCharsets.UTF_8)));
    for (int cut = 0; cut < bytes.length; cut += 7) {
      byte[] part = java.util.Arrays.copyOf(bytes, cut);
      assertThrows(Exception.class, () -> ModuleCodec.decode(part), "cut at " + cut);
    }
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IOException.class, () -> ModuleCodec.decode(longer));
    // a well-formed store entry whose value is noise: not a module
    java.util.Random random = new java.util.Random(42);
    for (int n = 0; n < 2000; n++) {
      byte[] noise = new byte[n % 64];
      random.nextBytes(noise);
      assertThrows(Exception.class, () -> ModuleCodec.decode(noise));
    }
  }

  /**
   * A module is kept by its content id when that names content: a blob id, or a merged file's
   * "merged:" and a hash (radar's merged settings, parsed again on every run before); not a
   * test tree's path.
   */
  @Test
  void modulesAreKeptByContentIds() throws IOException {
    dev.migdiff.testing.MemoryCache store = new dev.migdiff.testing.MemoryCache();
    java.util.Map<String, byte[]> kept = store.values;
    String merged = "merged:" + "ab".repeat(20);
    String blob = "cd".repeat(20);
    java.util.Map<String, String> ids = java.util.Map.of("a.py", merged, "b.py", blob,
        "c.py", "c.py", "d.py", "merged:nothex");
    SourceTree files4 = new dev.migdiff.testing.MapSourceTree(java.util.Map.of(
        "a.py", "A = 1\n".getBytes(StandardCharsets.UTF_8),
        "b.py", "B = 1\n".getBytes(StandardCharsets.UTF_8),
        "c.py", "C = 1\n".getBytes(StandardCharsets.UTF_8),
        "d.py", "D = 1\n".getBytes(StandardCharsets.UTF_8)));
    SourceTree tree = new SourceTree() {
      @Override
      public java.util.List<Entry> list(String dir) throws IOException {
        return files4.list(dir);
      }

      @Override
      public java.util.Optional<Entry> entry(String path) throws IOException {
        return files4.entry(path);
      }

      @Override
      public byte[] read(Entry file) throws IOException {
        return files4.read(file);
      }

      @Override
      public java.util.List<String> findDirectories(String name) throws IOException {
        return files4.findDirectories(name);
      }

      @Override
      public String contentId(Entry file) {
        return ids.get(file.name());
      }
    };
    SourceFiles files = new SourceFiles(tree, java.util.List.of(""), new java.util.HashMap<>(),
        store);
    for (String path : ids.keySet()) {
      files.parse(path);
    }
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (String id : java.util.List.of(merged, blob)) {
      keys.add("modules/" + ObjectCache.key(ModuleCodec.VERSION + " " + id));
    }
    assertEquals(keys, new java.util.TreeSet<>(kept.keySet()));
    // a later run reads the kept module, not the file
    Module other = PythonParser.parse("OTHER = 2\n".getBytes(StandardCharsets.UTF_8));
    kept.put("modules/" + ObjectCache.key(ModuleCodec.VERSION + " " + merged),
        ModuleCodec.encode(other));
    SourceFiles later = new SourceFiles(tree, java.util.List.of(""), new java.util.HashMap<>(),
        store);
    assertEquals(other, later.parse("a.py"));
  }
}
