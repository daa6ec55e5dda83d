package dev.migdiff.bot;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps one migdiff comment on a GitHub pull request: finds the comment that starts with the
 * marker <em>and</em> was written by the token's user, updates it in place, or creates it.
 */
public final class GitHubComments {
  /** Who writes with the GITHUB_TOKEN of Actions, where {@code GET /user} is forbidden. */
  static final String ACTIONS_BOT = "github-actions[bot]";
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
  private static final int MAX_PAGES = 100;

  private final CommentRequest req;
  private final ForgeHttp http;

  public GitHubComments(CommentRequest req, PrintWriter dryRun) {
    this.req = req;
    this.http = new ForgeHttp("GitHub", req.token(), dryRun);
  }

  /** Reads GitHub Actions' variables and the pull_request event payload. */
  public static CommentRequest request(Map<String, String> env) throws BotException {
    String repo = required(env, "GITHUB_REPOSITORY", "is this running in GitHub Actions?");
    String token = env.getOrDefault("GITHUB_TOKEN", env.get("GH_TOKEN"));
    if (token == null || token.isBlank()) {
      throw new BotException("GITHUB_TOKEN is not set",
          "add 'env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}' to the step");
    }
    String eventPath = required(env, "GITHUB_EVENT_PATH", "is this running in GitHub Actions?");
    Object event;
    try {
      event = JsonValues.parse(Files.readString(Path.of(eventPath), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BotException("cannot read the event payload '" + eventPath + "': "
          + e.getMessage(), null);
    }
    Object number = JsonValues.at(event, "pull_request", "number");
    if (number == null) {
      throw new BotException("the event '" + env.getOrDefault("GITHUB_EVENT_NAME", "?")
          + "' is not about a pull request", "run this on pull_request or pull_request_target");
    }
    return new CommentRequest("GitHub", env.getOrDefault("GITHUB_API_URL",
        "https://api.github.com"), repo, String.valueOf(number), token,
        JsonValues.string(event, "pull_request", "base", "sha"),
        JsonValues.string(event, "pull_request", "base", "ref"),
        JsonValues.string(event, "pull_request", "head", "sha"),
        JsonValues.string(event, "pull_request", "head", "label"),
        env.get("GITHUB_STEP_SUMMARY"));
  }

  public Published publish(String body, String marker) throws BotException {
    String login = login();
    String api = req.apiUrl().replaceAll("/+$", "");
    String url = api + "/repos/" + req.project() + "/issues/" + req.number()
        + "/comments?per_page=100";
    for (int page = 0; url != null && page < MAX_PAGES; page++) {
      ForgeHttp.Response r = http.get(url, "listing the pull request's comments");
      for (Object c : list(r.body())) {
        String text = JsonValues.string(c, "body");
        if (text != null && text.startsWith(marker)
            && login.equals(JsonValues.string(c, "user", "login"))) {
          String link = JsonValues.string(c, "html_url");
          if (text.equals(body)) {
            return new Published("unchanged", link);
          }
          ForgeHttp.Response u = http.write("PATCH", api + "/repos/" + req.project()
              + "/issues/comments/" + JsonValues.string(c, "id"), JsonValues.body(body),
              "updating comment " + JsonValues.string(c, "id"));
          return new Published(u == null ? "printed" : "updated", link);
        }
      }
      url = r.header("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1))
          .orElse(null);
    }
    ForgeHttp.Response c = http.write("POST", api + "/repos/" + req.project() + "/issues/"
        + req.number() + "/comments", JsonValues.body(body), "creating the comment");
    return c == null ? new Published("printed", null)
        : new Published("created", json(c.body(), "html_url"));
  }

  /** The token's user; Actions' GITHUB_TOKEN may not read /user, and then writes as the bot. */
  private String login() throws BotException {
    try {
      String login = json(http.get(req.apiUrl().replaceAll("/+$", "") + "/user",
          "asking who the token belongs to").body(), "login");
      return login == null ? ACTIONS_BOT : login;
    } catch (BotException e) {
      if (e.getMessage().contains("HTTP 403") && !e.getMessage().contains("rate limit")) {
        return ACTIONS_BOT;
      }
      throw e;
    }
  }

  static List<?> list(String json) throws BotException {
    try {
      return JsonValues.parse(json) instanceof List<?> l ? l : List.of();
    } catch (IOException e) {
      throw new BotException("the forge answered with something that is not JSON", null);
    }
  }

  static String json(String json, String field) throws BotException {
    try {
      return JsonValues.string(JsonValues.parse(json), field);
    } catch (IOException e) {
      throw new BotException("the forge answered with something that is not JSON", null);
    }
  }

  static String required(Map<String, String> env, String name, String hint)
      throws BotException {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new BotException(name + " is not set", hint);
    }
    return v;
  }
}
