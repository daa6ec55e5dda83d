package dev.migdiff.django;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the stored layouts of {@link MigrationCodec} from a byte array: the few reads of
 * {@code DataInputStream} they use, without its stream and lock per byte (decoding the cached
 * migrations of a large project is most of a warm run's reading).
 */
final class ByteReader {
  private final byte[] bytes;
  private int at;

  ByteReader(byte[] bytes) {
    this.bytes = bytes;
  }

  int available() {
    return bytes.length - at;
  }

  /** Four bytes, big-endian (a stored value's magic number). */
  int readInt() throws IOException {
    return readUnsignedByte() << 24 | readUnsignedByte() << 16 | readUnsignedByte() << 8
        | readUnsignedByte();
  }

  int readUnsignedByte() throws IOException {
    if (at >= bytes.length) {
      throw new EOFException();
    }
    return bytes[at++] & 0xFF;
  }

  byte readByte() throws IOException {
    return (byte) readUnsignedByte();
  }

  boolean readBoolean() throws IOException {
    return readUnsignedByte() != 0;
  }

  char readChar() throws IOException {
    if (available() < 2) {
      throw new EOFException();
    }
    char c = (char) (((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF));
    at += 2;
    return c;
  }

  /** {@code n} bytes as a Latin-1 (here: ASCII) string. */
  String latin1(int n) throws IOException {
    if (n < 0 || n > available()) {
      throw new EOFException();
    }
    String s = new String(bytes, at, n, StandardCharsets.ISO_8859_1);
    at += n;
    return s;
  }

  /**
   * {@link #latin1(int)}, the same instance as an equal short string decoded lately (by any
   * thread): the operations kept for field states repeat the same few hundred names (keyword
   * arguments, field classes, model names) hundreds of thousands of times.
   */
  String pooled(int n) throws IOException {
    if (n > POOLED_MAX || n > available()) {
      return latin1(n);
    }
    int h = n;
    for (int i = 0; i < n; i++) {
      h = 31 * h + bytes[at + i];
    }
    int slot = (h ^ (h >>> 15)) & (POOL.length - 1);
    String s = POOL[slot];
    if (s == null || !matches(s, n)) {
      s = latin1(n);
      POOL[slot] = s; // (a race loses a slot's string, never a value: Strings are immutable)
      return s;
    }
    at += n;
    return s;
  }

  /** Strings longer than this are not pooled: mostly one of a kind (help texts, paths). */
  private static final int POOLED_MAX = 40;
  /** A cache of lately decoded short strings, by a hash of their bytes (one per slot). */
  private static final String[] POOL = new String[1 << 12];

  private boolean matches(String s, int n) {
    if (s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if ((bytes[at + i] & 0xFF) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code known} when the next {@code n} bytes are its characters (ASCII), else them as a new
   * string: a decoding that expects a value shares the instance the run already holds.
   */
  String latin1(int n, String known) throws IOException {
    if (known == null || n > available() || !matches(known, n)) {
      return latin1(n);
    }
    at += n;
    return known;
  }

  /** The next {@code n} bytes, copied. */
  byte[] bytes(int n) throws IOException {
    if (n < 0 || n > available()) {
      throw new EOFException();
    }
    byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + n);
    at += n;
    return out;
  }
}
