package dev.migdiff.bot;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Keeps one migdiff note on a GitLab merge request: finds the note that starts with the marker
 * <em>and</em> was written by the token's user ({@code GET /user}), updates it, or creates it.
 */
public final class GitLabNotes {
  private static final int MAX_PAGES = 100;

  private final CommentRequest req;
  private final ForgeHttp http;

  public GitLabNotes(CommentRequest req, PrintWriter dryRun) {
    this.req = req;
    this.http = new ForgeHttp("GitLab", req.token(), dryRun);
  }

  /** Reads GitLab CI's merge-request pipeline variables. */
  public static CommentRequest request(Map<String, String> env) throws BotException {
    String hint = "run this in a merge request pipeline (rules: - if: $CI_PIPELINE_SOURCE == "
        + "\"merge_request_event\")";
    String project = GitHubComments.required(env, "CI_PROJECT_ID", hint);
    String iid = GitHubComments.required(env, "CI_MERGE_REQUEST_IID", hint);
    String target = GitHubComments.required(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", hint);
    String token = env.getOrDefault("MIGDIFF_GITLAB_TOKEN", env.get("GITLAB_TOKEN"));
    if (token == null || token.isBlank()) {
      throw new BotException("MIGDIFF_GITLAB_TOKEN is not set",
          "add a project access token with the 'api' scope as a masked CI/CD variable "
              + "MIGDIFF_GITLAB_TOKEN (CI_JOB_TOKEN cannot write notes)");
    }
    return new CommentRequest("GitLab", env.getOrDefault("CI_API_V4_URL",
        "https://gitlab.com/api/v4"), project, iid, token, "origin/" + target, target,
        env.getOrDefault("CI_COMMIT_SHA", "HEAD"),
        env.getOrDefault("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", env.get("CI_COMMIT_SHA")),
        null);
  }

  public Published publish(String body, String marker) throws BotException {
    String api = req.apiUrl().replaceAll("/+$", "");
    Object user = GitHubComments.json(http.get(api + "/user", "asking who the token belongs to")
        .body(), "id");
    String me = String.valueOf(user);
    String notes = api + "/projects/" + URLEncoder.encode(req.project(), StandardCharsets.UTF_8)
        + "/merge_requests/" + req.number() + "/notes";
    String page = "1";
    for (int n = 0; page != null && !page.isBlank() && n < MAX_PAGES; n++) {
      ForgeHttp.Response r = http.get(notes + "?sort=asc&order_by=created_at&per_page=100&page="
          + page, "listing the merge request's notes");
      for (Object note : GitHubComments.list(r.body())) {
        String text = JsonValues.string(note, "body");
        if (text != null && text.startsWith(marker) && !Boolean.TRUE.equals(
            JsonValues.at(note, "system")) && me.equals(JsonValues.string(note, "author", "id"))) {
          String id = JsonValues.string(note, "id");
          if (text.equals(body)) {
            return new Published("unchanged", id);
          }
          ForgeHttp.Response u = http.write("PUT", notes + "/" + id, JsonValues.body(body),
              "updating note " + id);
          return new Published(u == null ? "printed" : "updated", id);
        }
      }
      page = r.header("X-Next-Page").orElse(null);
    }
    ForgeHttp.Response c = http.write("POST", notes, JsonValues.body(body), "creating the note");
    return c == null ? new Published("printed", null)
        : new Published("created", GitHubComments.json(c.body(), "id"));
  }
}
