package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.MapSourceTree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * apps.py labels an app automatically only since Django 3.2 (AppConfig.create). Found by the
 * wagtail sweep: its test app's apps.py says label 'test_modeladmintest', but under Django 2.1-3.0
 * the label was 'modeladmintest', which its migrations depend on.
 */
class AppLabelVersionTest {
  private static final String APPS_PY = """
      from django.apps import AppConfig


      class TestConfig(AppConfig):
          name = "tests.modeladmintest"
          label = "test_modeladmintest"
      """;

  private static List<String> labels(String version, boolean withSettings) throws Exception {
    Map<String, String> files = new java.util.TreeMap<>(Map.of(
        "tests/__init__.py", "", "tests/modeladmintest/__init__.py", "",
        "tests/modeladmintest/apps.py", APPS_PY,
        "tests/modeladmintest/migrations/__init__.py", "",
        "tests/modeladmintest/migrations/0001_initial.py", Django.migration("")));
    if (withSettings) {
      files.put("manage.py", Django.MANAGE_PY);
      files.put("mysite/__init__.py", "");
      files.put("mysite/settings.py", Django.settings(List.of("tests.modeladmintest"), ""));
    }
    DjangoConfig config = new DjangoConfig(null, null, Map.of(), Map.of(), null, version);
    return ProjectLoader.load(MapSourceTree.of(files), config).apps().stream()
        .filter(a -> a.state() == App.State.MIGRATED).map(App::label).toList();
  }

  @Test
  void appsPyCountsFromDjango32() throws Exception {
    for (boolean settings : List.of(true, false)) {
      assertEquals(List.of("modeladmintest"), labels("3.1", settings));
      assertEquals(List.of("test_modeladmintest"), labels("3.2", settings));
    }
  }

  /** wagtail's contrib apps before Django 3.2: default_app_config names the labelled config. */
  @Test
  void defaultAppConfigBeforeDjango41WithoutSettings() throws Exception {
    Map<String, String> files = Map.of(
        "contrib/__init__.py", "",
        "contrib/routablepage/__init__.py",
        "default_app_config = \"contrib.routablepage.apps.RoutablePageConfig\"\n",
        "contrib/routablepage/apps.py", APPS_PY.replace("TestConfig", "RoutablePageConfig")
            .replace("test_modeladmintest", "wagtailroutablepage"),
        "contrib/routablepage/migrations/__init__.py", "",
        "contrib/routablepage/migrations/0001_initial.py", Django.migration(""));
    for (String version : List.of("2.2", "3.2", "4.0")) {
      assertEquals(List.of("wagtailroutablepage"), load(files, version), version);
    }
    assertEquals(List.of("wagtailroutablepage"), load(files, "4.1"));
    // wagtail: a manage.py in project_template/ makes that the project root; app modules found
    // without settings stay relative to the repository root.
    Map<String, String> template = new java.util.TreeMap<>(files);
    template.put("project_template/manage.py", "print()\n");
    assertEquals(List.of("wagtailroutablepage"), load(template, "2.2"));
    assertEquals(List.of("routablepage"), load(Map.of(
        "contrib/routablepage/__init__.py", "",
        "contrib/routablepage/migrations/__init__.py", "",
        "contrib/routablepage/migrations/0001_initial.py", Django.migration("")), "2.2"));
  }

  private static List<String> load(Map<String, String> files, String version) throws Exception {
    DjangoConfig config = new DjangoConfig(null, null, Map.of(), Map.of(), null, version);
    return ProjectLoader.load(MapSourceTree.of(files), config).apps().stream()
        .filter(a -> a.state() == App.State.MIGRATED).map(App::label).toList();
  }

  /** Django 3.2-4.0: default_app_config takes over apps.py's automatic choice; 4.1 drops it. */
  @Test
  void defaultAppConfigTakesOverAppsPyUntilDjango41() throws Exception {
    Map<String, String> files = new java.util.TreeMap<>(Map.of(
        "manage.py", Django.MANAGE_PY, "mysite/__init__.py", "",
        "mysite/settings.py", Django.settings(List.of("blog"), ""),
        "blog/__init__.py", "default_app_config = \"blog.config.LegacyConfig\"\n",
        "blog/config.py", "from django.apps import AppConfig\n\n\nclass LegacyConfig(AppConfig):\n"
            + "    name = \"blog\"\n    label = \"legacy_blog\"\n",
        "blog/apps.py", "from django.apps import AppConfig\n\n\nclass BlogConfig(AppConfig):\n"
            + "    name = \"blog\"\n    label = \"new_blog\"\n",
        "blog/migrations/__init__.py", "",
        "blog/migrations/0001_initial.py", Django.migration("")));
    for (String version : List.of("3.1", "3.2", "4.0")) {
      assertEquals(List.of("legacy_blog"), load(files, version), version);
    }
    assertEquals(List.of("new_blog"), load(files, "4.1"));
  }
}
