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
