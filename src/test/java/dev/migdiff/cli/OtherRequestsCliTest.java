package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.testing.FakeForge;
import dev.migdiff.testing.FakeForge.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comment's "Also touching these apps" end to end, with the real git binary: a forge
 * repository holding the requests' head refs, a CI clone of the target branch alone, the
 * loopback forge listing the requests, {@code --list-heads} piped into scripts/ci/fetch-heads,
 * then {@code migdiff comment}.
 */
class OtherRequestsCliTest {
  static final Path FETCH_HEADS = Path.of("scripts/ci/fetch-heads").toAbsolutePath();
  static final String HOSTILE_TITLE = "Fix <script>alert(1)</script> **now** @everyone #1 | [x](y)";
  @TempDir static Path tmp;
  static Path origin;
  static final Map<String, String> SHA = new HashMap<>();

  @BeforeAll
  static void build() throws Exception {
    origin = tmp.resolve("origin");
    BotCases.OTHERS.build().accept(origin);
    for (String b : List.of("main", "feature", "other-discount", "other-blog",
        BotCases.OTHER_HOSTILE)) {
      SHA.put(b, git(origin, "rev-parse", "refs/heads/" + b).strip());
    }
    // The forge's own refs: GitHub's pull heads and GitLab's merge-request heads.
    String[][] refs = {{"7", "feature"}, {"12", "other-discount"}, {"13", "other-blog"},
        {"14", BotCases.OTHER_HOSTILE}};
    for (String[] r : refs) {
      git(origin, "update-ref", "refs/pull/" + r[0] + "/head", SHA.get(r[1]));
      git(origin, "update-ref", "refs/merge-requests/" + r[0] + "/head", SHA.get(r[1]));
    }
  }

  /** A CI clone: the target branch and this request's head only, as the workflows fetch them. */
  static Path ciClone(String name, String headRef) throws Exception {
    Path clone = tmp.resolve(name);
    git(tmp, "clone", "--quiet", "--single-branch", "--branch", "main", origin.toString(),
        clone.toString());
    git(clone, "fetch", "--quiet", "--no-tags", "origin", "+" + headRef + ":refs/remotes/" + headRef.substring(5));
    return clone;
  }

