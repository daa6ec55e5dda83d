package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Golden cases of {@code migdiff radar}: the demo's branches (pairs, a stacked branch, the same
 * migration name twice, a branch conflicting with main already) in each format and with each
 * option, and bad input: no branch ahead, a branch whose objects are missing, thousands of refs,
 * and branch names carrying Markdown and HTML.
 */
final class RadarCases {
  private RadarCases() {}

  static List<CliCases.Case> all() {
    List<CliCases.Case> c = new ArrayList<>();
    c.add(new CliCases.Case("radar-text", RADAR, List.of("radar")));
    c.add(new CliCases.Case("radar-json", RADAR, List.of("radar", "--format", "json")));
    c.add(new CliCases.Case("radar-markdown", RADAR, List.of("radar", "--format", "markdown")));
    c.add(new CliCases.Case("radar-branches-glob", RADAR,
        List.of("radar", "--branches", "feature/loyalty*", "feature/coupons")));
    c.add(new CliCases.Case("radar-fail-on-base", RADAR,
        List.of("radar", "--fail-on", "base", "--branches", "feature/coupons", "feature/loyalty")));
    c.add(new CliCases.Case("radar-include-merged", RADAR,
        List.of("radar", "--include-merged", "--branches", "old/*", "feature/coupons")));
    c.add(new CliCases.Case("radar-since", RADAR, List.of("radar", "--since", "2030-01-31")));
    c.add(new CliCases.Case("radar-bad-since", RADAR, List.of("radar", "--since", "last.tuesday")));
    c.add(new CliCases.Case("radar-unknown-base", RADAR, List.of("radar", "mian")));
    c.add(new CliCases.Case("radar-help", RADAR, List.of("radar", "--help")));
    c.add(new CliCases.Case("radar-no-branches", LONELY, List.of("radar")));
    c.add(new CliCases.Case("radar-unreadable-branch", UNREADABLE, List.of("radar")));
    c.add(new CliCases.Case("radar-unreadable-branch-json", UNREADABLE,
        List.of("radar", "--format", "json")));
    c.add(new CliCases.Case("radar-many-refs", MANY_REFS, List.of("radar")));
    c.add(new CliCases.Case("radar-hostile-names", HOSTILE, List.of("radar")));
    c.add(new CliCases.Case("radar-remote-default", CLONE, List.of("radar")));
    c.add(new CliCases.Case("radar-hostile-names-markdown", HOSTILE,
        List.of("radar", "--format", "markdown")));
    return c;
  }

  private static String dep(String app, String name) {
    return "(\"" + app + "\", \"" + name + "\")";
  }

