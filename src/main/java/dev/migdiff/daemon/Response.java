package dev.migdiff.daemon;

/** What a run printed, in full, and its exit code: the client prints it as its own. */
public record Response(int exitCode, String out, String err) {}
