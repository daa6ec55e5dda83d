package dev.migdiff.bot;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists the other open pull requests into the same base branch ({@code GET /repos/{repo}/pulls},
 * most recently updated first, following {@code Link: rel="next"}), at most a bound of them.
 * A forge error becomes {@link OpenRequests#failure()}: the comment is posted all the same.
 */
public final class GitHubPulls {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
  private static final int MAX_PAGES = 10;

  private final CommentRequest req;
  private final ForgeHttp http;

  public GitHubPulls(CommentRequest req, PrintWriter dryRun) {
    this.req = req;
    this.http = new ForgeHttp("GitHub", req.token(), dryRun);
  }

  /** The open pull requests other than this one whose base is {@code base}, at most {@code bound}. */
  public OpenRequests list(String base, int bound) {
    List<OpenRequest> out = new ArrayList<>();
    String url = req.apiUrl().replaceAll("/+$", "") + "/repos/" + req.project()
        + "/pulls?state=open&base=" + URLEncoder.encode(base, StandardCharsets.UTF_8)
        + "&sort=updated&direction=desc&per_page=100";
    try {
      for (int page = 0; url != null; page++) {
        if (page == MAX_PAGES) {
          return new OpenRequests(out, bound, true, null);
        }
        ForgeHttp.Response r = http.get(url, "listing the open pull requests");
        for (Object p : GitHubComments.list(r.body())) {
          OpenRequest o = request(p);
          if (o == null || o.reference().equals("#" + req.number())
              || !"open".equals(JsonValues.string(p, "state")) || !base.equals(o.baseRef())) {
            continue;
          }
          if (out.size() == bound) {
            return new OpenRequests(out, bound, true, null);
          }
          out.add(o);
        }
        url = r.header("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1))
            .orElse(null);
      }
    } catch (BotException e) {
      return OpenRequests.failed(e);
    }
    return new OpenRequests(out, bound, false, null);
  }

  private static OpenRequest request(Object p) {
    String number = JsonValues.string(p, "number");
    String sha = JsonValues.string(p, "head", "sha");
    if (number == null || sha == null) {
      return null;
    }
    String headRepo = JsonValues.string(p, "head", "repo", "full_name");
    boolean fork = headRepo == null
        || !Objects.equals(headRepo, JsonValues.string(p, "base", "repo", "full_name"));
    return new OpenRequest("#" + number, Objects.toString(JsonValues.string(p, "title"), ""),
        JsonValues.string(p, "head", "ref"), sha, JsonValues.string(p, "base", "ref"), fork,
        "refs/pull/" + number + "/head", JsonValues.string(p, "updated_at"));
  }
}
