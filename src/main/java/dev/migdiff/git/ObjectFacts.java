package dev.migdiff.git;

/**
 * Facts about Git objects that never change, kept between runs by the caller: the commit an
 * object peels to, a commit's root tree, the merge base of two commits. An object id names its
 * content, and a commit's content names its parents, so none of these can go stale (but for a
 * shallow clone's history, which {@link GitRepository} never asks about). A warm run that finds
 * them all reads no Git object at all, and so never waits for the pack indexes.
 */
public interface ObjectFacts {
  /** The fact of {@code kind} about {@code key} (lower-case hex), or null when not known. */
  String get(String kind, String key);

  /** Keeps a fact; may forget it at any time, and never fails. */
  void put(String kind, String key, String value);

  /** Keeps nothing. */
  ObjectFacts NONE = new ObjectFacts() {
    @Override
    public String get(String kind, String key) {
      return null;
    }

    @Override
    public void put(String kind, String key, String value) {}
  };
}
