package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.cli.CliCases.Case;
import dev.migdiff.cli.CliCases.Scenario;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden cases of the merge-request formats (markdown, github, gitlab-codequality): conflicts,
 * clean, unsafe deploy, a huge report summarised, and hostile names.
 */
final class BotCases {
  private BotCases() {}

  static final String HOSTILE_BRANCH = "evil/<img/src=x/onerror=alert(1)>`@everyone`#1](www.evil.com)";

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("md-conflicts", CompareCases.FORK, md("main", "feature")));
    c.add(new Case("md-clean", CLEAN, md("main", "feature")));
    c.add(new Case("md-unsafe-deploy", CompareCases.DEPLOY, md("main", "feature")));
    c.add(new Case("md-irreversible", CompareCases.IRREVERSIBLE, md("main", "feature")));
    c.add(new Case("md-huge", HUGE, md("main", "feature")));
    c.add(new Case("md-hostile", HOSTILE, md("main", HOSTILE_BRANCH)));
    c.add(new Case("github-conflicts-deploy", HOSTILE,
        List.of("diff", "--format", "github", "main", HOSTILE_BRANCH)));
    c.add(new Case("github-deploy", CompareCases.DEPLOY,
        List.of("diff", "--format", "github", "main", "feature")));
    c.add(new Case("codequality-conflicts", CompareCases.FORK,
        List.of("diff", "--format", "gitlab-codequality", "main", "feature")));
    c.add(new Case("codequality-deploy", CompareCases.DEPLOY,
        List.of("diff", "--format", "gitlab-codequality", "main", "feature")));
    c.add(new Case("md-other-heads", OTHERS, List.of("diff", "--format", "markdown",
        "--other-head", "discount=other-discount", "--other-head", "other-blog",
        "--other-head", "same-file=other-same-file", "--other-head", "x=" + OTHER_HOSTILE,
        "--other-head", "<b>gone</b>=no-such-branch", "main", "feature")));
    c.add(new Case("md-other-heads-none", OTHERS, List.of("diff", "--format", "markdown",
        "--other-head", "other-blog", "main", "feature")));
    c.add(new Case("error-other-head-text", OTHERS, List.of("diff", "--other-head",
        "other-blog", "main", "feature")));
    c.add(new Case("error-bad-diff-format", CompareCases.FORK,
        List.of("diff", "--format", "html", "main", "feature")));
    return c;
  }

  private static List<String> md(String from, String to) {
    return List.of("diff", "--format", "markdown", from, to);
  }

  /** feature adds one safe migration; main moves on elsewhere. */
  static final Scenario CLEAN = new Scenario("bot-clean", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0002_post_subtitle.py", migration("(\"blog\", \"0001_initial\")")
          .replace("operations = []", "operations = [\n        migrations.AddField(\"post\", "
              + "\"subtitle\", models.CharField(max_length=80, null=True)),\n    ]"));
      r.commit("feature: a nullable field");
      r.checkout("main");
      r.file("README.md", "main moves on\n");
      r.commit("main: docs");
    }
  });

  /**
   * Names an attacker controls: a branch name, an app label from apps.py, migration file
   * names and a model name inside an operation.
   */
  static final Scenario HOSTILE = new Scenario("bot-hostile", dir -> {
    String label = "shop](http://evil.com) <script>alert(1)</script> @everyone #12 | ``` -->";
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/apps.py", "from django.apps import AppConfig\n\n\n"
          + "class ShopConfig(AppConfig):\n    name = \"shop\"\n    label = \"" + label + "\"\n");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.commit("base");
      r.branch(HOSTILE_BRANCH);
      r.file("shop/migrations/0002_y`|`@everyone #1 [x](y).py",
          migration("(\"" + label + "\", \"0001_initial\")").replace("operations = []",
              "operations = [migrations.RemoveField(\"<b>x</b>](http://evil.com)\", \"@admin\")]"));
      r.commit("feature");
      r.checkout("main");
      r.file("shop/migrations/0002_x<img src=x onerror=alert(1)>.py",
          migration("(\"" + label + "\", \"0001_initial\")"));
      r.commit("main");
    }
  });

  static final String OTHER_HOSTILE = "evil/<img/src=x/onerror=alert(1)>`|`@everyone";

  /**
   * Other branches open into main besides {@code feature} (which adds shop 0002_coupon): one
   * adds another shop 0002 (a collision), one touches only blog, one adds a different
   * 0002_coupon file (a Git conflict), and one with a hostile name adds a third shop 0002.
   */
  static final Scenario OTHERS = new Scenario("bot-others", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop", "blog"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("base");
      String shop1 = "(\"shop\", \"0001_initial\")";
      for (String[] b : new String[][] {{"feature", "shop/migrations/0002_coupon.py", shop1},
          {"other-discount", "shop/migrations/0002_discount.py", shop1},
          {"other-blog", "blog/migrations/0002_tags.py", "(\"blog\", \"0001_initial\")"},
          {"other-same-file", "shop/migrations/0002_coupon.py", shop1 + ", (\"blog\", "
              + "\"0001_initial\")"},
          {OTHER_HOSTILE, "shop/migrations/0002_evil.py", shop1}}) {
        r.checkout("main");
        r.branch(b[0]);
        r.file(b[1], migration(b[2]));
        r.commit(b[0]);
      }
      r.checkout("main");
      r.file("README.md", "main moves on\n");
      r.commit("main: docs");
    }
  });

  /** 400 apps, each forked on both sides, each fork removing a field: far over the size limit. */
  static final Scenario HUGE = new Scenario("bot-huge", dir -> {
    List<String> apps = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      apps.add(String.format("app%03d", i));
    }
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, apps, "");
      for (String a : apps) {
        r.file(a + "/migrations/0001_initial.py", migration(""));
      }
      r.commit("base");
      r.branch("feature");
      for (String a : apps) {
        r.file(a + "/migrations/0002_feature.py", migration("(\"" + a + "\", \"0001_initial\")")
            .replace("operations = []", "operations = [migrations.RemoveField(\"item\", \"code\")]"));
      }
      r.commit("feature");
      r.checkout("main");
      for (String a : apps) {
        r.file(a + "/migrations/0002_main.py", migration("(\"" + a + "\", \"0001_initial\")"));
      }
      r.commit("main");
    }
  });
}
