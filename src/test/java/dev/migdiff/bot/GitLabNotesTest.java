package dev.migdiff.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.FakeForge;
import dev.migdiff.testing.FakeForge.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GitLab client against a loopback server implementing the endpoints it uses. */
class GitLabNotesTest {
  static final String MARKER = "<!-- migdiff ";
  static final String BODY = MARKER + "from=a to=b -->\nnew body\n";
  static final String NOTES = "/api/v4/projects/group%2Fshop/merge_requests/12/notes";
  static final String LIST = NOTES + "?sort=asc&order_by=created_at&per_page=100&page=";

  private static CommentRequest req(FakeForge f) {
    return new CommentRequest("GitLab", f.url() + "/api/v4", "group/shop", "12", "glpat-x",
        "origin/main", "main", "abc", "feature", null);
  }

  private static String note(long id, long author, boolean system, String body) {
    String json = JsonValues.body(body);
    return "{\"id\":" + id + ",\"system\":" + system + ",\"author\":{\"id\":" + author + "},"
        + json.substring(1, json.length() - 1) + "}";
  }

  @Test
  void createsTheNoteAfterReadingEveryPage() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /api/v4/user" -> Reply.ok("{\"id\":99,\"username\":\"migdiff\"}");
      case "GET " + LIST + "1" -> new Reply(200, Map.of("X-Next-Page", "2"),
          "[" + note(1, 5, false, MARKER + "someone else's -->") + "]");
      case "GET " + LIST + "2" -> new Reply(200, Map.of("X-Next-Page", ""),
          "[" + note(2, 99, true, MARKER + "a system note -->") + "]");
      case "POST " + NOTES -> new Reply(201, Map.of(), note(3, 99, false, BODY));
      default -> null;
    })) {
      assertEquals(new Published("created", "3"), new GitLabNotes(req(f), null).publish(BODY, MARKER));
      assertEquals(List.of("GET /api/v4/user", "GET " + LIST + "1", "GET " + LIST + "2",
          "POST " + NOTES), f.lines());
      assertEquals("Bearer glpat-x", f.requests().get(3).authorization());
    }
  }

  @Test
  void updatesOurNoteInPlace() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /api/v4/user" -> Reply.ok("{\"id\":99}");
      case "GET " + LIST + "1" -> Reply.ok("[" + note(1, 5, false, MARKER + "x -->") + ","
          + note(7, 99, false, MARKER + "old -->") + "]");
      case "PUT " + NOTES + "/7" -> Reply.ok(note(7, 99, false, BODY));
      default -> null;
    })) {
      assertEquals(new Published("updated", "7"), new GitLabNotes(req(f), null).publish(BODY, MARKER));
      assertEquals("PUT " + NOTES + "/7", f.lines().get(2));
      assertEquals(BODY, JsonValues.string(JsonValues.parse(f.requests().get(2).body()), "body"));
    }
  }

  @Test
  void rateLimitAndErrorsAreOneClearLine() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> new Reply(429, Map.of("Retry-After", "30",
        "RateLimit-Remaining", "0"), "{\"message\":\"429 Too Many Requests\"}"))) {
      BotException e = assertThrows(BotException.class,
          () -> new GitLabNotes(req(f), null).publish(BODY, MARKER));
      assertEquals("GitLab API rate limit reached while asking who the token belongs to: retry "
          + "after 30 s", e.getMessage());
    }
    try (FakeForge f = new FakeForge((m, t) -> t.equals("/api/v4/user") ? Reply.ok("{\"id\":1}")
        : new Reply(403, Map.of(), "{\"message\":\"403 Forbidden\"}"))) {
      BotException e = assertThrows(BotException.class,
          () -> new GitLabNotes(req(f), null).publish(BODY, MARKER));
      assertEquals("GitLab answered HTTP 403 while listing the merge request's notes: 403 "
          + "Forbidden", e.getMessage());
      assertTrue(e.hint().contains("'api' scope"), e.hint());
    }
  }

  @Test
  void readsTheMergeRequestPipelineVariables() throws Exception {
    CommentRequest r = GitLabNotes.request(Map.of("CI_PROJECT_ID", "42", "CI_MERGE_REQUEST_IID",
        "12", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main", "CI_COMMIT_SHA", "abc",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature", "MIGDIFF_GITLAB_TOKEN", "glpat-x",
        "CI_API_V4_URL", "https://gitlab.example/api/v4"));
    assertEquals(new CommentRequest("GitLab", "https://gitlab.example/api/v4", "42", "12",
        "glpat-x", "origin/main", "main", "abc", "feature", null), r);
    BotException e = assertThrows(BotException.class, () -> GitLabNotes.request(Map.of()));
    assertEquals("CI_PROJECT_ID is not set", e.getMessage());
  }
}
