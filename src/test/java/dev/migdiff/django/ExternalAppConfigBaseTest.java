package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.MapSourceTree;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An AppConfig whose base class comes from a package outside the repository. Found by
 * scripts/history-truth on wagtail: {@code wagtail/search/apps.py} is
 * {@code class WagtailSearchAppConfig(ModelSearchAppConfig)} with {@code label = "wagtailsearch"}
 * and {@code default = True}, the base imported from the third-party {@code modelsearch.apps}.
 * Django 3.2.25 and 5.2.17 (AppConfig.create) label the app {@code wagtailsearch}; migdiff does not
 * see a config class there, labels the app {@code search}, and reports every wagtailsearch
 * migration as a leaf of {@code search} (a false 10-way conflict, exit 1) plus dangling
 * dependencies on {@code wagtailsearch}.
 *
 * <p>Without {@code default = True}, Django's answer depends on the base: {@code inspect.getmembers}
 * in AppConfig.create also sees the imported base as a candidate, so two candidates and no default
 * give the module's name ({@code blog} below) unless the base says {@code default = False}. Checked
 * with real Django: a package {@code extpkg} outside the project defining
 * {@code class ExtAppConfig(AppConfig): name = "extpkg"}, and this apps.py, give
 * {@code ['weblog']} with {@code default = True} and {@code ['blog']} without, in 3.2.25 and 5.2.17.
 *
 * <p>Fixed in {@code AppConfigs}: a class deriving from a name imported from outside the
 * repository that says {@code default = True} is taken for a config.
 */
class ExternalAppConfigBaseTest {
  private static final String APPS_PY = """
      from extpkg.apps import ExtAppConfig


      class BlogConfig(ExtAppConfig):
          name = "blog"
          label = "weblog"
          default = True
      """;

  @Test
  void aConfigDerivedFromAnExternalConfigWithDefaultTrueGivesItsLabel() throws Exception {
    assertEquals(List.of("weblog"), labels(APPS_PY));
  }

  @Test
  void withoutDefaultTheImportedBaseIsASecondCandidateSoTheModuleNameIsTheLabel() throws Exception {
    assertEquals(List.of("blog"), labels(APPS_PY.replace("    default = True\n", "")));
  }

  private static List<String> labels(String appsPy) throws Exception {
    Map<String, String> files = new TreeMap<>(Map.of(
        "manage.py", Django.MANAGE_PY,
        "mysite/__init__.py", "",
        "mysite/settings.py", Django.settings(List.of("blog"), ""),
        "blog/__init__.py", "",
        "blog/apps.py", appsPy,
        "blog/migrations/__init__.py", "",
        "blog/migrations/0001_initial.py", Django.migration("")));
    DjangoConfig config = new DjangoConfig(null, null, Map.of(), Map.of(), null, "5.2");
    return ProjectLoader.load(MapSourceTree.of(files), config).apps().stream()
        .filter(a -> a.state() == App.State.MIGRATED).map(App::label).toList();
  }
}
