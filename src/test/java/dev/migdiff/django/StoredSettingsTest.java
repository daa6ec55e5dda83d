package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.MemoryCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Settings readings kept between runs ({@link StoredSettings}): a reading read back answers
 * every setting, partial list, failure and finding as the evaluation did; a later run whose tree
 * answers every lookup alike takes it without reading a settings module, and a tree where one
 * imported module differs is evaluated again (both readings then kept); a damaged entry is a miss.
 */
class StoredSettingsTest {
  private static final String BASE = """
      import os
      from django.conf import global_settings
      SECRET_KEY = None
      DEBUG = os.environ.get("DEBUG", "") == "1"
      TIMEOUT = -1
      RATIO = 2.5
      NAMES = ("a", "b")
      DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db"}, 1: [True, None]}
      AUTH_USER_MODEL = "accounts.User"
      """;
  private static final String SETTINGS = """
      from .base import *
      from shop.conf import get_core_apps
      INSTALLED_APPS = ["django.contrib.auth", "accounts", "shop"] + get_core_apps()
      if DEBUG:
          INSTALLED_APPS += ["debug_toolbar"]
      MIGRATION_MODULES = {"shop": "shop.db_migrations", "legacy": None}
      LOGGING = make_logging()
      """;

  private static Map<String, String> project(String base) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("manage.py",
        "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\n");
    files.put("site/__init__.py", "");
    files.put("site/base.py", base);
    files.put("site/settings.py", SETTINGS);
    files.put("accounts/__init__.py", "");
    files.put("accounts/migrations/__init__.py", "");
    files.put("accounts/migrations/0001_initial.py", """
        from django.conf import settings
        from django.db import migrations
        class Migration(migrations.Migration):
            dependencies = []
            operations = []
        """);
    files.put("shop/__init__.py", "");
    files.put("shop/conf.py", "def get_core_apps():\n    return []\n");
    files.put("shop/db_migrations/__init__.py", "");
    files.put("shop/db_migrations/0001_initial.py", """
        from django.conf import settings
        from django.db import migrations
        class Migration(migrations.Migration):
            dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]
            operations = []
        """);
    return files;
  }

  /** What a project reading says, without its migrations' operations (suppliers). */
  private static String summary(DjangoProject p) {
    StringBuilder out = new StringBuilder();
    out.append(p.projectRoot()).append(' ').append(p.settingsModule()).append(' ')
        .append(p.closedWorld()).append(' ').append(p.clock()).append('\n')
        .append(p.apps()).append('\n').append(p.problems()).append('\n');
    for (Migration m : p.migrations()) {
      out.append(m.key()).append(' ').append(m.path()).append(' ').append(m.blobId()).append(' ')
          .append(m.dependencies()).append(' ').append(m.runBefore()).append(' ')
          .append(m.replaces()).append(' ').append(m.initial()).append(' ').append(m.atomic())
          .append('\n');
    }
    return out.toString();
  }

  /** A reading read back from its bytes answers as the evaluation did. */
  @Test
  void aReadingRoundTrips() throws IOException {
    ReadingReuseTest.DigestTree tree = new ReadingReuseTest.DigestTree(project(BASE));
    SourceFiles files = new SourceFiles(tree, List.of(""), new HashMap<>(), ObjectCache.NONE);
    List<Problem> problems = new ArrayList<>();
    files.record();
    ProjectLoader.Settings s = ProjectLoader.Settings.read(files, "site.settings", Map.of(),
        problems);
    Map<String, String> lookups = files.stopRecording();
    assertFalse(problems.isEmpty(), "the conditional INSTALLED_APPS is reported");
    ParseCache.SettingsReading made = new ParseCache.SettingsReading(lookups, s,
        List.copyOf(problems));

    List<StoredSettings.Kept> back = StoredSettings.decode(
        StoredSettings.encode(List.of(new StoredSettings.Kept(made))));
    assertEquals(1, back.size());
    assertEquals(lookups, back.get(0).lookups());
    ParseCache.SettingsReading r = back.get(0).reading();
    assertEquals(made.problems(), r.problems());
    ProjectLoader.Settings t = r.settings();
    assertEquals(s.path(), t.path());
    assertEquals(s.installedApps(), t.installedApps());
    assertEquals(s.migrationModules(), t.migrationModules());
    assertEquals(s.uncertain(), t.uncertain());
    assertFalse(s.uncertain().isEmpty(), "get_core_apps() is an unknown part");
    for (String name : List.of("SECRET_KEY", "DEBUG", "TIMEOUT", "RATIO", "NAMES", "DATABASES",
        "AUTH_USER_MODEL", "INSTALLED_APPS", "MIGRATION_MODULES", "global_settings", "os",
        "LOGGING", "get_core_apps", "NOT_SET")) {
      assertEquals(s.get(name), t.get(name), name);
    }
    assertNotNull(t.get("DATABASES"));
    assertNull(t.get("NOT_SET"));
    assertEquals(s.scope().failures.keySet(), t.scope().failures.keySet());
    s.scope().failures.forEach((name, why) -> {
      assertEquals(why.pos(), t.scope().failures.get(name).pos(), name);
      assertEquals(why.getMessage(), t.scope().failures.get(name).getMessage(), name);
    });
    assertEquals(s.scope().conditional, t.scope().conditional);
    assertEquals(s.scope().partial, t.scope().partial);

    // no settings module at all is a reading too
    ParseCache.SettingsReading none = new ParseCache.SettingsReading(Map.of("x.py", "FILE 1"),
        null, List.of());
    ParseCache.SettingsReading noneBack = StoredSettings.decode(
        StoredSettings.encode(List.of(new StoredSettings.Kept(none)))).get(0).reading();
    assertNull(noneBack.settings());
  }

  @Test
  void damagedBytesDoNotDecode() throws IOException {
    ReadingReuseTest.DigestTree tree = new ReadingReuseTest.DigestTree(project(BASE));
    SourceFiles files = new SourceFiles(tree, List.of(""), new HashMap<>(), ObjectCache.NONE);
    files.record();
    ProjectLoader.Settings s = ProjectLoader.Settings.read(files, "site.settings", Map.of(),
        new ArrayList<>());
    byte[] bytes = StoredSettings.encode(List.of(new StoredSettings.Kept(
        new ParseCache.SettingsReading(files.stopRecording(), s, List.of()))));
    for (int cut = 0; cut < bytes.length; cut += 5) {
      byte[] part = java.util.Arrays.copyOf(bytes, cut);
      assertThrows(Exception.class, () -> {
        for (StoredSettings.Kept k : StoredSettings.decode(part)) {
          if (k.reading() == null) {
            throw new IOException("does not decode");
          }
        }
      }, "cut at " + cut);
    }
    assertThrows(IOException.class,
        () -> StoredSettings.decode(java.util.Arrays.copyOf(bytes, bytes.length + 1)));
  }

  /**
   * A later run takes the kept reading without reading a settings module; where one imported
   * module differs it evaluates again and keeps both; a damaged entry is read again.
   */
  @Test
  void aLaterRunTakesTheReadingItsTreeAnswersAlike() throws IOException {
    MemoryCache store = new MemoryCache();
    ReadingReuseTest.DigestTree first = new ReadingReuseTest.DigestTree(project(BASE));
    DjangoProject cold = ProjectLoader.load(first, DjangoConfig.DEFAULT, new ParseCache(store));
    store.end();
    String key = "settings/" + StoredSettings.key("site.settings", List.of(""), Map.of());
    assertTrue(store.values.containsKey(key), store.values.keySet().toString());
    assertTrue(first.read.contains("site/settings.py"));

    ReadingReuseTest.DigestTree again = new ReadingReuseTest.DigestTree(project(BASE));
    for (String k : new ArrayList<>(store.values.keySet())) {
      if (k.startsWith("modules/")) {
        store.values.remove(k); // a module read would have to parse the file
      }
    }
    DjangoProject warm = ProjectLoader.load(again, DjangoConfig.DEFAULT, new ParseCache(store));
    store.end();
    assertEquals(summary(cold), summary(warm));
    assertFalse(again.read.contains("site/settings.py"), again.read.toString());
    assertFalse(again.read.contains("site/base.py"), again.read.toString());

    // one imported module differs: evaluated again, and both readings kept (latest first)
    ReadingReuseTest.DigestTree changed = new ReadingReuseTest.DigestTree(project(
        BASE.replace("\"accounts.User\"", "\"shop.Customer\"")));
    DjangoProject other = ProjectLoader.load(changed, DjangoConfig.DEFAULT,
        new ParseCache(store));
    store.end();
    assertTrue(changed.read.contains("site/base.py"), changed.read.toString());
    assertFalse(summary(other).equals(summary(cold)),
        "the swappable dependency follows AUTH_USER_MODEL");
    List<StoredSettings.Kept> kept = StoredSettings.decode(store.values.get(key));
    assertEquals(2, kept.size());

    // both are taken by later runs
    for (String base : List.of(BASE, BASE.replace("\"accounts.User\"", "\"shop.Customer\""))) {
      ReadingReuseTest.DigestTree later = new ReadingReuseTest.DigestTree(project(base));
      ProjectLoader.load(later, DjangoConfig.DEFAULT, new ParseCache(store));
      assertFalse(later.read.contains("site/base.py"), later.read.toString());
    }

    // a damaged entry: read again, and kept whole again
    store.values.put(key, new byte[] {1, 2, 3});
    ReadingReuseTest.DigestTree damaged = new ReadingReuseTest.DigestTree(project(BASE));
    assertEquals(summary(cold),
        summary(ProjectLoader.load(damaged, DjangoConfig.DEFAULT, new ParseCache(store))));
    store.end();
    assertEquals(1, StoredSettings.decode(store.values.get(key)).size());
  }
}
