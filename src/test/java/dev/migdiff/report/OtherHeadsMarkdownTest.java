package dev.migdiff.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.analysis.OtherHeads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "Also touching these apps" section rendered from values. */
class OtherHeadsMarkdownTest {
  static final String CMD = "python manage.py makemigrations --merge shop";

  private static String render(OtherHeads o, int limit) {
    MarkdownParts body = new MarkdownParts(limit);
    OtherHeadsMarkdown.add(o, body);
    return body.render();
  }

  private static OtherHeads.Collision leaves(OtherHeads.Head h) {
    return new OtherHeads.Collision(h, "shop", "divergent-leaves", List.of("0042_a"),
        List.of("0042_b"), null, false, CMD);
  }

  @Test
  void forgeTitlesAndBranchesAreInertAndTheBoundIsSaid() {
    OtherHeads.Head evil = new OtherHeads.Head("#12", "<img src=x onerror=alert(1)> @everyone "
        + "[x](http://evil.com) | `code`", "a|b`c", true);
    String out = render(new OtherHeads("main", List.of(leaves(evil)), List.of(), 2, 2, true,
        null), 60_000);
    assertEquals("#### Also touching these apps\n\nEach merges into `main` cleanly alone; "
        + "merged together, they collide (checked 2 other open requests):\n\n"
        + "| request | app | this request's leaf | their leaf | who must act |\n"
        + "|---|---|---|---|---|\n"
        + "| #12 &lt;img src\\=x onerror\\=alert\\(1\\)&gt; @\u200beveryone \\[x\\]\\(http\\:"
        + "\u200b//evil\\.com\\) \\| \\`code\\` (``a\\|b`c``, from a fork) | `shop` | `0042_a` | "
        + "`0042_b` | whichever merges second runs `" + CMD + "` |\n\n"
        + "_Only the 2 most recently updated open requests into `main` were checked; more are "
        + "open._\n\n", out);
  }

  @Test
  void aNameThatIsNotAForgeReferenceIsEscapedLikeAnyText() {
    OtherHeads.Head h = new OtherHeads.Head("#1](x)", null, null, false);
    String out = render(new OtherHeads("main", List.of(), List.of(new OtherHeads.Unread(h,
        "missing <b>")), 0, 0, false, null), 60_000);
    assertTrue(out.contains("- could not read \\#\u200b1\\]\\(x\\): missing &lt;b&gt;\n"), out);
    assertTrue(out.contains("Could not read the 1 other head into `main`.\n"), out);
  }

  @Test
  void sameNameAndSameEditSayWhoActs() {
    OtherHeads.Head h = new OtherHeads.Head("!3", "t", null, false);
    String out = render(new OtherHeads("main", List.of(
        new OtherHeads.Collision(h, "shop", "same-name", List.of("0042_x"), List.of("0042_x"),
            "shop/migrations/0042_x.py", true, CMD),
        new OtherHeads.Collision(h, "shop", "same-edit", List.of("0007_y"), List.of("0007_y"),
            "shop/migrations/0007_y.py", false, CMD)), List.of(), 1, 50, false, null), 60_000);
    assertTrue(out.contains("| !3 t | `shop` | `0042_x` | `0042_x` | both add "
        + "`shop/migrations/0042_x.py` and git merge stops on it: whichever merges second "
        + "renames its migration (and the dependencies on it), then runs `" + CMD + "` if the "
        + "app still has two leaves |\n"), out);
    assertTrue(out.contains("| `shop` | `0007_y` | `0007_y` | both edit "
        + "`shop/migrations/0007_y.py`, which `main` has: whichever merges second checks that "
        + "the edits agree (databases that applied it never run it again) |\n"), out);
  }

  @Test
  void aListingFailureIsOneLineAndManyCollisionsStayUnderTheLimit() {
    assertEquals("#### Also touching these apps\n\nCould not list the other open requests into "
        + "`main`: GitHub answered HTTP 502 while listing the open pull requests\n\n",
        render(OtherHeads.unlisted("main", "GitHub answered HTTP 502 while listing the open "
            + "pull requests"), 60_000));
    List<OtherHeads.Collision> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(leaves(new OtherHeads.Head("#" + i, "title " + i, "b" + i, false)));
    }
    String out = render(new OtherHeads("main", many, List.of(), 500, 500, false, null), 5_000);
    assertTrue(out.length() <= 5_000, String.valueOf(out.length()));
    assertTrue(out.contains("more collisions not shown"), out);
    assertFalse(out.lines().anyMatch(l -> l.startsWith("|") && !l.endsWith("|")), out);
  }
}
