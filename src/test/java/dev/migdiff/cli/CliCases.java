package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The golden CLI cases and the scenario repositories they run on. */
final class CliCases {
  private CliCases() {}

  record Scenario(String name, Consumer<Path> build) {}

  record Case(String name, Scenario scenario, List<String> args) {}

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    for (String f : List.of("text", "json", "dot", "mermaid")) {
      c.add(new Case("fork-" + f, FORK, List.of("graph", "--format", f)));
      c.add(new Case("linear-" + f, FORK, List.of("graph", "--format", f, "v1")));
    }
    c.add(new Case("fork-manage-prefix", FORK, List.of("graph", "--manage", "uv run manage.py")));
    c.add(new Case("cross-app-json", CROSS_APP, List.of("graph", "--format", "json")));
    c.add(new Case("cross-app-custom-user", CROSS_APP,
        List.of("graph", "--auth-user-model", "accounts.User")));
    c.add(new Case("squash-text", SQUASH, List.of("graph", "main")));
    c.add(new Case("squash-transitioned", SQUASH, List.of("graph", "transitioned")));
    c.add(new Case("labels-text", LABELS, List.of("graph")));
    c.add(new Case("ignored-files", IGNORED, List.of("graph")));
    c.add(new Case("settings-package", SETTINGS_PACKAGE, List.of("graph", "--format", "json")));
    c.add(new Case("no-settings-fallback", NO_SETTINGS, List.of("graph")));
    c.add(new Case("no-settings-configured", NO_SETTINGS,
        List.of("graph", "--settings", "conf.settings", "--project-root", "src")));
    c.add(new Case("project-root-dot", FORK, List.of("graph", "--project-root", ".")));
    c.add(new Case("project-root-dot-slash", PYPROJECT,
        List.of("graph", "--project-root", "./backend/")));
    c.add(new Case("broken-files", BROKEN, List.of("graph")));
    c.add(new Case("broken-files-json", BROKEN, List.of("graph", "--format", "json")));
    c.add(new Case("pyproject-config", PYPROJECT, List.of("graph")));
    c.add(new Case("error-unknown-ref", FORK, List.of("graph", "featur-x")));
    c.add(new Case("error-bad-option", FORK, List.of("graph", "--frmat", "json")));
    c.add(new Case("error-bad-format", FORK, List.of("graph", "--format", "yaml")));
    c.add(new Case("error-not-a-repo", FORK, List.of("<no-C>", "-C", "/", "graph")));
    c.add(new Case("error-bad-config", PYPROJECT_BROKEN, List.of("graph")));
    c.add(new Case("help-graph", FORK, List.of("graph", "--help")));
    c.add(new Case("help-diff", FORK, List.of("diff", "--help")));
    c.add(new Case("help", FORK, List.of("--help")));
    c.add(new Case("version", FORK, List.of("--version")));
    // -V is answered without picocli too; anything more goes through it
    c.add(new Case("version-short", FORK, List.of("-V")));
    c.add(new Case("version-unknown-option", FORK, List.of("--version", "--bogus")));
    c.add(new Case("doctor", FORK, List.of("doctor")));
    c.add(new Case("help-doctor", FORK, List.of("doctor", "--help")));
    c.add(new Case("doctor-pyproject", PYPROJECT, List.of("doctor")));
    c.add(new Case("doctor-options", FORK, List.of("doctor", "--settings", "conf.settings",
        "--django-version", "4.2", "--database", "sqlite:///db/dev.sqlite3")));
    c.add(new Case("config-file", CONFIG_FILE, List.of("graph", "--config", "<repo>/migdiff.toml")));
    c.add(new Case("config-file-missing", CONFIG_FILE,
        List.of("graph", "--config", "<repo>/nope.toml")));
    c.add(new Case("graph-label-override", LABELS,
        List.of("graph", "--label", "three=drei", "--migration-module", "lbl_one=none")));
    c.addAll(CompareCases.all());
    c.addAll(DatabaseCases.all());
    c.addAll(SnapshotCases.all());
    c.addAll(BotCases.all());
    c.addAll(BadInputCases.all());
    c.addAll(DiscoveryCases.all());
    c.addAll(RadarCases.all());
    return c;
  }

  static final Scenario FORK = new Scenario("fork", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog", "shop"), "");
      r.file("blog/migrations/0001_initial.py",
          migration("(\"auth\", \"0012_alter_user_first_name_max_length\")"));
      r.file("blog/migrations/0002_post_slug.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("shop/migrations/0001_initial.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("initial");
      r.tag("v1");
      r.file("blog/migrations/0003_post_body.py", migration("(\"blog\", \"0002_post_slug\")"));
      r.file("blog/migrations/0003_remove_post_slug.py", migration("(\"blog\", \"0002_post_slug\")"));
      r.commit("two branches merged without a merge migration");
    }
  });

  static final Scenario CROSS_APP = new Scenario("cross-app", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("accounts", "blog", "shop"), "");
      r.file("accounts/migrations/0001_initial.py", migration("(\"auth\", \"__first__\")"));
      r.file("accounts/migrations/0002_user_bio.py", migration("(\"accounts\", \"0001_initial\")"));
      r.file("blog/migrations/0001_initial.py",
          migration("migrations.swappable_dependency(settings.AUTH_USER_MODEL), (\"blog\", \"__first__\")")
              .replace("from django.db", "from django.conf import settings\nfrom django.db"));
      r.file("blog/migrations/0002_x.py",
          migration("(\"blog\", \"0001_initial\"), (\"accounts\", \"__latest__\")"));
      r.file("shop/migrations/0001_initial.py", migration("(\"accounts\", \"__first__\")"));
      r.file("shop/migrations/0002_y.py", migration("(\"shop\", \"0001_initial\")",
          "    run_before = [(\"blog\", \"0002_x\")]\n"));
      r.commit("cross-app dependencies");
    }
  });

  static final Scenario SQUASH = new Scenario("squash", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_a.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_b.py", migration("(\"shop\", \"0002_a\")"));
      r.file("shop/migrations/0001_squashed_0003_b.py", migration("",
          "    replaces = [(\"shop\", \"0001_initial\"), (\"shop\", \"0002_a\"), (\"shop\", \"0003_b\")]\n"));
      r.file("shop/migrations/0004_c.py", migration("(\"shop\", \"0003_b\")"));
      r.commit("squash");
      r.branch("transitioned");
      r.delete("shop/migrations/0001_initial.py").delete("shop/migrations/0002_a.py")
          .delete("shop/migrations/0003_b.py");
      r.commit("delete the replaced migrations");
    }
  });

  static final Scenario LABELS = new Scenario("labels", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("one", "two", "three", "four.apps.FourConfig", "five"),
          "MIGRATION_MODULES = {\"five\": None, \"lbl_one\": \"one.db_migrations\"}\n");
      r.file("one/apps.py", """
          from django.apps import AppConfig


          class OneConfig(AppConfig):
              name = "one"
              label = "lbl_one"
          """);
      r.file("one/db_migrations/__init__.py", "");
      r.file("one/db_migrations/0001_initial.py", migration(""));
      r.file("two/apps.py", """
          from django.apps import AppConfig


          class TwoConfig(AppConfig):
              name = "two"
              label = "lbl_two"


          class TwoAdminConfig(AppConfig):
              name = "two"
              label = "lbl_two_admin"
              default = True
          """);
      r.file("two/migrations/0001_initial.py", migration("(\"lbl_one\", \"0001_initial\")"));
      r.file("three/apps.py", """
          from django.apps import AppConfig


          class A(AppConfig):
              name = "three"
              label = "a"


          class B(AppConfig):
              name = "three"
              label = "b"
          """);
      r.file("three/migrations/0001_initial.py", migration(""));
      r.file("four/__init__.py", "");
      r.file("four/apps.py", """
          from django.apps import AppConfig


          class FourConfig(AppConfig):
              name = "four"
              label = "quatre"
              default = False
          """);
      r.file("four/migrations/__init__.py", "");
      r.file("four/migrations/0001_initial.py", migration(""));
      r.file("five/migrations/0001_initial.py", migration(""));
      r.file("notinstalled/__init__.py", "").file("notinstalled/migrations/__init__.py", "");
      r.file("notinstalled/migrations/0001_initial.py", migration(""));
      r.commit("label variants");
    }
  });

  static final Scenario IGNORED = new Scenario("ignored", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop", "nsapp"), "");
      r.delete("nsapp/migrations/__init__.py");
      r.file("nsapp/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_café.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_add-index.py", migration("(\"shop\", \"0002_café\")"));
      r.file("shop/migrations/_private.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/~backup.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0004_x.bak.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0005_pkg/__init__.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/README.md", "not python\n");
      r.commit("files Django ignores");
    }
  });

  static final Scenario SETTINGS_PACKAGE = new Scenario("settings-package", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      r.file("manage.py", Django.MANAGE_PY.replace("mysite.settings", "config.settings.local"));
      r.file("config/__init__.py", "").file("config/settings/__init__.py", "");
      r.file("config/settings/base.py", """
          import os

          DJANGO_APPS = [
              "django.contrib.auth",
              "django.contrib.contenttypes",
          ]
          LOCAL_APPS = ["users", "orders"]
          INSTALLED_APPS = DJANGO_APPS + LOCAL_APPS
          AUTH_USER_MODEL = "users.User"
          SECRET_KEY = os.environ.get("SECRET_KEY", "x")
          """);
      r.file("config/settings/local.py", """
          from .base import *  # noqa

          INSTALLED_APPS += ["debug_toolbar"]
          if os.environ.get("EXTRA"):
              INSTALLED_APPS += ["extra"]
          """);
      for (String app : List.of("users", "orders")) {
        r.file(app + "/__init__.py", "").file(app + "/migrations/__init__.py", "");
      }
      r.file("users/migrations/0001_initial.py", migration("(\"auth\", \"0012_alter_user_first_name_max_length\")"));
      r.file("orders/migrations/0001_initial.py",
          "from django.conf import settings\n" + migration("migrations.swappable_dependency(settings.AUTH_USER_MODEL)"));
      r.commit("cookiecutter-style settings");
    }
  });

  static final Scenario NO_SETTINGS = new Scenario("no-settings", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      r.file("src/conf/__init__.py", "").file("src/conf/settings.py",
          "INSTALLED_APPS = [\"catalog\"]\n");
      r.file("src/catalog/__init__.py", "").file("src/catalog/migrations/__init__.py", "");
      r.file("src/catalog/migrations/0001_initial.py", migration(""));
      r.file("src/orphan/__init__.py", "").file("src/orphan/migrations/__init__.py", "");
      r.file("src/orphan/migrations/0001_initial.py", migration(""));
      r.commit("no manage.py");
    }
  });

  static final Scenario BROKEN = new Scenario("broken", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_syntax.py", migration("(\"shop\", \"0001_initial\"")
          .replace("operations = []", "operations = [\n        migrations.RunSQL(\"x\"\n"));
      r.file("shop/migrations/0003_noclass.py", "from django.db import migrations\n");
      r.file("shop/migrations/0004_computed.py", migration("(\"shop\", \"0003_\" + NAME)"));
      r.file("shop/migrations/0005_dangling.py", migration("(\"shop\", \"0001_initial\"), (\"shop\", \"0099_missing\")"));
      r.file("shop/migrations/0006_list.py", migration("[\"shop\", \"0001_initial\"]"));
      r.file("shop/migrations/0007_a.py", migration("(\"shop\", \"0008_b\")"));
      r.file("shop/migrations/0008_b.py", migration("(\"shop\", \"0007_a\")"));
      r.commit("broken files");
    }
  });

  static final Scenario PYPROJECT = new Scenario("pyproject", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      r.file("pyproject.toml", """
          [project]
          name = "shop"
          dependencies = ["Django>=4.2,<5"]

          [tool.migdiff]
          project-root = "backend"
          settings = "core.settings"
          manage = "uv run manage.py"

          [tool.migdiff.labels]
          "apps.catalog" = "products"
          """);
      r.file("backend/manage.py", "print('no setdefault here')\n");
      r.file("backend/core/__init__.py", "");
      r.file("backend/core/settings.py", "INSTALLED_APPS = [\"apps.catalog\"]\n");
      r.file("backend/apps/__init__.py", "").file("backend/apps/catalog/__init__.py", "");
      r.file("backend/apps/catalog/migrations/__init__.py", "");
      r.file("backend/apps/catalog/migrations/0001_initial.py", migration(""));
      r.file("backend/apps/catalog/migrations/0002_a.py", migration("(\"products\", \"0001_initial\")"));
      r.file("backend/apps/catalog/migrations/0002_b.py", migration("(\"products\", \"0001_initial\")"));
      r.commit("configured project");
    }
  });

  static final Scenario CONFIG_FILE = new Scenario("config-file", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      r.file("src/site/__init__.py", "").file("src/site/conf.py", "INSTALLED_APPS = [\"legacy\"]\n");
      r.file("src/legacy/__init__.py", "").file("src/legacy/db_migrations/__init__.py", "");
      r.file("src/legacy/db_migrations/0001_initial.py", migration(""));
      r.file("migdiff.toml", """
          [tool.migdiff]
          project-root = "src"
          settings = "site.conf"

          [tool.migdiff.labels]
          legacy = "old"

          [tool.migdiff.migration-modules]
          old = "legacy.db_migrations"
          """);
      r.commit("settings and migrations only findable with a config file");
    }
  });

  static final Scenario PYPROJECT_BROKEN = new Scenario("pyproject-broken", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("pyproject.toml", "[tool.migdiff]\nsettings = 3\n");
      r.commit("bad config");
    }
  });
}
