package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.cli.CliCases.Case;
import dev.migdiff.cli.CliCases.Scenario;
import dev.migdiff.testing.RepoBuilder;
import java.util.List;

/**
 * Golden cases for finding apps on real project layouts (issue 12): a django-oscar-like project
 * whose apps live in {@code src/} (installed through {@code package_dir}), config classes
 * imported from a base module, guessed third-party labels that clash, and settings that add
 * {@code get_core_apps()} to INSTALLED_APPS.
 */
final class DiscoveryCases {
  private DiscoveryCases() {}

  static List<Case> all() {
    return List.of(
        new Case("discovery-src-layout", SRC_LAYOUT, List.of("graph")),
        new Case("discovery-src-layout-json", SRC_LAYOUT, List.of("graph", "--format", "json")),
        new Case("discovery-core-apps-call", CORE_APPS_CALL, List.of("graph")),
        new Case("discovery-source-roots-config", SOURCE_ROOTS_CONFIG, List.of("graph")),
        new Case("discovery-settings-environment", SETTINGS_ENVIRONMENT,
            List.of("main", "feature")),
        new Case("discovery-settings-environment-env", SETTINGS_ENVIRONMENT,
            List.of("main", "feature", "--env", "USE_EMAIL_USER_MODEL=1")),
        new Case("discovery-settings-environment-config", SETTINGS_ENVIRONMENT_CONFIG,
            List.of("main", "feature", "--format", "json")),
        new Case("discovery-settings-django-environ", SETTINGS_DJANGO_ENVIRON,
            List.of("main", "feature")),
        new Case("discovery-settings-django-environ-env", SETTINGS_DJANGO_ENVIRON,
            List.of("main", "feature", "--env", "USE_EMAIL_USER_MODEL=yes")));
  }

  private static final String MANAGE = "import os\n\n"
      + "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"settings\")\n";

  /** The package in src/: a base config module, catalogue and its dashboard (oscar's shape). */
  private static void shopPackage(RepoBuilder r, String init) {
    r.file("src/shop/__init__.py", init);
    r.file("src/shop/core/__init__.py", "");
    r.file("src/shop/core/application.py", "from django.apps import AppConfig\n\n\n"
        + "class ShopConfig(AppConfig):\n    namespace = None\n\n\n"
        + "class ShopDashboardConfig(ShopConfig):\n    login_url = \"/login/\"\n");
    r.file("src/shop/apps/__init__.py", "");
    r.file("src/shop/apps/catalogue/__init__.py", "");
    r.file("src/shop/apps/catalogue/apps.py", "from shop.core.application import ShopConfig\n\n\n"
        + "class CatalogueConfig(ShopConfig):\n    label = \"catalogue\"\n"
        + "    name = \"shop.apps.catalogue\"\n    default = True\n");
    r.file("src/shop/apps/catalogue/migrations/__init__.py", "");
    r.file("src/shop/apps/catalogue/migrations/0001_initial.py", migration(""));
    r.file("src/shop/apps/catalogue/migrations/0002_product_options.py",
        migration("(\"catalogue\", \"0001_initial\")"));
    r.file("src/shop/apps/catalogue/migrations/0002_attribute_code.py",
        migration("(\"catalogue\", \"0001_initial\")"));
    r.file("src/shop/apps/dashboard/__init__.py", "");
    r.file("src/shop/apps/dashboard/catalogue/__init__.py", "");
    r.file("src/shop/apps/dashboard/catalogue/apps.py",
        "from shop.core import application\n\n\n"
            + "class CatalogueDashboardConfig(application.ShopDashboardConfig):\n"
            + "    label = \"catalogue_dashboard\"\n    name = \"shop.apps.dashboard.catalogue\"\n"
            + "    default = True\n");
    r.file("src/shop/apps/partner/__init__.py", "");
    r.file("src/shop/apps/partner/migrations/__init__.py", "");
    r.file("src/shop/apps/partner/migrations/0001_initial.py",
        migration("(\"catalogue\", \"0001_initial\")"));
    r.file("sandbox/manage.py", MANAGE);
    r.file("sandbox/gateway/__init__.py", "");
    r.file("sandbox/gateway/migrations/__init__.py", "");
    r.file("sandbox/gateway/migrations/0001_initial.py", migration("(\"partner\", \"__first__\")"));
  }

