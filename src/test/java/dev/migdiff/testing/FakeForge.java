package dev.migdiff.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A forge API on the loopback address for tests: answers each request with what the route
 * function gives for {@code "METHOD /path?query"}, and records every request it received.
 */
public final class FakeForge implements AutoCloseable {
  /** A received request. */
  public record Request(String method, String target, String authorization, String body) {
    public String line() {
      return method + " " + target;
    }
  }

  /** An answer. */
  public record Reply(int status, Map<String, String> headers, String body) {
    public static Reply ok(String body) {
      return new Reply(200, Map.of(), body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public FakeForge(BiFunction<String, String, Reply> routes) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      String target = ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Request(ex.getRequestMethod(), target,
          ex.getRequestHeaders().getFirst("Authorization"), body));
      Reply r = routes.apply(ex.getRequestMethod(), target);
      if (r == null) {
        r = new Reply(404, Map.of(), "{\"message\":\"Not Found\"}");
      }
      byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v.replace("{base}", url())));
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<String> lines() {
    return requests().stream().map(Request::line).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
