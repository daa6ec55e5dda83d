package dev.migdiff.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.FakeForge;
import dev.migdiff.testing.FakeForge.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GitHub client against a loopback server implementing the endpoints it uses. */
class GitHubCommentsTest {
  static final String TOKEN = "ghs_secret123";
  static final String MARKER = "<!-- migdiff ";
  static final String BODY = MARKER + "from=a to=b -->\nnew body\n";
  static final String COMMENTS = "/repos/octo/shop/issues/7/comments";

  @TempDir Path tmp;

  private static CommentRequest req(FakeForge f) {
    return new CommentRequest("GitHub", f.url(), "octo/shop", "7", TOKEN, "a", "main", "b",
        "feature", null);
  }

  private static String comment(long id, String login, String body) {
    return "{\"id\":" + id + ",\"html_url\":\"https://github.test/c/" + id + "\",\"body\":"
        + JsonValues.body(body).substring(8, JsonValues.body(body).length() - 1)
        + ",\"user\":{\"login\":\"" + login + "\"}}";
  }

  @Test
  void createsTheCommentWhenNoneIsOursFollowingLinkPages() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> Reply.ok("{\"login\":\"migdiff-bot\"}");
      case "GET " + COMMENTS + "?per_page=100" -> new Reply(200,
          Map.of("Link", "<{base}" + COMMENTS + "?per_page=100&page=2>; rel=\"next\", <{base}"
              + COMMENTS + "?per_page=100&page=2>; rel=\"last\""),
          "[" + comment(1, "mallory", MARKER + "fake -->") + "," + comment(2, "migdiff-bot",
              "a reply that is not the report") + "]");
      case "GET " + COMMENTS + "?per_page=100&page=2" -> Reply.ok("[]");
      case "POST " + COMMENTS -> new Reply(201, Map.of(), comment(3, "migdiff-bot", BODY));
      default -> null;
    })) {
      Published p = new GitHubComments(req(f), null).publish(BODY, MARKER);
      assertEquals(new Published("created", "https://github.test/c/3"), p);
      assertEquals(List.of("GET /user", "GET " + COMMENTS + "?per_page=100",
          "GET " + COMMENTS + "?per_page=100&page=2", "POST " + COMMENTS), f.lines());
      FakeForge.Request post = f.requests().get(3);
      assertEquals("Bearer " + TOKEN, post.authorization());
      assertEquals(BODY, JsonValues.string(JsonValues.parse(post.body()), "body"));
    }
  }

  @Test
  void updatesOurCommentInPlaceOnALaterPage() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> Reply.ok("{\"login\":\"migdiff-bot\"}");
      case "GET " + COMMENTS + "?per_page=100" -> new Reply(200,
          Map.of("Link", "<{base}" + COMMENTS + "?page=2>; rel=\"next\""),
          "[" + comment(1, "mallory", MARKER + "fake -->") + "]");
      case "GET " + COMMENTS + "?page=2" -> Reply.ok("[" + comment(42, "migdiff-bot",
          MARKER + "old -->") + "]");
      case "PATCH /repos/octo/shop/issues/comments/42" -> Reply.ok(comment(42, "migdiff-bot", BODY));
      default -> null;
    })) {
      Published p = new GitHubComments(req(f), null).publish(BODY, MARKER);
      assertEquals(new Published("updated", "https://github.test/c/42"), p);
      assertEquals("PATCH /repos/octo/shop/issues/comments/42", f.lines().get(3));
      assertEquals(4, f.lines().size());
    }
  }

  @Test
  void actionsTokenCannotReadUserAndWritesAsTheActionsBot() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> new Reply(403, Map.of(),
          "{\"message\":\"Resource not accessible by integration\"}");
      case "GET " + COMMENTS + "?per_page=100" -> Reply.ok("[" + comment(5, "github-actions[bot]",
          MARKER + "old -->") + "]");
      case "PATCH /repos/octo/shop/issues/comments/5" -> Reply.ok(comment(5, "x", BODY));
      default -> null;
    })) {
      assertEquals("updated", new GitHubComments(req(f), null).publish(BODY, MARKER).action());
    }
  }

  @Test
  void anUnchangedCommentIsNotRewritten() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> Reply.ok("{\"login\":\"migdiff-bot\"}");
      case "GET " + COMMENTS + "?per_page=100" -> Reply.ok("[" + comment(5, "migdiff-bot", BODY) + "]");
      default -> null;
    })) {
      assertEquals("unchanged", new GitHubComments(req(f), null).publish(BODY, MARKER).action());
      assertEquals(2, f.lines().size());
    }
  }

  @Test
  void dryRunSendsOnlyReadsAndPrintsTheWriteWithTheTokenMasked() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> Reply.ok("{\"login\":\"migdiff-bot\"}");
      case "GET " + COMMENTS + "?per_page=100" -> Reply.ok("[]");
      default -> null;
    })) {
      StringWriter printed = new StringWriter();
      Published p = new GitHubComments(req(f), new PrintWriter(printed)).publish(BODY, MARKER);
      assertEquals("printed", p.action());
      assertEquals(List.of("GET /user", "GET " + COMMENTS + "?per_page=100"), f.lines());
      String out = printed.toString();
      assertTrue(out.contains("POST " + f.url() + COMMENTS + "\nAuthorization: Bearer ***\n"), out);
      assertTrue(out.contains("new body"), out);
      assertFalse(out.contains(TOKEN), out);
    }
  }

  @Test
  void failuresAreOneClearLineAndNeverShowTheToken() throws Exception {
    Map<String, Reply> cases = Map.of(
        "HTTP 401", new Reply(401, Map.of(), "{\"message\":\"Bad credentials for " + TOKEN + "\"}"),
        "HTTP 404", new Reply(404, Map.of(), "{\"message\":\"Not Found\"}"),
        "HTTP 502", new Reply(502, Map.of(), "<html>bad gateway</html>"),
        "rate limit reached while listing the pull request's comments: the limit resets at "
            + "2023-11-14T22:13:20Z", new Reply(403, Map.of("X-RateLimit-Remaining", "0",
            "X-RateLimit-Reset", "1700000000"), "{\"message\":\"API rate limit exceeded\"}"),
        "retry after 60 s", new Reply(429, Map.of("Retry-After", "60"), "{}"));
    for (Map.Entry<String, Reply> c : cases.entrySet()) {
      try (FakeForge f = new FakeForge((m, t) -> t.equals("/user")
          ? Reply.ok("{\"login\":\"migdiff-bot\"}") : c.getValue())) {
        BotException e = assertThrows(BotException.class,
            () -> new GitHubComments(req(f), null).publish(BODY, MARKER));
        assertTrue(e.getMessage().contains(c.getKey()), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN) || e.hint().contains(TOKEN), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.hint() != null && !e.hint().isBlank(), c.getKey());
      }
    }
  }

  @Test
  void readsTheActionsEnvironmentAndThePullRequestPayload() throws Exception {
    Path event = tmp.resolve("event.json");
    Files.writeString(event, "{\"action\":\"synchronize\",\"pull_request\":{\"number\":7,"
        + "\"base\":{\"sha\":\"aaa\",\"ref\":\"main\"},\"head\":{\"sha\":\"bbb\","
        + "\"label\":\"fork:feature\"}}}");
    CommentRequest r = GitHubComments.request(Map.of("GITHUB_REPOSITORY", "octo/shop",
        "GITHUB_EVENT_PATH", event.toString(), "GITHUB_TOKEN", TOKEN,
        "GITHUB_STEP_SUMMARY", "/tmp/summary"));
    assertEquals(new CommentRequest("GitHub", "https://api.github.com", "octo/shop", "7", TOKEN,
        "aaa", "main", "bbb", "fork:feature", "/tmp/summary"), r);
    assertFalse(r.toString().contains(TOKEN));
    BotException e = assertThrows(BotException.class, () -> GitHubComments.request(
        Map.of("GITHUB_REPOSITORY", "octo/shop", "GITHUB_EVENT_PATH", event.toString())));
    assertEquals("GITHUB_TOKEN is not set", e.getMessage());
  }
}