  static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c",
        "user.email=t@example.com"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    return out;
  }

  record Run(int code, String out, String err) {}

  static Run migdiff(Path repo, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> full = new ArrayList<>(List.of("-C", repo.toString()));
    full.addAll(List.of(args));
    int code = Main.run(full.toArray(String[]::new), new PrintStream(out, true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** scripts/ci/fetch-heads in {@code clone}, fed {@code refspecs}: its stderr. */
  static String fetchHeads(Path clone, String refspecs) throws Exception {
    Process p = new ProcessBuilder("sh", FETCH_HEADS.toString()).directory(clone.toFile())
        .start();
    p.getOutputStream().write(refspecs.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "fetch-heads never fails: " + err);
    return err;
  }

  static String json(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
        .quoteAsString(s)) + "\"";
  }

  static String pull(int n, String state, String title, String branch, String sha,
      String headRepo) {
    return "{\"number\":" + n + ",\"state\":\"" + state + "\",\"title\":" + json(title)
        + ",\"updated_at\":\"2026-11-30T09:00:00Z\",\"head\":{\"ref\":" + json(branch)
        + ",\"sha\":\"" + sha + "\",\"repo\":{\"full_name\":\"" + headRepo + "\"}},"
        + "\"base\":{\"ref\":\"main\",\"repo\":{\"full_name\":\"octo/shop\"}}}";
  }

  static final String PULLS = "/repos/octo/shop/pulls?state=open&base=main&sort=updated"
      + "&direction=desc&per_page=100";
  static final String COMMENTS = "/repos/octo/shop/issues/7/comments";
  static final String GONE = "dead00000000000000000000000000000000beef";

  private static Map<String, String> github(FakeForge f) throws IOException {
    Path event = tmp.resolve("event.json");
    Files.writeString(event, "{\"pull_request\":{\"number\":7,\"base\":{\"sha\":\""
        + SHA.get("main") + "\",\"ref\":\"main\"},\"head\":{\"sha\":\"" + SHA.get("feature")
        + "\",\"label\":\"octo:feature\"}}}");
    return Map.of("GITHUB_REPOSITORY", "octo/shop", "GITHUB_EVENT_PATH", event.toString(),
        "GITHUB_TOKEN", "ghs_secret", "GITHUB_API_URL", f.url());
  }

  private static Reply github(String method, String target) {
    return switch (method + " " + target) {
      case "GET /user" -> Reply.ok("{\"login\":\"bot\"}");
      case "GET " + PULLS -> new Reply(200, Map.of("Link", "<{base}" + PULLS
          + "&page=2>; rel=\"next\""), "[" + pull(7, "open", "this one", "feature",
          SHA.get("feature"), "octo/shop") + "," + pull(12, "open", "Discounts",
          "other-discount", SHA.get("other-discount"), "octo/shop") + "," + pull(13, "open",
          "Blog tags", "other-blog", SHA.get("other-blog"), "octo/shop") + "]");
      case "GET " + PULLS + "&page=2" -> Reply.ok("[" + pull(14, "open", HOSTILE_TITLE,
          BotCases.OTHER_HOSTILE, SHA.get(BotCases.OTHER_HOSTILE), "mallory/shop") + ","
          + pull(15, "closed", "closed meanwhile", "old", SHA.get("other-discount"),
          "octo/shop") + "," + pull(16, "open", "pushed, ref gone", "gone", GONE, "octo/shop")
          + "]");
      case "GET " + COMMENTS + "?per_page=100" -> Reply.ok("[]");
      case "POST " + COMMENTS -> new Reply(201, Map.of(), "{\"id\":1,\"html_url\":\"h\"}");
      default -> null;
    };
  }

  @Test
  void githubListsFetchesAndNamesTheCollidingRequests() throws Exception {
    Path clone = ciClone("gh", "refs/pull/7/head");
    try (FakeForge f = new FakeForge(OtherRequestsCliTest::github)) {
      Run list = migdiff(clone, github(f), "comment", "github", "--list-heads");
      assertEquals(0, list.code(), list.err());
      assertEquals("""
          +refs/pull/12/head:refs/migdiff/pull/12/head
          +refs/pull/13/head:refs/migdiff/pull/13/head
          +refs/pull/14/head:refs/migdiff/pull/14/head
          +refs/pull/16/head:refs/migdiff/pull/16/head
          """, list.out());
      String fetchErr = fetchHeads(clone, list.out());
      assertEquals("migdiff: could not fetch refs/pull/16/head (the comment will say so)\n",
          fetchErr);
      assertEquals("false\n", git(clone, "rev-parse", "--is-shallow-repository"),
          "the clone keeps its whole history");
      assertEquals(SHA.get("other-discount") + "\n", git(clone, "rev-parse",
          "refs/migdiff/pull/12/head"));

      Run r = migdiff(clone, github(f), "comment", "github");
      assertEquals("", r.err());
      assertEquals(0, r.code(), "this request alone is clean against main");
      String body = posted(f);
      assertTrue(body.contains("#### Also touching these apps\n\nEach merges into `main` "
          + "cleanly alone; merged together, they collide (checked 3 other "
          + "open requests):\n\n| request | app | this request's leaf | their leaf | who must "
          + "act |\n|---|---|---|---|---|\n"
          + "| #12 Discounts (`other-discount`) | `shop` | `0002_coupon` | `0002_discount` | "
          + "whichever merges second runs `python manage.py makemigrations --merge shop` |\n"
          + "| #14 Fix &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*\\*now\\*\\* @\u200beveryone"
          + " \\#\u200b1 \\| \\[x\\]\\(y\\) (``evil/<img/src=x/onerror=alert(1)>`\\|`@everyone``"
          + ", from a fork) | `shop` | `0002_coupon` | `0002_evil` | whichever merges second "
          + "runs `python manage.py makemigrations --merge shop` |\n\n"
          + "- could not read #16 pushed, ref gone (`gone`): its head dead00000000 is not in "
          + "this clone \\(scripts/ci/fetch\\-heads fetches refs/pull/16/head to "
          + "refs/migdiff/pull/16/head\\)\n"), body);
      assertFalse(body.contains("#13") || body.contains("#15") || body.contains("this one"),
          "no collision with #13, #15 is closed, #7 is this request");
    }
  }

  private static String posted(FakeForge f) throws Exception {
    for (FakeForge.Request q : f.requests()) {
      if (q.method().equals("POST")) {
        return (String) dev.migdiff.testing.Json.object(q.body()).get("body");
      }
    }
    throw new AssertionError("nothing posted: " + f.lines());
  }

  @Test
  void aListingErrorIsALineInTheCommentAndNothingFails() throws Exception {
    Path clone = ciClone("gh-error", "refs/pull/7/head");
    try (FakeForge f = new FakeForge((m, t) -> t.startsWith("/repos/octo/shop/pulls")
        ? new Reply(502, Map.of(), "<html>bad gateway</html>") : github(m, t))) {
      Run list = migdiff(clone, github(f), "comment", "github", "--list-heads");
      assertEquals(0, list.code());
      assertEquals("", list.out());
      assertEquals("migdiff: warning: could not list the other open requests: GitHub answered "
          + "HTTP 502 while listing the open pull requests\n", list.err());
      Run r = migdiff(clone, github(f), "comment", "github");
      assertEquals(0, r.code(), r.err());
      assertTrue(posted(f).contains("#### Also touching these apps\n\nCould not list the other "
          + "open requests into `main`: GitHub answered HTTP 502 while listing the open pull "
          + "requests\n\n"), posted(f));
    }
  }

  static final String MRS = "/api/v4/projects/42/merge_requests?state=opened&target_branch=main"
      + "&order_by=updated_at&sort=desc&per_page=100";
  static final String NOTES = "/api/v4/projects/42/merge_requests/7/notes";

  static String mr(int iid, String title, String branch, String sha, int project) {
    return "{\"iid\":" + iid + ",\"state\":\"opened\",\"title\":" + json(title)
        + ",\"source_branch\":" + json(branch) + ",\"target_branch\":\"main\",\"sha\":\""
        + sha + "\",\"source_project_id\":" + project + ",\"target_project_id\":42}";
  }

  @Test
  void gitlabFollowsXNextPageAndFetchesMergeRequestHeads() throws Exception {
    Path clone = ciClone("gl", "refs/merge-requests/7/head");
    try (FakeForge f = new FakeForge((m, t) -> switch (m + " " + t) {
      case "GET /api/v4/user" -> Reply.ok("{\"id\":5}");
      case "GET " + MRS -> new Reply(200, Map.of("X-Next-Page", "2"), "[" + mr(12,
          "Discounts", "other-discount", SHA.get("other-discount"), 42) + "]");
      case "GET " + MRS + "&page=2" -> new Reply(200, Map.of("X-Next-Page", ""), "[" + mr(14,
          "From a fork", "patch-1", SHA.get(BotCases.OTHER_HOSTILE), 99) + "]");
      case "GET " + NOTES + "?sort=asc&order_by=created_at&per_page=100&page=1" -> Reply.ok("[]");
      case "POST " + NOTES -> new Reply(201, Map.of(), "{\"id\":8}");
      default -> null;
    })) {
      Map<String, String> env = Map.of("CI_API_V4_URL", f.url() + "/api/v4", "CI_PROJECT_ID",
          "42", "CI_MERGE_REQUEST_IID", "7", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main",
          "CI_COMMIT_SHA", SHA.get("feature"), "MIGDIFF_GITLAB_TOKEN", "glpat-secret");
      git(clone, "update-ref", "refs/remotes/origin/main", SHA.get("main"));
      Run list = migdiff(clone, env, "comment", "gitlab", "--list-heads");
      assertEquals("+refs/merge-requests/12/head:refs/migdiff/merge-requests/12/head\n"
          + "+refs/merge-requests/14/head:refs/migdiff/merge-requests/14/head\n", list.out());
      assertEquals("", fetchHeads(clone, list.out()));
      Run r = migdiff(clone, env, "comment", "gitlab");
      assertEquals(0, r.code(), r.err());
      String body = posted(f);
      assertTrue(body.contains("| !12 Discounts (`other-discount`) | `shop` | `0002_coupon` | "
          + "`0002_discount` |"), body);
      assertTrue(body.contains("| !14 From a fork (`patch-1`, from a fork) | `shop` | "
          + "`0002_coupon` | `0002_evil` |"), body);
    }
  }
}
