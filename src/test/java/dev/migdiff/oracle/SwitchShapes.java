package dev.migdiff.oracle;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Two-branch repositories (FROM is {@code main}, TO is {@code feature}) whose switch plan only
 * TO's graph, as Django's loader builds it, gets right. The golden CLI cases show migdiff's
 * answer on them and {@link SwitchDifferentialTest} checks it with real Django.
 */
public final class SwitchShapes {
  private SwitchShapes() {}

  /** Each shape by name. */
  public static final Map<String, Consumer<Path>> ALL = Map.of(
      "run-before", SwitchShapes::runBeforeOnTo,
      "squash-over-edited", SwitchShapes::squashOverEdited,
      "collateral-kept", SwitchShapes::collateralTheOtherBranchKeeps,
      "label-change", SwitchShapes::labelChange,
      "latest", SwitchShapes::latestMovesOnTo);

  private static RepoBuilder project(RepoBuilder r, List<String> apps) {
    // The oracle points Django at its SQLite file through MIGDIFF_DB.
    Django.project(r, apps, "import os\n\nDATABASES = {\"default\": {\"ENGINE\": "
        + "\"django.db.backends.sqlite3\", \"NAME\": os.environ.get(\"MIGDIFF_DB\", "
        + "\"db.sqlite3\")}}\n");
    r.file("requirements.txt", "Django==3.2.25\n");
    return r;
  }

  private static String dep(String app, String name) {
    return "(\"" + app + "\", \"" + name + "\")";
  }

  /**
   * TO adds {@code tagging_v2.0004_add_status} with {@code run_before = [0001_first]}: at TO the
   * applied 0001_first depends on an unapplied migration, so Django raises
   * InconsistentMigrationHistory unless it is unapplied first (and with it 0002 and 0003, which
   * TO keeps: collateral).
   */
  public static void runBeforeOnTo(Path dir) {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r, List.of("tagging_v2"));
      r.file("tagging_v2/migrations/0001_first.py", migration(""));
      r.file("tagging_v2/migrations/0002_tag.py", migration(dep("tagging_v2", "0001_first")));
      r.file("tagging_v2/migrations/0003_index.py", migration(dep("tagging_v2", "0002_tag")));
      r.commit("base");
      r.branch("feature");
      r.file("tagging_v2/migrations/0004_add_status.py", migration("",
          "    run_before = [" + dep("tagging_v2", "0001_first") + "]\n"));
      r.commit("feature: 0004_add_status runs before 0001_first");
      r.checkout("main");
      r.file("README", "main moves on\n");
      r.commit("main");
    }
  }

  /**
   * TO gives tickets.0004 one more dependency (a migration new on TO) and squashes 0004 and
   * 0005. Both are applied, so Django at TO uses the squash and nothing is inconsistent: nothing
   * must be unapplied (0005 is irreversible, so a plan that unapplied it would stop there).
   */
  public static void squashOverEdited(Path dir) {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r, List.of("people", "tickets"));
      r.file("people/migrations/0001_initial.py", migration(""));
      r.file("tickets/migrations/0001_initial.py", migration(""));
      r.file("tickets/migrations/0002_a.py", migration(dep("tickets", "0001_initial")));
      r.file("tickets/migrations/0003_b.py", migration(dep("tickets", "0002_a")));
      r.file("tickets/migrations/0004_c.py", migration(dep("tickets", "0003_b")));
      r.file("tickets/migrations/0005_d.py", "from django.db import migrations\n\n\n"
          + "class Migration(migrations.Migration):\n\n"
          + "    dependencies = [" + dep("tickets", "0004_c") + "]\n\n"
          + "    operations = [migrations.RunPython(lambda apps, schema_editor: None)]\n");
      r.commit("base");
      r.branch("feature");
      r.file("people/migrations/0002_new.py", migration(dep("people", "0001_initial")));
      r.file("tickets/migrations/0004_c.py", migration(dep("tickets", "0003_b") + ", "
          + dep("people", "0002_new")));
      r.file("tickets/migrations/0004_squashed_0005_d.py", migration(dep("tickets", "0003_b")
          + ", " + dep("people", "0002_new"),
          "    replaces = [" + dep("tickets", "0004_c") + ", " + dep("tickets", "0005_d") + "]\n"));
      r.commit("feature: 0004 depends on people.0002_new; squash 0004 and 0005");
      r.checkout("main");
      r.file("README", "main moves on\n");
      r.commit("main");
    }
  }

  /**
   * FROM adds shop.0002_sale and makes blog.0002_post depend on it; TO has blog.0002_post as it
   * was. Unapplying shop.0002_sale takes blog.0002_post down, but TO has it and accepts it:
   * collateral, not required.
   */
  public static void collateralTheOtherBranchKeeps(Path dir) {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r, List.of("shop", "blog"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0001_initial.py", migration(dep("shop", "0001_initial")));
      r.file("blog/migrations/0002_post.py", migration(dep("blog", "0001_initial")));
      r.commit("base");
      r.branch("feature");
      r.file("README", "feature\n");
      r.commit("feature");
      r.checkout("main");
      r.file("shop/migrations/0002_sale.py", migration(dep("shop", "0001_initial")));
      r.file("blog/migrations/0002_post.py", migration(dep("blog", "0001_initial") + ", "
          + dep("shop", "0002_sale")));
      r.commit("main: blog.0002_post depends on shop.0002_sale");
    }
  }

  /**
   * TO gives the app in {@code tags/} the label {@code tagging}: Django at TO ignores the rows
   * under {@code tags} (its tables stay), and applies {@code tagging}'s migrations anew. Only
   * unapplying {@code tags} at FROM leaves no rows and tables behind.
   */
  public static void labelChange(Path dir) {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r, List.of("tags"));
      r.file("tags/migrations/0001_initial.py", migration(""));
      r.file("tags/migrations/0002_color.py", migration(dep("tags", "0001_initial")));
      r.commit("base");
      r.branch("feature");
      r.file("tags/apps.py", "from django.apps import AppConfig\n\n\n"
          + "class TagsConfig(AppConfig):\n    name = \"tags\"\n    label = \"tagging\"\n");
      r.file("tags/migrations/0002_color.py", migration(dep("tagging", "0001_initial")));
      r.commit("feature: the app's label is tagging");
      r.checkout("main");
      r.file("README", "main moves on\n");
      r.commit("main");
    }
  }

  /**
   * blog.0001_initial depends on {@code ("shop", "__latest__")}; TO adds shop.0002_price, so at
   * TO that dependency is shop.0002_price, not applied: blog must be unapplied first.
   */
  public static void latestMovesOnTo(Path dir) {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      project(r, List.of("shop", "blog"));
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0001_initial.py", migration(dep("shop", "__latest__")));
      r.file("blog/migrations/0002_post.py", migration(dep("blog", "0001_initial")));
      r.commit("base");
      r.branch("feature");
      r.file("shop/migrations/0002_price.py", migration(dep("shop", "0001_initial")));
      r.commit("feature: shop.0002_price");
      r.checkout("main");
      r.file("README", "main moves on\n");
      r.commit("main");
    }
  }
}
