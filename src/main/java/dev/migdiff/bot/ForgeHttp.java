package dev.migdiff.bot;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The JDK's HTTP client with a bearer token, turning forge failures into one clear
 * {@link BotException}; the token never appears in any message or printed request. With
 * {@code dryRun}, reads are sent and writes are printed instead.
 */
final class ForgeHttp {
  /** A response: status, body and the headers the clients look at. */
  record Response(int status, String body, HttpResponse<String> raw) {
    Optional<String> header(String name) {
      return raw == null ? Optional.empty() : raw.headers().firstValue(name);
    }
  }

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
  private final String forge;
  private final String token;
  private final PrintWriter dryRun;

  ForgeHttp(String forge, String token, PrintWriter dryRun) {
    this.forge = forge;
    this.token = token;
    this.dryRun = dryRun;
  }

  Response get(String url, String what) throws BotException {
    return send("GET", url, null, what);
  }

  /** POST, PATCH or PUT a JSON body; in a dry run only prints it and answers null. */
  Response write(String method, String url, String json, String what) throws BotException {
    if (dryRun != null) {
      dryRun.println(method + " " + url);
      dryRun.println("Authorization: Bearer ***");
      dryRun.println("Content-Type: application/json");
      dryRun.println();
      dryRun.println(json);
      dryRun.flush();
      return null;
    }
    return send(method, url, json, what);
  }

  private Response send(String method, String url, String json, String what)
      throws BotException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .header("Accept", forge.equals("GitHub") ? "application/vnd.github+json" : "application/json")
        .header("User-Agent", "migdiff");
    if (forge.equals("GitHub")) {
      b.header("X-GitHub-Api-Version", "2022-11-28");
    }
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (dryRun != null) {
      dryRun.println(method + " " + url);
      dryRun.flush();
    }
    HttpResponse<String> r;
    try {
      r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BotException("cannot reach " + forge + " at " + URI.create(url).getHost() + " ("
          + what + "): " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
              : ": " + safe(e.getMessage())), "check the network and the API URL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BotException("interrupted while " + what, null);
    }
    Response res = new Response(r.statusCode(), r.body(), r);
    if (res.status() / 100 != 2) {
      throw failure(res, what);
    }
    return res;
  }

  /** The one line a failed request becomes. */
  BotException failure(Response r, String what) {
    int s = r.status();
    String remaining = r.header("X-RateLimit-Remaining").or(() -> r.header("RateLimit-Remaining"))
        .orElse(null);
    Optional<String> retry = r.header("Retry-After");
    if ((s == 403 || s == 429) && ("0".equals(remaining) || retry.isPresent())) {
      String when = retry.map(v -> "retry after " + v + " s").orElseGet(() -> r
          .header("X-RateLimit-Reset").or(() -> r.header("RateLimit-Reset"))
          .map(v -> "the limit resets at " + reset(v)).orElse("retry later"));
      return new BotException(forge + " API rate limit reached while " + what + ": " + when,
          "run again later; with GitHub Actions, GITHUB_TOKEN has its own, higher limit");
    }
    String detail = message(r.body());
    String line = forge + " answered HTTP " + s + " while " + what + (detail.isEmpty() ? "" : ": "
        + detail);
    return switch (s) {
      case 401 -> new BotException(line, "the token is missing, expired or wrong: check "
          + (forge.equals("GitHub") ? "GITHUB_TOKEN" : "MIGDIFF_GITLAB_TOKEN"));
      case 403 -> new BotException(line, forge.equals("GitHub")
          ? "grant the job 'permissions: pull-requests: write'; pull requests from forks get a "
              + "read-only token (see scripts/ci/github for the safe pattern)"
          : "the token needs the 'api' scope and at least Reporter access to the project");
      case 404 -> new BotException(line, "check the repository/project and request number, and "
          + "that the token can see them");
      default -> new BotException(line, s >= 500 ? forge + " failed on its side: run again later"
          : "see the forge's API documentation for this status");
    };
  }

  private String message(String body) {
    String m = null;
    try {
      Object o = JsonValues.parse(body == null ? "" : body);
      m = JsonValues.string(o, "message");
      if (m == null) {
        m = JsonValues.string(o, "error");
      }
    } catch (IOException | RuntimeException e) {
      m = null;
    }
    if (m == null) {
      return "";
    }
    m = safe(m).replaceAll("\\p{Cntrl}", " ");
    return m.length() > 200 ? m.substring(0, 200) + "…" : m;
  }

  private String safe(String s) {
    return token == null || token.isEmpty() ? s : s.replace(token, "***");
  }

  private static String reset(String epochSeconds) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(epochSeconds.trim())).toString();
    } catch (NumberFormatException e) {
      return epochSeconds;
    }
  }
}
