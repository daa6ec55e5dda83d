package dev.migdiff.git;

/** One entry of a Git tree: its name, what it is, and its object id (40 hex). */
public record TreeEntry(String name, Kind kind, String id) {
  /** What a tree entry points at. */
  public enum Kind { FILE, TREE, SYMLINK, SUBMODULE }
}
