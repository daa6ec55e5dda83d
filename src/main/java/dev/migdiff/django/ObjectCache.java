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
   * Runs {@code work} (preparing a value to store) now, or later on the thread that stores, before
   * any value put after this call; used to encode while the run's own work leaves a core idle.
   */
  default void meanwhile(Runnable work) {
    work.run();
  }

  /**
   * Runs {@code flush} when the run ends (to write in one entry what was gathered along the way);
   * by default never.
   */
  default void atEnd(Runnable flush) {}

  /** Whether {@code id} is a Git object id (SHA-1 or SHA-256, lower-case hex): a key that names content. */
  static boolean isObjectId(String id) {
    if (id == null || (id.length() != 40 && id.length() != 64)) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A key for a value that depends on several things (object ids, a format version, settings):
   * the SHA-1 of their joined text, in lower-case hex.
   */
  static String key(String joined) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
          .digest(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java runtime has SHA-1
    }
  }

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