  static final Scenario SRC_LAYOUT = new Scenario("src-layout", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      shopPackage(r, "");
      r.file("setup.py", "from setuptools import find_packages, setup\n\nsetup(\n"
          + "    name=\"shop\",\n    package_dir={\"\": \"src\"},\n"
          + "    packages=find_packages(\"src\"),\n)\n");
      r.file("sandbox/settings.py", "INSTALLED_APPS = [\n"
          + "    \"django.contrib.auth\",\n    \"django.contrib.contenttypes\",\n"
          + "    \"shop.apps.catalogue\",\n    \"shop.apps.dashboard.catalogue\",\n"
          + "    \"shop.apps.partner\",\n"
          + "    \"widget_tweaks\",\n    \"reports.apps.catalogue.config.CatalogueConfig\",\n"
          + "    \"gateway\",\n]\n");
      r.commit("shop in a src layout");
    }
  });

  static final Scenario CORE_APPS_CALL = new Scenario("core-apps-call", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      shopPackage(r, "SHOP_CORE_APPS = [\n    \"shop.apps.catalogue\",\n"
          + "    \"shop.apps.dashboard.catalogue\",\n    \"shop.apps.partner\",\n]\n\n\n"
          + "def get_core_apps(overrides=None):\n    return SHOP_CORE_APPS + list(overrides or [])\n");
      r.file("setup.cfg", "[metadata]\nname = shop\n\n[options]\npackage_dir =\n    =src\n"
          + "packages = find:\n\n[options.packages.find]\nwhere = src\n");
      r.file("sandbox/settings.py", "import shop\n\nINSTALLED_APPS = [\n"
          + "    \"django.contrib.auth\",\n    \"django.contrib.contenttypes\",\n"
          + "    \"gateway\",\n] + shop.get_core_apps()\n");
      // A test project that forks 'partner' under the same label: not one of the sandbox's apps.
      r.file("tests/_site/apps/partner/__init__.py", "");
      r.file("tests/_site/apps/partner/migrations/__init__.py", "");
      r.file("tests/_site/apps/partner/migrations/0001_initial.py", migration(""));
      r.file("tests/_site/apps/partner/migrations/0002_fork.py",
          migration("(\"partner\", \"0001_initial\")"));
      r.commit("settings that call get_core_apps()");
    }
  });

  /** wagtail's test settings' shape: which user app is installed depends on the environment. */
  private static void environmentProject(RepoBuilder r) {
    environmentProject(r, "import os\n\nINSTALLED_APPS = [\"django.contrib.auth\", "
        + "\"shop\"]\n\nif os.environ.get(\"USE_EMAIL_USER_MODEL\"):\n"
        + "    INSTALLED_APPS.append(\"emailuser\")\n    AUTH_USER_MODEL = \"emailuser.User\"\n"
        + "else:\n    INSTALLED_APPS.append(\"customuser\")\n"
        + "    AUTH_USER_MODEL = \"customuser.User\"\n");
  }

  private static void environmentProject(RepoBuilder r, String settings) {
    r.file("manage.py", MANAGE.replace("\"settings\"", "\"site.settings\""));
    r.file("site/__init__.py", "");
    r.file("site/settings.py", settings);
    for (String app : List.of("shop", "emailuser", "customuser")) {
      r.file(app + "/__init__.py", "");
      r.file(app + "/migrations/__init__.py", "");
      r.file(app + "/migrations/0001_initial.py", migration(""));
    }
    r.commit("apps chosen by the environment");
    r.branch("feature");
    for (String app : List.of("emailuser", "customuser")) {
      r.file(app + "/migrations/0002_feature.py", migration("(\"" + app + "\", \"0001_initial\")"));
    }
    r.commit("feature: a migration in both user apps");
    r.checkout("main");
    for (String app : List.of("emailuser", "customuser")) {
      r.file(app + "/migrations/0002_main.py", migration("(\"" + app + "\", \"0001_initial\")"));
    }
    r.commit("main: a migration in both user apps");
  }

  static final Scenario SETTINGS_ENVIRONMENT = new Scenario("settings-environment", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      environmentProject(r);
    }
  });

  static final Scenario SETTINGS_ENVIRONMENT_CONFIG = new Scenario("settings-environment-config",
      dir -> {
        try (RepoBuilder r = RepoBuilder.init(dir)) {
          r.file("pyproject.toml", "[tool.migdiff.env]\nUSE_EMAIL_USER_MODEL = \"yes\"\n");
          environmentProject(r);
        }
      });

  /** cookiecutter-django's shape: the settings read the environment through django-environ. */
  static final Scenario SETTINGS_DJANGO_ENVIRON = new Scenario("settings-django-environ",
      dir -> {
        try (RepoBuilder r = RepoBuilder.init(dir)) {
          environmentProject(r, "import environ\n\nenv = environ.Env(DJANGO_DEBUG=(bool, False))"
              + "\nDEBUG = env(\"DJANGO_DEBUG\")\nINSTALLED_APPS = [\"django.contrib.auth\", "
              + "\"shop\"] + env.list(\"EXTRA_APPS\", default=[])\n\n"
              + "if env.bool(\"USE_EMAIL_USER_MODEL\", default=False):\n"
              + "    INSTALLED_APPS.append(\"emailuser\")\n"
              + "    AUTH_USER_MODEL = \"emailuser.User\"\n"
              + "else:\n    INSTALLED_APPS.append(\"customuser\")\n"
              + "    AUTH_USER_MODEL = \"customuser.User\"\n");
        }
      });

  static final Scenario SOURCE_ROOTS_CONFIG = new Scenario("source-roots-config", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      r.file("pyproject.toml", "[project]\nname = \"shop\"\n\n[tool.migdiff]\n"
          + "source-roots = [\"lib\"]\n");
      r.file("manage.py", MANAGE.replace("\"settings\"", "\"site.settings\""));
      r.file("site/__init__.py", "");
      r.file("site/settings.py", "INSTALLED_APPS = [\"django.contrib.auth\", \"billing\"]\n");
      r.file("lib/billing/__init__.py", "");
      r.file("lib/billing/migrations/__init__.py", "");
      r.file("lib/billing/migrations/0001_initial.py", migration("(\"auth\", \"__first__\")"));
      r.file("src/billing/__init__.py", "");
      r.file("src/billing/migrations/__init__.py", "");
      r.file("src/billing/migrations/0001_not_this_one.py", migration(""));
      r.commit("apps in lib/, said in [tool.migdiff]");
    }
  });
}
