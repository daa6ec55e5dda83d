package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.report.CompareMarkdownRenderer;
import dev.migdiff.testing.FakeForge;
import dev.migdiff.testing.FakeForge.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migdiff comment github|gitlab} end to end: a real repository, a loopback forge. */
class CommentCliTest {
  static final String TOKEN = "ghs_topsecret";
  @TempDir static Path tmp;
  static Path repo;

  @BeforeAll
  static void build() {
    repo = tmp.resolve("repo");
    CompareCases.FORK.build().accept(repo);
  }

  record Run(int code, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] full = new String[args.length + 2];
    full[0] = "-C";
    full[1] = repo.toString();
    System.arraycopy(args, 0, full, 2, args.length);
    int code = Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Map<String, String> github(FakeForge f) throws Exception {
    Path event = tmp.resolve("event.json");
    Files.writeString(event, "{\"pull_request\":{\"number\":7,\"base\":{\"sha\":\"main\","
        + "\"ref\":\"main\"},\"head\":{\"sha\":\"feature\",\"label\":\"octo:feature\"}}}");
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_REPOSITORY", "octo/shop");
    env.put("GITHUB_EVENT_PATH", event.toString());
    env.put("GITHUB_TOKEN", TOKEN);
    env.put("GITHUB_API_URL", f.url());
    env.put("GITHUB_STEP_SUMMARY", tmp.resolve("summary.md").toString());
    return env;
  }

  static final String PULLS = "/repos/octo/shop/pulls?state=open&base=main&sort=updated"
      + "&direction=desc&per_page=100";

  @Test
  void githubCreatesTheCommentAndWritesTheStepSummary() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> new Reply(403, Map.of(), "{\"message\":\"Resource not accessible\"}");
      case "GET /repos/octo/shop/issues/7/comments?per_page=100" -> Reply.ok("[]");
      case "GET " + PULLS -> Reply.ok("[]");
      case "POST /repos/octo/shop/issues/7/comments" -> new Reply(201, Map.of(),
          "{\"id\":1,\"html_url\":\"https://github.test/c/1\"}");
      default -> null;
    })) {
      Run r = run(github(f), "comment", "github");
      assertEquals("", r.err());
      assertEquals("migdiff: GitHub octo/shop#7: created the comment (https://github.test/c/1)\n",
          r.out());
      assertEquals(1, r.code(), "conflicts exit 1, the comment is posted all the same");
      String posted = f.requests().get(3).body();
      assertTrue(posted.contains("#### Also touching these apps\\n\\nNo other open request "
          + "into `main`.\\n\\n"), posted);
      assertTrue(posted.startsWith("{\"body\":\"" + CompareMarkdownRenderer.MARKER), posted);
      assertTrue(posted.contains("`octo:feature`"), "the head's label, not the revision");
      String summary = Files.readString(tmp.resolve("summary.md"));
      assertTrue(summary.startsWith(CompareMarkdownRenderer.MARKER) && summary.contains(
          "makemigrations --merge blog"), summary);
    }
  }

  @Test
  void dryRunPrintsTheRequestWithTheTokenMasked() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /user" -> Reply.ok("{\"login\":\"bot\"}");
      case "GET " + PULLS -> Reply.ok("[]");
      case "GET /repos/octo/shop/issues/7/comments?per_page=100" -> Reply.ok(
          "[{\"id\":9,\"body\":\"<!-- migdiff old -->\",\"user\":{\"login\":\"bot\"}}]");
      default -> null;
    })) {
      Run r = run(github(f), "comment", "github", "--dry-run");
      assertTrue(r.out().contains("PATCH " + f.url() + "/repos/octo/shop/issues/comments/9\n"
          + "Authorization: Bearer ***\n"), r.out());
      assertTrue(r.out().endsWith("migdiff: GitHub octo/shop#7: dry run, nothing sent\n"), r.out());
      assertFalse(r.out().contains(TOKEN) || r.err().contains(TOKEN));
      assertTrue(r.out().startsWith("GET " + f.url() + PULLS + "\n"), r.out());
      assertEquals(List.of("GET " + PULLS, "GET /user",
          "GET /repos/octo/shop/issues/7/comments?per_page=100"), f.lines());
    }
  }

  static final String NOTES = "/api/v4/projects/42/merge_requests/3/notes";

  @Test
  void gitlabUpdatesItsNoteComparingExplicitRevisions() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /api/v4/user" -> Reply.ok("{\"id\":5}");
      case "GET " + NOTES + "?sort=asc&order_by=created_at&per_page=100&page=1" -> Reply.ok(
          "[{\"id\":8,\"system\":false,\"author\":{\"id\":5},\"body\":\"<!-- migdiff old -->\"}]");
      case "PUT " + NOTES + "/8" -> Reply.ok("{\"id\":8}");
      default -> null;
    })) {
      Map<String, String> env = Map.of("CI_API_V4_URL", f.url() + "/api/v4", "CI_PROJECT_ID",
          "42", "CI_MERGE_REQUEST_IID", "3", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main",
          "MIGDIFF_GITLAB_TOKEN", "glpat-secret");
      Run r = run(env, "comment", "gitlab", "main", "feature");
      assertEquals("migdiff: GitLab 42#3: updated the comment (8)\n", r.out());
      assertEquals(1, r.code());
    }
  }

  @Test
  void aMissingTokenOrAForgeErrorIsExitTwoWithAHint() throws Exception {
    try (FakeForge f = new FakeForge((m, t) -> new Reply(401, Map.of(),
        "{\"message\":\"Bad credentials\"}"))) {
      Map<String, String> env = github(f);
      Run r = run(env, "comment", "github");
      assertEquals(2, r.code());
      assertEquals("migdiff: error: GitHub answered HTTP 401 while asking who the token belongs "
          + "to: Bad credentials\nhint: the token is missing, expired or wrong: check "
          + "GITHUB_TOKEN\n", r.err());
      env.remove("GITHUB_TOKEN");
      r = run(env, "comment", "github");
      assertEquals(2, r.code());
      assertTrue(r.err().startsWith("migdiff: error: GITHUB_TOKEN is not set\nhint: "), r.err());
    }
  }
}
