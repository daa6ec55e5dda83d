package dev.migdiff.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.FakeForge;
import dev.migdiff.testing.FakeForge.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Listing the other open pull requests against a loopback GitHub. */
class GitHubPullsTest {
  static final String PULLS = "/repos/octo/shop/pulls?state=open&base=main&sort=updated"
      + "&direction=desc&per_page=100";

  private static CommentRequest req(FakeForge f) {
    return new CommentRequest("GitHub", f.url(), "octo/shop", "7", "ghs_x", "a", "main", "b",
        "octo:feature", null);
  }

  /** A pull request as GitHub lists it; {@code headRepo} null for a deleted fork. */
  static String pull(int n, String state, String title, String head, String sha, String base,
      String headRepo) {
    return "{\"number\":" + n + ",\"state\":\"" + state + "\",\"title\":"
        + JsonValues.body(title).substring(8).replaceAll("}$", "")
        + ",\"updated_at\":\"2026-11-30T09:00:0" + (n % 10) + "Z\",\"head\":{\"ref\":\"" + head
        + "\",\"sha\":\"" + sha + "\",\"repo\":" + (headRepo == null ? "null"
        : "{\"full_name\":\"" + headRepo + "\"}") + "},\"base\":{\"ref\":\"" + base
        + "\",\"repo\":{\"full_name\":\"octo/shop\"}}}";
  }

  @Test
  void followsPagesAndKeepsOnlyOtherOpenRequestsIntoTheSameBase() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET " + PULLS -> new Reply(200, Map.of("Link", "<{base}" + PULLS
          + "&page=2>; rel=\"next\""), "[" + pull(7, "open", "this one", "feature", "aaa",
          "main", "octo/shop") + "," + pull(12, "open", "Coupons <b>fast</b>", "coupons", "bbb",
          "main", "octo/shop") + "," + pull(13, "closed", "closed meanwhile", "old", "ccc",
          "main", "octo/shop") + "]");
      case "GET " + PULLS + "&page=2" -> Reply.ok("[" + pull(14, "open", "from a fork",
          "patch-1", "ddd", "main", "mallory/shop") + "," + pull(15, "open", "other base",
          "x", "eee", "release", "octo/shop") + "," + pull(16, "open", "deleted fork", "y",
          "fff", "main", null) + "]");
      default -> null;
    })) {
      OpenRequests o = new GitHubPulls(req(f), null).list("main", 50);
      assertNull(o.failure());
      assertFalse(o.truncated());
      assertEquals(List.of(
          new OpenRequest("#12", "Coupons <b>fast</b>", "coupons", "bbb", "main", false,
              "refs/pull/12/head", "2026-11-30T09:00:02Z"),
          new OpenRequest("#14", "from a fork", "patch-1", "ddd", "main", true,
              "refs/pull/14/head", "2026-11-30T09:00:04Z"),
          new OpenRequest("#16", "deleted fork", "y", "fff", "main", true,
              "refs/pull/16/head", "2026-11-30T09:00:06Z")), o.requests());
      assertEquals("refs/migdiff/pull/12/head", o.requests().get(0).localRef());
      assertEquals(List.of("GET " + PULLS, "GET " + PULLS + "&page=2"), f.lines());
      assertEquals("Bearer ghs_x", f.requests().get(0).authorization());
    }
  }

  @Test
  void stopsAtTheBoundAndSaysSo() throws Exception {
    StringBuilder page = new StringBuilder("[");
    for (int n = 20; n < 30; n++) {
      page.append(n == 20 ? "" : ",").append(pull(n, "open", "t" + n, "b" + n, "s" + n, "main",
          "octo/shop"));
    }
    try (FakeForge f = new FakeForge((m, t) -> t.equals(PULLS) ? new Reply(200,
        Map.of("Link", "<{base}" + PULLS + "&page=2>; rel=\"next\""), page + "]") : null)) {
      OpenRequests o = new GitHubPulls(req(f), null).list("main", 3);
      assertTrue(o.truncated());
      assertEquals(List.of("#20", "#21", "#22"),
          o.requests().stream().map(OpenRequest::reference).toList());
      assertEquals(1, f.lines().size(), "no page is read past the bound");
    }
  }

  @Test
  void anErrorBecomesALineAndNeverTheToken() throws Exception {
    Map<Reply, String> cases = Map.of(
        new Reply(401, Map.of(), "{\"message\":\"Bad credentials ghs_x\"}"),
        "GitHub answered HTTP 401 while listing the open pull requests: Bad credentials ***",
        new Reply(403, Map.of("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "1700000000"),
            "{}"), "GitHub API rate limit reached while listing the open pull requests: the "
            + "limit resets at 2023-11-14T22:13:20Z",
        new Reply(404, Map.of(), "{\"message\":\"Not Found\"}"),
        "GitHub answered HTTP 404 while listing the open pull requests: Not Found",
        new Reply(502, Map.of(), "<html>"),
        "GitHub answered HTTP 502 while listing the open pull requests",
        new Reply(200, Map.of(), "<html>not json"),
        "the forge answered with something that is not JSON");
    for (Map.Entry<Reply, String> c : cases.entrySet()) {
      try (FakeForge f = new FakeForge((m, t) -> c.getKey())) {
        OpenRequests o = new GitHubPulls(req(f), null).list("main", 50);
        assertEquals(c.getValue(), o.failure());
        assertTrue(o.requests().isEmpty());
      }
    }
  }
}
