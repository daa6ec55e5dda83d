package dev.migdiff.python;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns source bytes into text as Python does: UTF-8, a BOM, or a PEP 263 coding cookie. */
public final class SourceDecoder {
  private static final Pattern COOKIE = Pattern.compile("^[ \\t\\f]*#.*?coding[:=][ \\t]*([-\\w.]+)");

  private SourceDecoder() {}

  /** The text and what went wrong decoding it (never throws). */
  public record Decoded(String text, List<SyntaxProblem> problems) {}

  public static Decoded decode(byte[] bytes) {
    List<SyntaxProblem> problems = new ArrayList<>();
    int start = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    Charset cs = StandardCharsets.UTF_8;
    String cookie = cookie(bytes, start);
    if (cookie != null && start == 0) {
      try {
        cs = Charset.forName(normalise(cookie));
      } catch (IllegalArgumentException e) {
        problems.add(new SyntaxProblem(Position.START, "unknown encoding: " + cookie));
      }
    }
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        problems.add(new SyntaxProblem(position(bytes, start, i), "source contains a NUL byte"));
        break;
      }
    }
    if (problems.isEmpty() && isAscii(bytes, start)
        && cs == StandardCharsets.UTF_8) {
      // The common case: plain ASCII, the same in every ASCII-compatible encoding. The JDK's
      // one-byte-per-char strings are much faster to scan than the UTF-16 a decoder produces.
      return new Decoded(new String(bytes, start, bytes.length - start,
          StandardCharsets.ISO_8859_1), problems);
    }
    CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      CharBuffer out = dec.decode(in);
      return new Decoded(out.toString(), problems);
    } catch (CharacterCodingException e) {
      int bad = firstBad(bytes, start, cs);
      problems.add(new SyntaxProblem(position(bytes, start, bad), "invalid " + cs.name()
          + " byte 0x" + String.format("%02x", bytes[bad] & 0xff)));
      String text = new String(bytes, start, bytes.length - start, cs);
      return new Decoded(text, problems);
    }
  }

  private static boolean isAscii(byte[] bytes, int start) {
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    if (n.equals("utf8") || n.startsWith("utf-8-")) {
      return "UTF-8";
    }
    if (n.equals("latin-1") || n.equals("latin1") || n.startsWith("iso-8859-1-")) {
      return "ISO-8859-1";
    }
    return n;
  }

  private static String cookie(byte[] bytes, int start) {
    int line = 0;
    int i = start;
    while (line < 2 && i < bytes.length) {
      int end = i;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      String text = new String(bytes, i, end - i, StandardCharsets.ISO_8859_1);
      Matcher m = COOKIE.matcher(text);
      if (m.find()) {
        return m.group(1);
      }
      if (!text.strip().startsWith("#") && !text.isBlank()) {
        return null;
      }
      i = end + 1;
      line++;
    }
    return null;
  }

  private static int firstBad(byte[] bytes, int start, Charset cs) {
    CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    var result = dec.decode(in, out, true);
    return result.isError() ? Math.min(in.position(), bytes.length - 1) : start;
  }

  private static Position position(byte[] bytes, int start, int at) {
    int line = 1;
    int lineStart = start;
    for (int i = start; i < at; i++) {
      if (bytes[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    String prefix = new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8);
    return new Position(line, prefix.codePointCount(0, prefix.length()) + 1);
  }
}
