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

/** Listing the other open merge requests against a loopback GitLab. */
class GitLabMergeRequestsTest {
  static final String MRS = "/api/v4/projects/group%2Fshop/merge_requests?state=opened"
      + "&target_branch=main&order_by=updated_at&sort=desc&per_page=100";

  private static CommentRequest req(FakeForge f) {
    return new CommentRequest("GitLab", f.url() + "/api/v4", "group/shop", "3", "glpat-x",
        "origin/main", "main", "abc", "feature", null);
  }

  static String mr(int iid, String state, String title, String source, String sha,
      String target, int sourceProject) {
    return "{\"iid\":" + iid + ",\"state\":\"" + state + "\",\"title\":"
        + JsonValues.body(title).substring(8).replaceAll("}$", "") + ",\"source_branch\":\""
        + source + "\",\"target_branch\":\"" + target + "\",\"sha\":\"" + sha
        + "\",\"source_project_id\":" + sourceProject + ",\"target_project_id\":42,"
        + "\"updated_at\":\"2026-11-30T09:00:00Z\"}";
  }

  @Test
  void followsXNextPageAndKeepsOtherOpenRequestsIntoTheSameTarget() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET " + MRS -> new Reply(200, Map.of("X-Next-Page", "2"), "[" + mr(3, "opened",
          "this one", "feature", "a1", "main", 42) + "," + mr(12, "opened", "`Shop` *fix*",
          "shop-fix", "b2", "main", 42) + "," + mr(13, "merged", "gone", "g", "c3", "main", 42)
          + "]");
      case "GET " + MRS + "&page=2" -> new Reply(200, Map.of("X-Next-Page", ""), "[" + mr(14,
          "opened", "fork", "patch", "d4", "main", 77) + "," + mr(15, "opened", "elsewhere",
          "e", "e5", "develop", 42) + "]");
      default -> null;
    })) {
      OpenRequests o = new GitLabMergeRequests(req(f), null).list("main", 50);
      assertNull(o.failure());
      assertFalse(o.truncated());
      assertEquals(List.of(
          new OpenRequest("!12", "`Shop` *fix*", "shop-fix", "b2", "main", false,
              "refs/merge-requests/12/head", "2026-11-30T09:00:00Z"),
          new OpenRequest("!14", "fork", "patch", "d4", "main", true,
              "refs/merge-requests/14/head", "2026-11-30T09:00:00Z")), o.requests());
      assertEquals("refs/migdiff/merge-requests/14/head", o.requests().get(1).localRef());
      assertEquals(List.of("GET " + MRS, "GET " + MRS + "&page=2"), f.lines());
    }
  }

  @Test
  void followsLinkWhenThereIsNoPageNumberAndBoundsTheCount() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET " + MRS -> new Reply(200, Map.of("Link", "<{base}/api/v4/next?cursor=x>; "
          + "rel=\"next\""), "[" + mr(20, "opened", "a", "a", "s1", "main", 42) + "]");
      case "GET /api/v4/next?cursor=x" -> Reply.ok("[" + mr(21, "opened", "b", "b", "s2",
          "main", 42) + "," + mr(22, "opened", "c", "c", "s3", "main", 42) + "]");
      default -> null;
    })) {
      OpenRequests o = new GitLabMergeRequests(req(f), null).list("main", 2);
      assertTrue(o.truncated());
      assertEquals(List.of("!20", "!21"), o.requests().stream().map(OpenRequest::reference)
          .toList());
    }
  }

  @Test
  void aForbiddenListingIsALine() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> new Reply(403, Map.of(),
        "{\"message\":\"403 Forbidden\"}"))) {
      OpenRequests o = new GitLabMergeRequests(req(f), null).list("main", 50);
      assertEquals("GitLab answered HTTP 403 while listing the open merge requests: 403 "
          + "Forbidden", o.failure());
    }
  }
}
