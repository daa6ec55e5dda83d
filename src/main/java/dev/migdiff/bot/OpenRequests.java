package dev.migdiff.bot;

import java.util.List;

/**
 * The other open requests into the same target branch, most recently updated first, at most
 * the bound; {@code truncated} when more were open; {@code failure} (one line) when the forge
 * could not list them, which never fails the comment.
 */
public record OpenRequests(List<OpenRequest> requests, int bound, boolean truncated,
    String failure) {

  public OpenRequests {
    requests = List.copyOf(requests);
  }

  static OpenRequests failed(BotException e) {
    return new OpenRequests(List.of(), 0, false, e.getMessage());
  }
}
