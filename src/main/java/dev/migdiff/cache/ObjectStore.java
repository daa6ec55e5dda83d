package dev.migdiff.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * A store of byte values keyed by Git object ids (or digests of them), in one directory outside
 * any repository: {@code ROOT/KIND/ab/cdef...}. Content-addressed keys mean an entry is never
 * stale, only present or absent; so every failure is a miss. Writes are atomic (a temporary file
 * in the same directory, then a rename), so concurrent runs see a whole entry or none; an entry
 * that does not check out (torn, truncated, foreign) is a miss and one warning; a read-only or
 * full disk turns writing off for the rest of the run, silently. The size is bounded by {@link
 * Pruning}: the least recently used entries go first.
 */
public final class ObjectStore {
  /** The first bytes of every entry: "MGDC" and the entry layout's version. */
  private static final int MAGIC = 0x4d474443;
  private static final int LAYOUT = 1;
  private static final int HEADER = 16;
  /** A hit refreshes the entry's time (its place in the LRU order) at most this often. */
  private static final long TOUCH_AFTER_MS = 60L * 60 * 1000;

  private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[0-9a-z]{8,128}");
  private static final java.util.regex.Pattern KIND = java.util.regex.Pattern.compile("[a-z]{1,20}");

  private final Path root;
  private final long maxBytes;
  private final Consumer<String> warnings;
  private boolean warned;
  private boolean writable = true;
  /** Directories known to exist (mkdir of an existing directory is a slow failing system call). */
  private final java.util.Set<Path> made = new java.util.HashSet<>();
  private long written;
  /** Whether this run made the directory (then its first entries are all that it holds). */
  private boolean startedEmpty;

  /**
   * {@code root} is this format and version's directory ({@link CacheLocation#root}); {@code
   * warnings} gets at most one line per run.
   */
  public ObjectStore(Path root, long maxBytes, Consumer<String> warnings) {
    this.root = root;
    this.maxBytes = maxBytes;
    this.warnings = warnings;
  }

  public Path root() {
    return root;
  }

  /** The value stored under {@code kind}/{@code key}, or null (absent, unreadable, corrupt). */
  public byte[] get(String kind, String key) {
    Path file = file(kind, key);
    byte[] value;
    try {
      value = read(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | SecurityException e) {
      if (!Files.isRegularFile(file)) {
        return null; // absent (a path through a file, say): a plain miss
      }
      warn("cannot read cache entry " + file + " (" + e.getMessage() + "); reading the repository instead");
      return null;
    }
    if (value == null) {
      warn("cache entry " + file + " is corrupt; reading the repository instead");
      try {
        Files.deleteIfExists(file);
      } catch (IOException | SecurityException e) {
        // a miss either way
      }
      return null;
    }
    touch(file);
    return value;
  }

  /**
   * Whether an entry is stored under {@code kind}/{@code key}, without reading or touching it (it
   * may still turn out corrupt when read): for guesses only.
   */
  public boolean has(String kind, String key) {
    try {
      return Files.isRegularFile(file(kind, key));
    } catch (IllegalArgumentException | SecurityException e) {
      return false;
    }
  }

  /** Stores {@code value}; never fails (a read-only or full disk just stops the writing). */
  public void put(String kind, String key, byte[] value) {
    if (!writable) {
      return;
    }
    Path file = file(kind, key);
    Path tmp = file.resolveSibling(".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      if (made.add(file.getParent())) {
        if (made.size() == 1) {
          startedEmpty = !Files.isDirectory(root);
        }
        Files.createDirectories(file.getParent());
      }
      Files.write(tmp, wrap(value));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      written += value.length + HEADER;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      writable = false;
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException | SecurityException x) {
        // nothing more to do: the cache is only an optimisation
      }
    }
  }

  /** Bytes written by this run (for the size bound). */
  public long written() {
    return written;
  }

  /** Keeps the store under its bound when this run wrote something; call once, at the end. */
  public void finish() {
    if (written > 0) {
      Pruning.account(root, written, maxBytes, startedEmpty);
      written = 0;
    }
  }

  private Path file(String kind, String key) {
    if (!KEY.matcher(key).matches() || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("bad cache key " + kind + "/" + key);
    }
    return root.resolve(kind).resolve(key.substring(0, 2)).resolve(key.substring(2));
  }

  static byte[] wrap(byte[] value) {
    CRC32 crc = new CRC32();
    crc.update(value);
    return ByteBuffer.allocate(HEADER + value.length).putInt(MAGIC).putInt(LAYOUT)
        .putInt(value.length).putInt((int) crc.getValue()).put(value).array();
  }

  /**
   * The value of the entry in {@code file}, or null when it does not check out (the magic,
   * layout, length and CRC that {@link #wrap} wrote): the header is read on its own, the value
   * straight into an array of its size. (A run reads hundreds of entries, some of megabytes:
   * reading the whole file, then copying the value out of it, made each twice.)
   */
  private static byte[] read(Path file) throws IOException {
    try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (size < HEADER || size - HEADER > Integer.MAX_VALUE - 8) {
        return null;
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      readFully(ch, header);
      header.flip();
      if (header.remaining() < HEADER || header.getInt() != MAGIC || header.getInt() != LAYOUT
          || header.getInt() != size - HEADER) {
        return null;
      }
      int expected = header.getInt();
      byte[] value = new byte[(int) (size - HEADER)];
      ByteBuffer body = ByteBuffer.wrap(value);
      readFully(ch, body);
      if (body.hasRemaining() || ch.read(ByteBuffer.allocate(1)) > 0) {
        return null; // changed size while read: torn
      }
      CRC32 crc = new CRC32();
      crc.update(value);
      return (int) crc.getValue() == expected ? value : null;
    }
  }

  /** Fills {@code b} from {@code ch}, or up to its end. */
  private static void readFully(java.nio.channels.SeekableByteChannel ch, ByteBuffer b)
      throws IOException {
    while (b.hasRemaining() && ch.read(b) >= 0) {
      // (a read may return fewer bytes than asked)
    }
  }

  private void touch(Path file) {
    if (!writable) {
      return;
    }
    try {
      long now = System.currentTimeMillis();
      if (now - Files.getLastModifiedTime(file).toMillis() > TOUCH_AFTER_MS) {
        Files.setLastModifiedTime(file, FileTime.fromMillis(now));
      }
    } catch (IOException | SecurityException e) {
      // the LRU order is approximate anyway
    }
  }

  private void warn(String message) {
    if (!warned) {
      warned = true;
      warnings.accept("migdiff: warning: " + message);
    }
  }
}
