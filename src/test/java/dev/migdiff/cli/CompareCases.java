package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.cli.CliCases.Case;
import dev.migdiff.cli.CliCases.Scenario;
import dev.migdiff.oracle.SwitchShapes;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Golden cases of {@code migdiff FROM TO} and the two-branch repositories they run on. */
final class CompareCases {
  private CompareCases() {}

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    c.add(new Case("diff-fork-text", FORK, List.of("main", "feature")));
    c.add(new Case("diff-fork-json", FORK, List.of("diff", "--format", "json", "main", "feature")));
    c.add(new Case("diff-options-first", FORK, List.of("--format", "json", "main", "feature")));
    c.add(new Case("diff-fork-reverse", FORK, List.of("feature", "main")));
    c.add(new Case("diff-same-ref", FORK, List.of("main", "main")));
    c.add(new Case("diff-fail-on-unapply", FORK,
        List.of("diff", "--fail-on", "unapply", "feature", "feature~1")));
    c.add(new Case("diff-three-way", THREE_WAY, List.of("main", "feature")));
    c.add(new Case("diff-cross-app", CROSS_APP, List.of("main", "feature")));
    c.add(new Case("diff-collateral", COLLATERAL, List.of("main", "feature")));
    c.add(new Case("diff-squash-one-side", SQUASH, List.of("squashed", "main")));
    c.add(new Case("diff-squash-transition", SQUASH, List.of("main", "transitioned")));
    c.add(new Case("diff-squash-transition-back", SQUASH, List.of("transitioned", "main")));
    c.add(new Case("diff-edited-renamed", EDITED, List.of("main", "feature")));
    c.add(new Case("diff-from-has-merge", FROM_MERGE, List.of("main", "feature")));
    c.add(new Case("diff-from-has-conflict", FROM_MERGE, List.of("broken", "feature")));
    c.add(new Case("diff-irreversible", IRREVERSIBLE, List.of("main", "feature")));
    c.add(new Case("diff-irreversible-json", IRREVERSIBLE,
        List.of("diff", "--format", "json", "--fail-on", "irreversible", "main", "feature")));
    c.add(new Case("diff-unrelated", UNRELATED, List.of("main", "orphan")));
    // FROM and TO are read while the merge base is walked: the walk's answer still comes first
    c.add(new Case("diff-unrelated-bad-config", UNRELATED_BAD_CONFIG, List.of("main", "orphan")));
    c.add(new Case("diff-shallow", SHALLOW, List.of("main", "feature")));
    c.add(new Case("diff-ambiguous-target", AMBIGUOUS, List.of("main", "feature")));
    c.add(new Case("diff-text-conflict", TEXT_CONFLICT, List.of("main", "feature")));
    c.add(new Case("diff-prefix-ambiguous", PREFIX, List.of("main", "feature")));
    c.add(new Case("diff-color", FORK, List.of("diff", "--color", "always", "main", "feature")));
    c.add(new Case("diff-fail-on-changed", EDITED,
        List.of("diff", "--fail-on", "changed", "main", "feature")));
    c.add(new Case("diff-django-31-names", FORK,
        List.of("diff", "--django-version", "3.1", "main", "feature")));
    c.add(new Case("diff-deploy-text", DEPLOY, List.of("main", "feature")));
    c.add(new Case("diff-deploy-json", DEPLOY,
        List.of("diff", "--format", "json", "--fail-on", "unsafe", "main", "feature")));
    c.add(new Case("diff-merged-dangling-cycle", MERGED_CYCLE, List.of("diff", "feature", "main")));
    c.add(new Case("diff-merged-dangling-cycle-reverse", MERGED_CYCLE, List.of("diff", "main", "feature")));
    for (String shape : new java.util.TreeSet<>(SwitchShapes.ALL.keySet())) {
      Scenario sc = new Scenario("cmp-shape-" + shape, SwitchShapes.ALL.get(shape));
      c.add(new Case("diff-shape-" + shape, sc, List.of("main", "feature")));
    }
    c.add(new Case("diff-shape-run-before-json",
        new Scenario("cmp-shape-run-before", SwitchShapes.ALL.get("run-before")),
        List.of("diff", "--format", "json", "main", "feature")));
    return c;
  }

  /**
   * Issue 12, item 5: fifteen migrations; feature points 0003 at main's 0016_main (a dangling
   * dependency on feature) and adds 0016_feature; main adds 0016_main and 0017_main. The merged
   * tree has two leaves and a cycle through 0003..0016_main: the merge preview used to walk it
   * forever (Django raises CircularDependencyError there, and NodeNotFoundError on feature).
   */
  static final Scenario MERGED_CYCLE = new Scenario("cmp-merged-cycle", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_m.py", migration(""));
      for (int i = 2; i <= 15; i++) {
        r.file(String.format("shop/migrations/%04d_m.py", i),
            migration(String.format("(\"shop\", \"%04d_m\")", i - 1)));
      }
      r.commit("fifteen migrations");
      r.branch("feature");
      r.file("shop/migrations/0016_feature.py", migration("(\"shop\", \"0015_m\")"));
      r.file("shop/migrations/0003_m.py",
          migration("(\"shop\", \"0002_m\"), (\"shop\", \"0016_main\")"));
      r.commit("feature: 0003 after main's 0016");
      r.checkout("main");
      r.file("shop/migrations/0016_main.py", migration("(\"shop\", \"0015_m\")"));
      r.file("shop/migrations/0017_main.py", migration("(\"shop\", \"0016_main\")"));
      r.commit("main: two more");
    }
  });

  private static RepoBuilder base(RepoBuilder r, List<String> apps) {
    Django.project(r, apps, "");
    return r;
  }

  static final Scenario FORK = new Scenario("cmp-fork", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("blog"));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0002_post.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0003_feature_a.py", migration("(\"blog\", \"0002_post\")"));
      r.commit("feature a");
      r.file("blog/migrations/0004_feature_b.py", migration("(\"blog\", \"0003_feature_a\")"));
      r.commit("feature b");
      r.checkout("main");
      r.file("blog/migrations/0003_main.py", migration("(\"blog\", \"0002_post\")"));
      r.commit("main");
    }
  });

  static final Scenario THREE_WAY = new Scenario("cmp-three-way", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.commit("base");
      r.branch("feature");
      r.file("shop/migrations/0002_b.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0002_c.py", migration("(\"shop\", \"0001_initial\")"));
      r.commit("feature forks twice");
      r.checkout("main");
      r.file("shop/migrations/0002_a.py", migration("(\"shop\", \"0001_initial\")"));
      r.commit("main");
    }
  });

  static final Scenario CROSS_APP = new Scenario("cmp-cross-app", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("blog", "shop"));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0001_initial.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("base");
      r.branch("feature");
      r.file("shop/migrations/0002_feature.py", migration("(\"shop\", \"0001_initial\")"));
      r.commit("feature");
      r.checkout("main");
      r.file("blog/migrations/0002_main.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("shop/migrations/0002_uses_blog.py",
          migration("(\"shop\", \"0001_initial\"), (\"blog\", \"0002_main\")"));
      r.file("shop/migrations/0003_more.py", migration("(\"shop\", \"0002_uses_blog\")"));
      r.commit("main: cross-app chain");
    }
  });

  static final Scenario COLLATERAL = new Scenario("cmp-collateral", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_b.py", migration("(\"shop\", \"0001_initial\")"));
      r.commit("base");
      r.branch("feature");
      r.commit("feature has nothing new");
      r.checkout("main");
      r.file("shop/migrations/0002_a.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_merge_0002_a_0002_b.py",
          migration("(\"shop\", \"0002_a\"), (\"shop\", \"0002_b\")"));
      r.commit("main: a sibling of 0002_b and a merge");
    }
  });

  static final Scenario SQUASH = new Scenario("cmp-squash", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_a.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_b.py", migration("(\"shop\", \"0002_a\")"));
      r.commit("base");
      r.branch("squashed");
      r.file("shop/migrations/0001_squashed_0003_b.py", migration("",
          "    replaces = [(\"shop\", \"0001_initial\"), (\"shop\", \"0002_a\"), (\"shop\", \"0003_b\")]\n"));
      r.file("shop/migrations/0004_c.py", migration("(\"shop\", \"0003_b\")"));
      r.commit("squash, keep the replaced files");
      r.branch("transitioned");
      r.delete("shop/migrations/0001_initial.py").delete("shop/migrations/0002_a.py")
          .delete("shop/migrations/0003_b.py");
      r.file("shop/migrations/0001_squashed_0003_b.py", migration(""));
      r.file("shop/migrations/0004_c.py", migration("(\"shop\", \"0001_squashed_0003_b\")"));
      r.commit("transition: delete replaced files, drop replaces");
      r.checkout("main");
      r.file("shop/migrations/0004_main.py", migration("(\"shop\", \"0003_b\")"));
      r.commit("main moves on");
    }
  });

  static final Scenario EDITED = new Scenario("cmp-edited", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("blog"));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0002_x.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0003_y.py", migration("(\"blog\", \"0002_x\")"));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0002_x.py", migration("(\"blog\", \"0001_initial\")",
          "    # edited after it was applied\n"));
      r.delete("blog/migrations/0003_y.py");
      r.file("blog/migrations/0003_renamed_y.py", migration("(\"blog\", \"0002_x\")"));
      r.commit("feature: edit 0002, rename 0003");
      r.checkout("main");
      r.commit("main: nothing");
    }
  });

  static final Scenario FROM_MERGE = new Scenario("cmp-from-merge", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("blog"));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0002_feature.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("feature");
      r.checkout("main");
      r.branch("broken");
      r.file("blog/migrations/0002_feature.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0002_main.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("broken: two leaves, no merge migration");
      r.checkout("main");
      r.file("blog/migrations/0002_feature.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0002_main.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0003_merge_0002_feature_0002_main.py",
          migration("(\"blog\", \"0002_feature\"), (\"blog\", \"0002_main\")"));
      r.commit("main: merged feature and main");
    }
  });

  static final Scenario IRREVERSIBLE = new Scenario("cmp-irreversible", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration("").replace("operations = []", """
          operations = [
                  migrations.CreateModel("Item", fields=[
                      ("id", models.AutoField(primary_key=True)),
                      ("code", models.CharField(max_length=10)),
                      ("note", models.TextField(null=True)),
                  ]),
              ]"""));
      r.commit("base");
      r.branch("feature");
      r.commit("feature");
      r.checkout("main");
      r.file("shop/migrations/0002_widen.py", migration("(\"shop\", \"0001_initial\")")
          .replace("operations = []", """
          operations = [
                  migrations.AlterField("item", "code", models.CharField(max_length=50)),
                  migrations.AddField("item", "extra", models.IntegerField(default=0)),
              ]"""));
      r.file("shop/migrations/0003_data.py", migration("(\"shop\", \"0002_widen\")")
          .replace("operations = []", """
          operations = [
                  migrations.RunPython(forwards),
                  migrations.RunSQL("UPDATE x", reverse_sql=migrations.RunSQL.noop),
                  migrations.SeparateDatabaseAndState(database_operations=[migrations.RunSQL("DROP x")]),
              ]""").replace("class Migration", "def forwards(apps, schema_editor):\n    pass\n\n\nclass Migration"));
      r.file("shop/migrations/0004_drop.py", migration("(\"shop\", \"0003_data\")")
          .replace("operations = []", """
          operations = [
                  migrations.RemoveField("item", "code"),
                  migrations.RemoveField("item", "note"),
                  migrations.DeleteModel("Other"),
                  myapp.operations.CustomThing(),
              ]"""));
      r.commit("main: risky migrations");
    }
  });

  /** feature adds migrations that break the old code still running during a deploy. */
  static final Scenario DEPLOY = new Scenario("cmp-deploy", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration("").replace("operations = []", """
          operations = [
                  migrations.CreateModel("Item", fields=[
                      ("id", models.AutoField(primary_key=True)),
                      ("code", models.CharField(max_length=10)),
                      ("note", models.TextField(null=True)),
                      ("qty", models.IntegerField()),
                  ]),
              ]"""));
      r.commit("base");
      r.branch("feature");
      r.file("shop/migrations/0002_rework.py", migration("(\"shop\", \"0001_initial\")")
          .replace("operations = []", """
          operations = [
                  migrations.AddField("item", "label", models.CharField(max_length=20, null=True)),
                  migrations.RenameField("item", "code", "sku"),
                  migrations.RemoveField("item", "note"),
                  migrations.AddField("item", "size", models.IntegerField()),
                  migrations.AlterField("item", "qty", models.CharField(max_length=5)),
              ]"""));
      r.file("shop/migrations/0003_backfill.py", migration("(\"shop\", \"0002_rework\")")
          .replace("operations = []", """
          operations = [
                  migrations.RunPython(fill, migrations.RunPython.noop),
                  migrations.AddField("item", "weight", models.IntegerField(db_default=0)),
              ]""").replace("class Migration", "def fill(apps, schema_editor):\n    pass\n\n\nclass Migration"));
      r.commit("feature: rework items");
      r.checkout("main");
      r.commit("main: nothing");
    }
  });

  /** Commits a project with blog on main, then leaves HEAD on a branch "orphan" with no commit yet. */
  private static void onAnOrphanBranch(RepoBuilder r, java.nio.file.Path dir) {
    base(r, List.of("blog"));
    r.commit("main");
    try {
      Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/orphan\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final Scenario UNRELATED = new Scenario("cmp-unrelated", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      onAnOrphanBranch(r, dir);
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("an orphan branch");
    }
  });

  static final Scenario UNRELATED_BAD_CONFIG = new Scenario("cmp-unrelated-bad-config", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      onAnOrphanBranch(r, dir);
      r.file("pyproject.toml", "[tool.migdiff]\nno_such_key = 1\n");
      r.commit("an orphan branch with a broken configuration");
    }
  });

  static final Scenario SHALLOW = new Scenario("cmp-shallow", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("blog"));
      r.commit("base");
      r.branch("feature");
      String f = r.commit("feature");
      r.checkout("main");
      String m = r.commit("main");
      try {
        Files.writeString(dir.resolve(".git/shallow"), f + "\n" + m + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  });

  static final Scenario TEXT_CONFLICT = new Scenario("cmp-text-conflict", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("blog"));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0002_edit.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0003_same_name.py", migration("(\"blog\", \"0002_edit\")", "    # feature\n"));
      r.file("blog/migrations/0002_edit.py", migration("(\"blog\", \"0001_initial\")", "    # feature edit\n"));
      r.commit("feature");
      r.checkout("main");
      r.file("blog/migrations/0003_same_name.py", migration("(\"blog\", \"0002_edit\")", "    # main\n"));
      r.file("blog/migrations/0002_edit.py", migration("(\"blog\", \"0001_initial\")", "    # main edit\n"));
      r.commit("main");
    }
  });

  /** 0002_x is a prefix of 0002_x2: `migrate shop 0002_x` is ambiguous in Django. */
  static final Scenario PREFIX = new Scenario("cmp-prefix", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_x.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0002_x2.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0003_merge.py", migration("(\"shop\", \"0002_x\"), (\"shop\", \"0002_x2\")"));
      r.commit("base");
      r.branch("feature");
      r.commit("feature");
      r.checkout("main");
      r.file("shop/migrations/0003_y.py", migration("(\"shop\", \"0002_x\")"));
      r.file("shop/migrations/0004_merge.py", migration("(\"shop\", \"0003_merge\"), (\"shop\", \"0003_y\")"));
      r.commit("main");
    }
  });

  static final Scenario AMBIGUOUS = new Scenario("cmp-ambiguous", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      base(r, List.of("shop"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_x.py", migration("(\"shop\", \"0001_initial\")"));
      r.file("shop/migrations/0002_x_squashed_0003_y.py", migration("(\"shop\", \"0001_initial\")",
          "    replaces = [(\"shop\", \"0002_x\"), (\"shop\", \"0003_y\")]\n"));
      r.file("shop/migrations/0003_y.py", migration("(\"shop\", \"0002_x\")"));
      r.commit("base");
      r.branch("feature");
      r.commit("feature");
      r.checkout("main");
      r.file("shop/migrations/0004_z.py", migration("(\"shop\", \"0003_y\")"));
      r.commit("main");
    }
  });
}
