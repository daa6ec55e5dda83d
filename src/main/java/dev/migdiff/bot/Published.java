package dev.migdiff.bot;

/** What publishing the comment did: "created", "updated", "unchanged" or "printed" (dry run). */
public record Published(String action, String url) {}
