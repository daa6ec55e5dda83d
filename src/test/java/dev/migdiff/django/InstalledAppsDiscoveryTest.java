package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.MapSourceTree;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: apps in source roots, labels that are only guesses, INSTALLED_APPS with a call, and
 * configs on imported base classes; as many cases that must stay as they were.
 */
class InstalledAppsDiscoveryTest {

  private static DjangoProject load(List<String> roots, String settings, String... more)
      throws Exception {
    Map<String, String> files = new TreeMap<>();
    files.put("manage.py", Django.MANAGE_PY);
    files.put("mysite/__init__.py", "");
    files.put("mysite/settings.py", settings);
    for (int i = 0; i < more.length; i += 2) {
      files.put(more[i], more[i + 1]);
    }
    DjangoConfig config = new DjangoConfig(null, null, Map.of(), Map.of(), null, null, roots);
    return ProjectLoader.load(MapSourceTree.of(files), config);
  }

  private static String[] app(String dir, String... extra) {
    List<String> out = new java.util.ArrayList<>(List.of(dir + "/__init__.py", "",
        dir + "/migrations/__init__.py", "", dir + "/migrations/0001_initial.py",
        Django.migration("")));
    out.addAll(List.of(extra));
    return out.toArray(String[]::new);
  }

  private static String[] join(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  private static Map<String, String> migrated(DjangoProject p) {
    Map<String, String> out = new TreeMap<>();
    p.apps().stream().filter(a -> a.state() == App.State.MIGRATED)
        .forEach(a -> out.put(a.label(), a.migrationsPath()));
    return out;
  }

  private static List<String> codes(DjangoProject p) {
    return p.problems().stream().map(x -> x.severity().label() + ":" + x.code()).sorted().toList();
  }

  @Test
  void appsAreFoundInSourceRootsAfterTheProjectRoot() throws Exception {
    DjangoProject p = load(List.of("src"), Django.settings(List.of("shop", "blog"), ""),
        join(app("src/shop"), app("src/blog"), app("blog")));
    assertEquals(Map.of("shop", "src/shop/migrations", "blog", "blog/migrations"), migrated(p));
    assertTrue(p.closedWorld());
    // Without the root, src/shop is a third-party app.
    DjangoProject without = load(List.of(), Django.settings(List.of("shop"), ""), app("src/shop"));
    assertEquals(Map.of(), migrated(without));
  }

  @Test
  void aGuessedLabelThatClashesIsAWarningAndOtherAppsStay() throws Exception {
    DjangoProject p = load(List.of(), Django.settings(List.of("shop",
        "vendor.apps.shop.config.ShopConfig", "blog"), ""), join(app("shop"), app("blog")));
    assertEquals(List.of("blog", "shop"), List.copyOf(migrated(p).keySet()));
    assertEquals(List.of("warning:guessed-app-label"), codes(p));
    // The guess comes first: the app in the repository still wins.
    DjangoProject first = load(List.of(), Django.settings(List.of("vendor.shop", "shop"), ""),
        app("shop"));
    assertEquals(Map.of("shop", "shop/migrations"), migrated(first));
    assertEquals(List.of("warning:guessed-app-label"), codes(first));
  }

  @Test
  void twoLabelsReadFromTheRepositoryStillClash() throws Exception {
    DjangoProject p = load(List.of(), Django.settings(List.of("a.shop", "b.shop"), ""),
        join(app("a/shop"), app("b/shop"), new String[] {"a/__init__.py", "", "b/__init__.py", ""}));
    assertEquals(List.of("error:duplicate-app-label"), codes(p));
  }

  @Test
  void aCallInInstalledAppsKeepsTheLiteralPartAndNamesTheRest() throws Exception {
    String settings = "from mysite.core import get_core_apps\n\n"
        + Django.settings(List.of("blog"), "") + "INSTALLED_APPS += get_core_apps()\n"
        + "INSTALLED_APPS.append(\"notes\")\n";
    DjangoProject p = load(List.of("src"), settings, join(app("blog"), app("notes"),
        app("src/shop"), app("tests/_site/blog"), app("src/shop/tests/fork")));
    assertEquals(Map.of("blog", "blog/migrations", "notes", "notes/migrations",
        "shop", "src/shop/migrations"), migrated(p));
    assertFalse(p.closedWorld());
    Problem w = p.problems().stream().filter(x -> x.code().equals("uncertain-installed-apps"))
        .findFirst().orElseThrow();
    assertEquals("INSTALLED_APPS adds get_core_apps(), which migdiff cannot evaluate; it assumes "
        + "the migrations packages found outside test trees, whose labels are uncertain: shop",
        w.message());
    assertEquals("mysite/settings.py:9:19", w.location());
  }

  @Test
  void onlyACallIsStillNotStatic() throws Exception {
    DjangoProject p = load(List.of(), "INSTALLED_APPS = get_apps()\n", app("blog"));
    assertEquals(List.of("warning:settings-not-static"), codes(p));
    assertEquals(List.of("blog"), List.copyOf(migrated(p).keySet()));
    DjangoProject partBroken = load(List.of(), "INSTALLED_APPS = [f(1)] + get_apps()\n",
        app("blog"));
    assertEquals(List.of("warning:settings-not-static"), codes(partBroken));
  }

  @Test
  void anImportedBaseConfigIsACandidateAsInspectGetmembersSeesIt() throws Exception {
    String base = "from django.apps import AppConfig\n\n\nclass Base(AppConfig):\n    pass\n";
    String sub = "from mysite.base import Base\n\n\nclass ShopConfig(Base):\n"
        + "    name = \"shop\"\n    label = \"store\"\n";
    DjangoProject two = load(List.of(), Django.settings(List.of("shop"), ""),
        join(app("shop", "shop/apps.py", sub), new String[] {"mysite/base.py", base}));
    assertEquals(List.of("shop"), List.copyOf(migrated(two).keySet()));
    DjangoProject chosen = load(List.of(), Django.settings(List.of("shop"), ""),
        join(app("shop", "shop/apps.py", sub + "    default = True\n"),
            new String[] {"mysite/base.py", base}));
    assertEquals(List.of("store"), List.copyOf(migrated(chosen).keySet()));
    // A module import is no candidate; its class is still a config base.
    String viaModule = "from mysite import base\n\n\nclass ShopConfig(base.Base):\n"
        + "    name = \"shop\"\n    label = \"store\"\n";
    DjangoProject module = load(List.of(), Django.settings(List.of("shop"), ""),
        join(app("shop", "shop/apps.py", viaModule), new String[] {"mysite/base.py", base}));
    assertEquals(List.of("store"), List.copyOf(migrated(module).keySet()));
  }
}
