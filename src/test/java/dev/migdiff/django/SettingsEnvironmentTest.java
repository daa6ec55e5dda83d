package dev.migdiff.django;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.MapSourceTree;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Settings that decide INSTALLED_APPS (or AUTH_USER_MODEL) on the environment, as wagtail's test
 * settings do ({@code if os.environ.get("USE_EMAIL_USER_MODEL"): ... else: ...}): migdiff runs
 * the block Django runs in an empty environment, or in the one given with {@code --env}, and says
 * which variables the answer depends on. Before, it used only the unconditional value and missed
 * the apps of the {@code else} block (41 cases of wagtail's history, docs/history-truth.md).
 */
class SettingsEnvironmentTest {

  private static DjangoProject load(Map<String, String> environment, String settings,
      String... more) throws Exception {
    Map<String, String> files = new TreeMap<>();
    files.put("manage.py", Django.MANAGE_PY);
    files.put("mysite/__init__.py", "");
    files.put("mysite/settings.py", settings);
    for (String app : List.of("shop", "blog", "users", "emailuser")) {
      files.put(app + "/__init__.py", "");
      files.put(app + "/migrations/__init__.py", "");
      files.put(app + "/migrations/0001_initial.py", Django.migration(""));
    }
    for (int i = 0; i < more.length; i += 2) {
      files.put(more[i], more[i + 1]);
    }
    DjangoConfig config = new DjangoConfig(null, null, Map.of(), Map.of(), null, null, null,
        environment);
    return ProjectLoader.load(MapSourceTree.of(files), config);
  }

  private static List<String> migrated(DjangoProject p) {
    return p.apps().stream().filter(a -> a.state() == App.State.MIGRATED).map(App::label)
        .sorted().toList();
  }

  private static List<String> findings(DjangoProject p) {
    return p.problems().stream().map(x -> x.severity().label() + ":" + x.code() + ":"
        + (x.pos() == null ? "" : x.pos().line() + ":") + x.message()).toList();
  }

  private static final String WAGTAIL_LIKE = """
      import os

      SECRET_KEY = "x"
      INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]

      if os.environ.get("USE_EMAIL_USER_MODEL"):
          INSTALLED_APPS.append("emailuser")
          AUTH_USER_MODEL = "emailuser.EmailUser"
      else:
          INSTALLED_APPS.append("users")
          AUTH_USER_MODEL = "users.User"

      if os.environ.get("DATABASE_ENGINE") == "django.db.backends.postgresql":
          INSTALLED_APPS.append("django.contrib.postgres")
      """;

  @Test
  void theBlockDjangoRunsInAnEmptyEnvironmentIsRun() throws Exception {
    DjangoProject p = load(Map.of(), WAGTAIL_LIKE);
    assertEquals(List.of("shop", "users"), migrated(p));
    assertEquals(List.of(
        "info:settings-environment:6:INSTALLED_APPS depends on the environment (DATABASE_ENGINE "
            + "unset, USE_EMAIL_USER_MODEL unset); migdiff reads the settings as Django would "
            + "with these values",
        "info:settings-environment:6:AUTH_USER_MODEL depends on the environment "
            + "(USE_EMAIL_USER_MODEL unset); migdiff reads the settings as Django would with "
            + "these values"), findings(p));
    assertTrue(p.problems().get(0).hint().contains("--env NAME=VALUE"));
  }

  @Test
  void givenVariablesChooseTheOtherBlock() throws Exception {
    DjangoProject p = load(Map.of("USE_EMAIL_USER_MODEL", "1"), WAGTAIL_LIKE);
    assertEquals(List.of("emailuser", "shop"), migrated(p));
    assertTrue(findings(p).get(0).contains("USE_EMAIL_USER_MODEL=1"), findings(p).toString());
    // An empty value is false in Python, as it is set.
    assertEquals(List.of("shop", "users"), migrated(load(Map.of("USE_EMAIL_USER_MODEL", ""),
        WAGTAIL_LIKE)));
  }

  @Test
  void testsAsRealSettingsWriteThem() throws Exception {
    String settings = """
        import os
        from os import environ, getenv

        SECRET_KEY = "x"
        DEBUG = os.getenv("DEBUG", "False").lower() in ("true", "1")
        SQL_DEBUG = bool(int(os.getenv("SQL_DEBUG", 0)))
        INSTALLED_APPS = ["shop"]
        if DEBUG or SQL_DEBUG:
            INSTALLED_APPS += ["emailuser"]
        elif "BLOG" not in environ and getenv("DB") is None:
            INSTALLED_APPS.insert(0, "blog")
        if environ.get("MODE", "full") != "lite" and not os.environ.get("NO_USERS"):
            INSTALLED_APPS.extend(["users"])
        """;
    assertEquals(List.of("blog", "shop", "users"), migrated(load(Map.of(), settings)));
    assertEquals(List.of("emailuser", "shop", "users"),
        migrated(load(Map.of("DEBUG", "True"), settings)));
    assertEquals(List.of("emailuser", "shop", "users"),
        migrated(load(Map.of("SQL_DEBUG", "2"), settings)));
    assertEquals(List.of("shop", "users"), migrated(load(Map.of("DB", "x"), settings)));
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of("MODE", "lite"), settings)));
    List<String> f = findings(load(Map.of(), settings));
    assertEquals(1, f.size(), f.toString());
    assertTrue(f.get(0).startsWith("info:settings-environment:8:INSTALLED_APPS depends on the "
        + "environment (BLOG unset, DB unset, DEBUG unset, MODE unset, NO_USERS unset, SQL_DEBUG "
        + "unset)"), f.get(0));
  }

  @Test
  void variablesTheSettingsSetThemselvesAreSeen() throws Exception {
    String settings = """
        import os

        os.environ.setdefault("MODE", "full")
        os.environ["FLAVOUR"] = "blog"
        INSTALLED_APPS = ["shop"]
        if os.environ["MODE"] == "full":
            INSTALLED_APPS.append(os.environ["FLAVOUR"])
        """;
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of(), settings)));
    assertEquals(List.of("shop"), migrated(load(Map.of("MODE", "lite"), settings)));
  }

  @Test
  void aTestThatDoesNotEvaluateKeepsTheUnconditionalValue() throws Exception {
    String settings = """
        import os
        import sys

        INSTALLED_APPS = ["shop"]
        if "test" in sys.argv or os.environ.get("X"):
            INSTALLED_APPS.append("blog")
        if secret := os.getenv("SECRET"):
            INSTALLED_APPS.append("users")
        if os.environ is None or os.environ == {} or os.getenv < 1:
            INSTALLED_APPS.append("emailuser")
        """;
    DjangoProject p = load(Map.of(), settings);
    assertEquals(List.of("shop"), migrated(p));
    assertEquals(List.of("info:settings-conditional:6:INSTALLED_APPS is also changed "
        + "conditionally; migdiff uses the unconditional value"), findings(p));
  }

  @Test
  void anIfOnStaticValuesRunsItsBlockWithoutAFinding() throws Exception {
    String settings = """
        DEBUG = False
        FEATURES = {"blog": True}
        INSTALLED_APPS = ["shop"]
        if DEBUG:
            INSTALLED_APPS.append("users")
        elif "blog" in FEATURES and len(INSTALLED_APPS) > 0:
            INSTALLED_APPS.append("emailuser")
        if FEATURES.get("blog"):
            INSTALLED_APPS.append("blog")
        """;
    DjangoProject p = load(Map.of(), settings);
    // "len(...)" does not evaluate: the first if stays conditional, the second too ("get")
    assertEquals(List.of("shop"), migrated(p));
    String simple = """
        DEBUG = False
        INSTALLED_APPS = ["shop", "debug_toolbar", "users"]
        if DEBUG:
            INSTALLED_APPS.append("emailuser")
        elif 1 < 2 <= 2:
            INSTALLED_APPS.append("blog")
        if not DEBUG:
            INSTALLED_APPS.remove("debug_toolbar")
        """;
    DjangoProject q = load(Map.of(), simple);
    assertEquals(List.of("blog", "shop", "users"), migrated(q));
    assertEquals(List.of(), findings(q));
    // Removing what is not there raises ValueError: Django cannot import these settings.
    DjangoProject r = load(Map.of(), simple.replace("remove(\"debug_toolbar\")",
        "remove(\"silk\")"));
    assertEquals(List.of("warning:settings-not-static:8:INSTALLED_APPS cannot be read "
        + "statically: INSTALLED_APPS.remove() is not evaluated statically"), findings(r));
  }

  @Test
  void anEnvironmentInABaseModuleReachesTheSettingsThatImportIt() throws Exception {
    String settings = """
        from .base import *

        INSTALLED_APPS += ["shop"]
        """;
    String base = """
        import os

        INSTALLED_APPS = []
        if os.environ.get("WITH_BLOG"):
            INSTALLED_APPS.append("blog")
        """;
    DjangoProject p = load(Map.of(), settings, "mysite/base.py", base);
    assertEquals(List.of("shop"), migrated(p));
    assertEquals(List.of("info:settings-environment:4:INSTALLED_APPS depends on the environment "
        + "(WITH_BLOG unset); migdiff reads the settings as Django would with these values"),
        findings(p));
    assertEquals("mysite/base.py", p.problems().get(0).file());
    assertEquals(List.of("blog", "shop"),
        migrated(load(Map.of("WITH_BLOG", "on"), settings, "mysite/base.py", base)));
  }

  /**
   * django-environ (environ/environ.py, {@code Env.get_value}): cookiecutter-django, wger and
   * django-oscar's sandbox read their settings through an {@code environ.Env()}.
   */
  @Test
  void djangoEnvironGettersAreReadAsItAnswersThem() throws Exception {
    String settings = """
        import environ
        from environ import Env

        env = environ.Env(USE_BLOG=(bool, True), EXTRA=list)
        env2 = Env()
        SECRET_KEY = env.str("SECRET_KEY", default="x")
        INSTALLED_APPS = ["shop"] + env.list("APPS", default=[])
        if env("USE_BLOG"):
            INSTALLED_APPS += ["blog"]
        if env.bool("WITH_USERS", False) or env2("FORCE_USERS", default=False):
            INSTALLED_APPS.append("users")
        if env.int("LEVEL", default=0) > 1:
            INSTALLED_APPS.append("emailuser")
        """;
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of(), settings)));
    assertEquals(List.of("shop"), migrated(load(Map.of("USE_BLOG", "off"), settings)));
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of("USE_BLOG", " Yes "), settings)));
    assertEquals(List.of("shop"), migrated(load(Map.of("USE_BLOG", "0"), settings)));
    assertEquals(List.of("blog", "shop", "users"),
        migrated(load(Map.of("WITH_USERS", "1_0"), settings)));
    // smart_cast: the default False makes the value a bool ('0' is False, not a true string)
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of("FORCE_USERS", "0"), settings)));
    assertEquals(List.of("blog", "shop", "users"),
        migrated(load(Map.of("FORCE_USERS", "ok"), settings)));
    assertEquals(List.of("blog", "emailuser", "shop"),
        migrated(load(Map.of("LEVEL", " 1_0 "), settings)));
    // int('1__0') fails in Python: the test is not evaluated
    assertEquals(List.of("info:settings-conditional:13:INSTALLED_APPS is also changed "
        + "conditionally; migdiff uses the unconditional value"),
        findings(load(Map.of("LEVEL", "1__0"), settings)).subList(0, 1));
    assertEquals(List.of("blog", "emailuser", "shop", "users"),
        migrated(load(Map.of("APPS", "users,,emailuser"), settings)));
    List<String> f = findings(load(Map.of(), settings));
    assertEquals(1, f.size(), f.toString());
    assertTrue(f.get(0).startsWith("info:settings-environment:7:INSTALLED_APPS depends on the "
        + "environment (APPS unset, FORCE_USERS unset, LEVEL unset, USE_BLOG unset, WITH_USERS "
        + "unset)"), f.get(0));
  }

  @Test
  void djangoEnvironWithoutAValueOrADefaultFailsAsDjangoWould() throws Exception {
    String settings = """
        import environ

        env = environ.Env()
        INSTALLED_APPS = ["shop"]
        if env.bool("WITH_BLOG"):
            INSTALLED_APPS.append("blog")
        """;
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of("WITH_BLOG", "true"), settings)));
    // (an if whose test cannot be evaluated, as ever: the unconditional value, and a finding)
    assertEquals(List.of("info:settings-conditional:6:INSTALLED_APPS is also changed "
        + "conditionally; migdiff uses the unconditional value"),
        findings(load(Map.of(), settings)));
    String assigned = """
        import environ

        env = environ.Env()
        INSTALLED_APPS = env.list("APPS")
        """;
    assertEquals(List.of("blog", "shop"), migrated(load(Map.of("APPS", "shop,blog"), assigned)));
    List<String> f = findings(load(Map.of(), assigned));
    assertEquals(1, f.size(), f.toString());
    assertTrue(f.get(0).startsWith("warning:settings-not-static:4:INSTALLED_APPS cannot be read "
        + "statically: environment variable APPS is not set (django-environ raises "
        + "ImproperlyConfigured"), f.get(0));
  }

  @Test
  void djangoEnvironShapesItDoesNotReadStayConditional() throws Exception {
    for (String test : List.of("env.float(\"X\", default=0.0)", "env.json(\"X\", default=1)",
        "env.str(\"X\", default=\"$Y\")", "env.list(\"X\", cast=int, default=[])",
        "env.str(\"X\", default=\"a\", choices=[\"a\"])", "env(\"X\", default=list)",
        "env.bool(*[\"X\"])", "environ.Env(X=(bool,))(\"X\", default=1)")) {
      String settings = "import environ\n\nenv = environ.Env()\nINSTALLED_APPS = [\"shop\"]\n"
          + "if " + test + ":\n    INSTALLED_APPS.append(\"blog\")\n";
      DjangoProject p = load(Map.of(), settings);
      assertEquals(List.of("shop"), migrated(p), test);
      assertEquals(List.of("info:settings-conditional:6:INSTALLED_APPS is also changed "
          + "conditionally; migdiff uses the unconditional value"), findings(p), test);
    }
  }
}
