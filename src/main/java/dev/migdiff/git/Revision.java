package dev.migdiff.git;

/** A revision as the user typed it, and the commit it resolved to (40 hex). */
public record Revision(String spelling, String commit) {}
