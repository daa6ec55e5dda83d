package dev.migdiff.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's protocol: one request and one response per connection, each a run of
 * length-prefixed fields after a magic number, read with bounds (a peer that lies about a length
 * is a broken connection, never an allocation of its choosing).
 */
final class Wire {
  static final int REQUEST = 0x4d474431; // "MGD1"
  static final int RESPONSE = 0x4d474432; // "MGD2"
  private static final int MAX_FIELD = 16 << 20;
  /** An answer's output may be large (JSON of a big project); it comes from the user's own daemon. */
  private static final int MAX_OUTPUT = 512 << 20;
  private static final int MAX_COUNT = 100_000;

  private Wire() {}

  static void write(DataOutputStream out, Request r) throws IOException {
    out.writeInt(REQUEST);
    bytes(out, r.directory());
    out.writeBoolean(r.console());
    out.writeInt(r.args().size());
    for (String a : r.args()) {
      bytes(out, a);
    }
    out.writeInt(r.env().size());
    for (Map.Entry<String, String> e : r.env().entrySet()) {
      bytes(out, e.getKey());
      bytes(out, e.getValue());
    }
    out.flush();
  }

  static Request readRequest(DataInputStream in) throws IOException {
    magic(in, REQUEST);
    String dir = string(in);
    boolean console = in.readBoolean();
    int n = count(in);
    List<String> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      args.add(string(in));
    }
    int m = count(in);
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < m; i++) {
      env.put(string(in), string(in));
    }
    return new Request(dir, console, args, env);
  }

  static void write(DataOutputStream out, Response r) throws IOException {
    out.writeInt(RESPONSE);
    out.writeInt(r.exitCode());
    bytes(out, r.out());
    bytes(out, r.err());
    out.flush();
  }

  static Response readResponse(DataInputStream in) throws IOException {
    magic(in, RESPONSE);
    int code = in.readInt();
    return new Response(code, string(in, MAX_OUTPUT), string(in, MAX_OUTPUT));
  }

  private static void magic(DataInputStream in, int expected) throws IOException {
    if (in.readInt() != expected) {
      throw new IOException("not a migdiff daemon message");
    }
  }

  private static void bytes(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    return string(in, MAX_FIELD);
  }

  private static String string(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new IOException("a field of " + n + " bytes");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT) {
      throw new IOException("a count of " + n);
    }
    return n;
  }
}
