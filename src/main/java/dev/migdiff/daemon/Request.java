package dev.migdiff.daemon;

import java.util.List;
import java.util.Map;

/**
 * One run asked of the daemon: the client's arguments, its working directory (absolute), whether
 * its standard error is a terminal, and its environment.
 */
public record Request(String directory, boolean console, List<String> args,
    Map<String, String> env) {
  public Request {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }
}
