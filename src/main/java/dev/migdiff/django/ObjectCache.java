package dev.migdiff.django;

/**
 * What the reading layers keep between runs, by Git object id: a store of byte values that may
 * forget anything at any time. Keys are content-addressed (a blob or tree id, or a digest of one
 * with everything else the reading depends on), so a value is never stale; {@link #get} answers
 * null for anything it does not hold, and {@link #put} never fails. Implemented over the cache
 * package by the command line; {@link #NONE} keeps nothing.
 */
public interface ObjectCache {
  /** The value stored under {@code kind} and {@code key} (lower-case hex), or null. */
  byte[] get(String kind, String key);

  void put(String kind, String key, byte[] value);

  /**
   * Stores what {@code value} makes, possibly later and on another thread (encoding and writing
   * then overlap the run's own work); {@code value} must only read what no longer changes.
   */
  default void putLater(String kind, String key, java.util.function.Supplier<byte[]> value) {
    put(kind, key, value.get());
  }

  /**
   * Runs {@code flush} when the run ends (to write in one entry what was gathered along the way);
   * by default never.
   */
  default void atEnd(Runnable flush) {}

  /** Keeps nothing: every run reads the repository. */
  ObjectCache NONE = new ObjectCache() {
    @Override
    public byte[] get(String kind, String key) {
      return null;
    }

    @Override
    public void put(String kind, String key, byte[] value) {}
  };
}
