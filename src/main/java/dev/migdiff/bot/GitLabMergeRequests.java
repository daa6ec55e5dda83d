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
 * Lists the other open merge requests into the same target branch
 * ({@code GET /projects/:id/merge_requests}, most recently updated first, following
 * {@code X-Next-Page} or {@code Link: rel="next"}), at most a bound of them. A forge error
 * becomes {@link OpenRequests#failure()}: the note is posted all the same.
 */
public final class GitLabMergeRequests {
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
  private static final int MAX_PAGES = 10;

  private final CommentRequest req;
  private final ForgeHttp http;

  public GitLabMergeRequests(CommentRequest req, PrintWriter dryRun) {
    this.req = req;
    this.http = new ForgeHttp("GitLab", req.token(), dryRun);
  }

  /** The open merge requests other than this one into {@code target}, at most {@code bound}. */
  public OpenRequests list(String target, int bound) {
    List<OpenRequest> out = new ArrayList<>();
    String first = req.apiUrl().replaceAll("/+$", "") + "/projects/"
        + URLEncoder.encode(req.project(), StandardCharsets.UTF_8)
        + "/merge_requests?state=opened&target_branch="
        + URLEncoder.encode(target, StandardCharsets.UTF_8)
        + "&order_by=updated_at&sort=desc&per_page=100";
    String url = first;
    try {
      for (int page = 0; url != null; page++) {
        if (page == MAX_PAGES) {
          return new OpenRequests(out, bound, true, null);
        }
        ForgeHttp.Response r = http.get(url, "listing the open merge requests");
        for (Object m : GitHubComments.list(r.body())) {
          OpenRequest o = request(m);
          if (o == null || o.reference().equals("!" + req.number())
              || !"opened".equals(JsonValues.string(m, "state")) || !target.equals(o.baseRef())) {
            continue;
          }
          if (out.size() == bound) {
            return new OpenRequests(out, bound, true, null);
          }
          out.add(o);
        }
        url = next(r, first);
      }
    } catch (BotException e) {
      return OpenRequests.failed(e);
    }
    return new OpenRequests(out, bound, false, null);
  }

  /** GitLab says {@code X-Next-Page} (empty on the last page); keyset pagination says Link. */
  private static String next(ForgeHttp.Response r, String first) {
    String page = r.header("X-Next-Page").orElse("").trim();
    if (page.matches("\\d+")) {
      return first + "&page=" + page;
    }
    return r.header("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1))
        .orElse(null);
  }

  private static OpenRequest request(Object m) {
    String iid = JsonValues.string(m, "iid");
    String sha = JsonValues.string(m, "sha");
    if (iid == null || sha == null) {
      return null;
    }
    boolean fork = !Objects.equals(JsonValues.string(m, "source_project_id"),
        JsonValues.string(m, "target_project_id"));
    return new OpenRequest("!" + iid, Objects.toString(JsonValues.string(m, "title"), ""),
        JsonValues.string(m, "source_branch"), sha, JsonValues.string(m, "target_branch"), fork,
        "refs/merge-requests/" + iid + "/head", JsonValues.string(m, "updated_at"));
  }
}