  /** main, then the demo's branches (see testrepos/radar-demo.sh) and one behind main. */
  static final CliCases.Scenario RADAR = new CliCases.Scenario("radar", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("accounts", "blog", "shop"), "");
      r.file("accounts/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0001_initial.py", migration(dep("accounts", "0001_initial")));
      r.file("blog/migrations/0002_post_title.py", migration(dep("blog", "0001_initial")));
      r.file("shop/migrations/0001_initial.py", migration(dep("blog", "0001_initial")));
      r.commit("initial");
      r.branch("old/merged"); // at main's first commit: merged long ago
      r.checkout("main");
      r.file("NOTES.md", "merged the old branch\n");
      r.commit("notes");
      r.branch("feature/profile");
      r.file("accounts/migrations/0002_profile.py", migration(dep("accounts", "0001_initial")));
      r.commit("profiles");
      r.checkout("main");
      r.branch("feature/coupons");
      r.file("shop/migrations/0002_coupon.py", migration(dep("shop", "0001_initial")));
      r.commit("coupons");
      r.checkout("main");
      r.branch("feature/loyalty");
      r.file("shop/migrations/0002_loyalty.py", migration(dep("shop", "0001_initial")));
      r.commit("loyalty");
      r.branch("feature/loyalty-emails");
      r.file("shop/migrations/0003_loyalty_email.py", migration(dep("shop", "0002_loyalty")));
      r.commit("loyalty e-mails");
      r.checkout("main");
      r.branch("feature/reviews");
      r.file("blog/migrations/0003_post_rating.py", migration(dep("blog", "0002_post_title"),
          "# reviews\n"));
      r.commit("reviews");
      r.checkout("main");
      r.branch("feature/ratings");
      r.file("blog/migrations/0003_post_rating.py", migration(dep("blog", "0002_post_title"),
          "# stars\n"));
      r.commit("ratings");
      r.checkout("main");
      r.branch("feature/docs");
      r.file("README.md", "docs\n");
      r.commit("docs");
      r.checkout("main");
      r.file("accounts/migrations/0002_email.py", migration(dep("accounts", "0001_initial")));
      r.commit("main moves on: accounts 0002_email");
    }
  });

  /** A repository with main only. */
  static final CliCases.Scenario LONELY = new CliCases.Scenario("radar-lonely", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("initial");
      r.branch("behind");
      r.checkout("main");
      r.file("blog/migrations/0002_more.py", migration(dep("blog", "0001_initial")));
      r.commit("more");
    }
  });

  /** Two colliding branches and a third whose new migration's object was deleted. */
  static final CliCases.Scenario UNREADABLE = new CliCases.Scenario("radar-unreadable", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.commit("initial");
      for (String b : List.of("a", "b")) {
        r.checkout("main");
        r.branch("feature/" + b);
        r.file("shop/migrations/0002_" + b + ".py", migration(dep("shop", "0001_initial")));
        r.commit(b);
      }
      r.checkout("main");
      r.branch("partial");
      r.file("shop/migrations/0002_missing.py", migration(dep("shop", "0001_initial"),
          "# only on this branch\n"));
      r.commit("partial");
      r.checkout("main");
    }
    String blob = BadInputCases.git(dir, "rev-parse", "partial:shop/migrations/0002_missing.py")
        .strip();
    try {
      Files.delete(dir.resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  });

  /** 2,400 refs (made with one git update-ref --stdin) at four commits. */
  static final CliCases.Scenario MANY_REFS = new CliCases.Scenario("radar-many-refs", dir -> {
    List<String> tips = new ArrayList<>();
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      tips.add(r.commit("initial"));
      for (String b : List.of("x", "y", "z")) {
        r.checkout("main");
        r.branch("tip/" + b);
        r.file("shop/migrations/0002_" + b + ".py", migration(dep("shop", "0001_initial")));
        tips.add(r.commit(b));
      }
      r.checkout("main");
    }
    StringBuilder stdin = new StringBuilder();
    for (int i = 0; i < 2400; i++) {
      stdin.append("create refs/heads/bulk/").append(String.format("%04d", i)).append(' ')
          .append(tips.get(i % tips.size())).append('\n');
    }
    try {
      Path input = dir.resolve(".git/radar-refs.txt");
      Files.writeString(input, stdin, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("git", "update-ref", "--stdin").directory(dir.toFile())
          .redirectInput(input.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("git update-ref --stdin failed: " + out);
      }
      Files.delete(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  });

  /** Branch names with Markdown and HTML in them. */
  static final CliCases.Scenario HOSTILE = new CliCases.Scenario("radar-hostile", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.commit("initial");
      r.branch("feat/<img_src=x_onerror=alert(1)>");
      r.file("shop/migrations/0002_a.py", migration(dep("shop", "0001_initial")));
      r.commit("a");
      r.checkout("main");
      r.branch("feat/__bold__|`tick`@here#1");
      r.file("shop/migrations/0002_b.py", migration(dep("shop", "0001_initial")));
      r.commit("b");
      r.checkout("main");
    }
  });

  /** A clone: origin/HEAD names the base, the branches are remote-tracking ones. */
  static final CliCases.Scenario CLONE = new CliCases.Scenario("radar-clone", dir -> {
    Path upstream = dir.resolveSibling(dir.getFileName() + "-upstream");
    try (RepoBuilder r = RepoBuilder.init(upstream)) {
      Django.project(r, List.of("shop"), "");
      r.file("shop/migrations/0001_initial.py", migration(""));
      r.commit("initial");
      for (String b : List.of("a", "b")) {
        r.checkout("main");
        r.branch("feature/" + b);
        r.file("shop/migrations/0002_" + b + ".py", migration(dep("shop", "0001_initial")));
        r.commit(b);
      }
      r.checkout("main");
    }
    try {
      Process p = new ProcessBuilder("git", "clone", "-q", upstream.toString(), dir.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("git clone failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  });
}
