package dev.migdiff.analysis;

import static dev.migdiff.testing.Django.migration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.django.ObjectCache;
import dev.migdiff.git.GitRepository;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call the merge-request bot makes: the collisions of one head with the other open requests
 * (numbers and titles kept), requests that cannot be read listed instead of thrown, and the
 * layout-changing path (a branch that installs a new app) read in full.
 */
class RadarTest {
  @TempDir Path tmp;

  private static final MigdiffConfig NONE = new MigdiffConfig(null, null, Map.of(), Map.of(),
      null, null, null);

  private static String dep(String app, String name) {
    return "(\"" + app + "\", \"" + name + "\")";
  }

  private void build() throws Exception {
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      Django.project(r, List.of("shop", "blog"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("initial");
      r.branch("pr/7");
      r.file("shop/migrations/0002_coupon.py", migration(dep("shop", "0001_initial")));
      r.commit("coupons");
      r.checkout("main");
      r.branch("pr/9");
      r.file("shop/migrations/0002_loyalty.py", migration(dep("shop", "0001_initial")));
      r.commit("loyalty");
      r.checkout("main");
      r.branch("pr/10");
      r.file("blog/migrations/0002_post.py", migration(dep("blog", "0001_initial")));
      r.commit("blog only");
      r.checkout("main");
      r.branch("pr/12");
      r.file("shop/migrations/0002_gone.py", migration(dep("shop", "0001_initial"), "# gone\n"));
      r.commit("objects lost");
      r.checkout("main");
      r.branch("pr/14");
      r.file("mysite/settings.py", Django.settings(List.of("shop", "blog", "tags"), ""));
      r.file("tags/__init__.py", "");
      r.file("tags/migrations/__init__.py", "");
      r.file("tags/migrations/0001_initial.py", migration(""));
      r.file("shop/migrations/0002_tags.py", migration(dep("shop", "0001_initial") + ", "
          + dep("tags", "0001_initial")));
      r.commit("installs tags");
      r.checkout("main");
    }
    String blob = new String(new ProcessBuilder("git", "rev-parse",
        "pr/12:shop/migrations/0002_gone.py").directory(tmp.toFile()).start().getInputStream()
        .readAllBytes()).strip();
    Files.delete(tmp.resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2)));
  }

  @Test
  void neighboursOfOneRequest() throws Exception {
    build();
    try (GitRepository git = GitRepository.discover(tmp)) {
      RadarReport.Neighbours n = new Radar(git, NONE, ObjectCache.NONE).neighbours("main",
          new Radar.Head("#7 Coupons", "pr/7", "7", "Coupons"), List.of(
              new Radar.Head("#9 Loyalty", "pr/9", "9", "Loyalty"),
              new Radar.Head("#10 Blog", "pr/10", "10", "Blog"),
              new Radar.Head("#12 Lost", "pr/12", "12", "Lost"),
              new Radar.Head("#13 Unfetched", "refs/pull/13/head", "13", "Unfetched"),
              new Radar.Head("#14 Tags", "pr/14", "14", "Tags")));
      assertEquals(List.of("#14 Tags", "#9 Loyalty"),
          n.collisions().stream().map(x -> x.other().label()).toList());
      RadarReport.Neighbour loyalty = n.collisions().get(1);
      assertEquals("9", loyalty.other().number());
      assertEquals("shop", loyalty.collision().app());
      assertEquals(RadarReport.Kind.DIVERGENT_LEAVES, loyalty.collision().kind());
      assertEquals(List.of("0002_coupon"), loyalty.collision().ours());
      assertEquals(List.of("0002_loyalty"), loyalty.collision().theirs());
      assertEquals("whichever merges second runs `python manage.py makemigrations --merge shop`",
          loyalty.collision().action());
      assertEquals(List.of("0002_tags"), n.collisions().get(0).collision().theirs());
      assertEquals(List.of("#12 Lost", "#13 Unfetched"),
          n.unreadable().stream().map(u -> u.head().label()).toList());
      assertTrue(n.unreadable().get(0).message().contains("is missing"),
          n.unreadable().get(0).message());
      assertTrue(n.unreadable().get(1).message().contains("unknown revision"),
          n.unreadable().get(1).message());
    }
  }

  @Test
  void anUnreadableHeadIsAnAnswerToo() throws Exception {
    build();
    try (GitRepository git = GitRepository.discover(tmp)) {
      RadarReport.Neighbours n = new Radar(git, NONE, ObjectCache.NONE).neighbours("main",
          new Radar.Head("#12 Lost", "pr/12", "12", "Lost"),
          List.of(new Radar.Head("#9 Loyalty", "pr/9", "9", "Loyalty")));
      assertEquals(List.of(), n.collisions());
      assertEquals("#12 Lost", n.unreadable().get(0).head().label());
    }
  }
}
