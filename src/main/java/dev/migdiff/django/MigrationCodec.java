package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Position;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The stored form of what {@link MigrationReader} reads from migration files: each file's
 * {@link MigrationReader.Result} without its operations (what graph building needs, findings
 * included, positions included), and the operations' call trees on their own, by blob id, for the
 * few migrations whose reversibility or deploy safety is asked for. A compact binary layout; any
 * value that does not decode is treated as absent.
 */
final class MigrationCodec {
  /** Changes whenever the layout or the reading it stores changes; part of every key. */
  static final int VERSION = 5;

  private MigrationCodec() {}

  /** One stored migration file: its directory entry's name and what reading it gave. */
  record Stored(String fileName, String blobId, MigrationReader.Result result) {}

  /**
   * Encodes one directory's readings. {@code expected} names, file by file, what a decoding will
   * be given ({@link Expected}: the directory's files as its listing makes them); a name, blob
   * id, key or path equal to it is not written, only a flag saying so, and a dependency on a key
   * of an earlier file of the directory is written as that file's number. Such an entry decodes
   * only with the same expectations, which its key guarantees: the directory's tree id fixes its
   * listing, and the label and path are part of the key.
   */
  static byte[] encodeResults(List<String> settingNames, List<String> settingValues,
      List<Stored> files, List<? extends Expected> expected) {
    return write(out -> {
      var(out, settingNames.size());
      for (int i = 0; i < settingNames.size(); i++) {
        str(out, settingNames.get(i));
        str(out, settingValues.get(i));
      }
      var(out, files.size());
      java.util.Map<MigrationKey, Integer> earlier = new java.util.HashMap<>();
      for (int i = 0; i < files.size(); i++) {
        Stored s = files.get(i);
        Expected e = i < expected.size() ? expected.get(i) : null;
        Migration m = s.result().migration();
        int flags = 0;
        if (e != null && s.fileName().equals(e.fileName())) {
          flags |= SAME_FILE_NAME;
        }
        if (e != null && s.blobId().equals(e.blobId())) {
          flags |= SAME_BLOB;
        }
        if (m != null) {
          flags |= MIGRATION;
          if (e != null && e.key() != null && m.key().app().equals(e.key().app())) {
            flags |= SAME_APP;
          }
          if (e != null && e.key() != null && m.key().name().equals(e.key().name())) {
            flags |= SAME_NAME;
          }
          if (e != null && m.path().equals(e.path())) {
            flags |= SAME_PATH;
          }
          if (m.blobId().equals(s.blobId())) {
            flags |= FILE_BLOB;
          }
        }
        out.writeByte(flags);
        if ((flags & SAME_FILE_NAME) == 0) {
          str(out, s.fileName());
        }
        if ((flags & SAME_BLOB) == 0) {
          str(out, s.blobId());
        }
        if (m != null) {
          if ((flags & SAME_APP) == 0) {
            str(out, m.key().app());
          }
          if ((flags & SAME_NAME) == 0) {
            str(out, m.key().name());
          }
          if ((flags & SAME_PATH) == 0) {
            str(out, m.path());
          }
          if ((flags & FILE_BLOB) == 0) {
            str(out, m.blobId());
          }
          pos(out, m.classPos());
          deps(out, m.dependencies(), earlier);
          deps(out, m.runBefore(), earlier);
          deps(out, m.replaces(), earlier);
          out.writeByte(m.initial() == null ? 2 : m.initial() ? 1 : 0);
          out.writeBoolean(m.atomic());
          earlier.putIfAbsent(m.key(), i);
        }
        var(out, s.result().problems().size());
        for (Problem p : s.result().problems()) {
          out.writeByte(p.severity().ordinal());
          str(out, p.code());
          str(out, p.file());
          pos(out, p.pos());
          str(out, p.message());
          str(out, p.hint());
        }
      }
    });
  }

  // A file's flags: which of its values equal the expected ones (and are not written), and
  // whether it holds a migration.
  private static final int SAME_FILE_NAME = 1;
  private static final int SAME_BLOB = 2;
  private static final int MIGRATION = 4;
  private static final int SAME_APP = 8;
  private static final int SAME_NAME = 16;
  private static final int SAME_PATH = 32;
  /** The migration's blob id is the file's. */
  private static final int FILE_BLOB = 64;

  /** Where a decoded migration's operations come from when first asked for. */
  interface OperationsSource {
    Supplier<List<Expr>> of(MigrationKey key, String path, String blobId);
  }

  /** The settings a stored reading depended on, and its files. */
  record Decoded(List<String> settingNames, List<String> settingValues, List<Stored> files) {}

  /**
   * What a decoding expects of its {@code i}-th file: the values the run already holds for it
   * (its directory entry's name and blob id, its key and path). Equal decoded values are these
   * very instances: a reading of 100,000 migrations otherwise kept each of them twice.
   */
  interface Expected {
    String fileName();

    String blobId();

    MigrationKey key();

    String path();
  }

  /**
   * Decodes {@link #encodeResults} given the same {@code expected} (an entry whose flags refer
   * to expected values that are not given does not decode); each migration's operations come
   * from {@code operations} (given the blob id) when first asked for. Decoded values equal to
   * expected ones are their instances: a reading of 100,000 migrations otherwise kept each of
   * them twice.
   */
  static Decoded decodeResults(byte[] bytes, OperationsSource operations,
      List<? extends Expected> expected) throws IOException {
    ByteReader in = new ByteReader(bytes);
    int n = count(in);
    List<String> names = new ArrayList<>(n);
    List<String> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      names.add(str(in));
      values.add(str(in));
    }
    int files = count(in);
    List<Stored> out = new ArrayList<>(files);
    // One object per key of this directory (a dependency on the previous migration is its key):
    // less memory, and equal keys compare by identity first.
    java.util.Map<Object, Object> keys = new java.util.HashMap<>();
    // the keys of the files decoded so far, by file number (null: no migration)
    MigrationKey[] fileKeys = new MigrationKey[files];
    for (int i = 0; i < files; i++) {
      Expected hint = i < expected.size() ? expected.get(i) : null;
      int flags = in.readByte() & 0xFF;
      if ((flags & ~ALL_FLAGS) != 0
          || (hint == null && (flags & (SAME_FILE_NAME | SAME_BLOB | SAME_PATH)) != 0)
          || ((hint == null || hint.key() == null) && (flags & (SAME_APP | SAME_NAME)) != 0)) {
        throw new IOException("flags " + flags + " without what they refer to");
      }
      String fileName = (flags & SAME_FILE_NAME) != 0 ? hint.fileName()
          : str(in, hint == null ? null : hint.fileName());
      String blob = (flags & SAME_BLOB) != 0 ? hint.blobId()
          : str(in, hint == null ? null : hint.blobId());
      Migration m = null;
      if ((flags & MIGRATION) != 0) {
        MigrationKey own = hint == null ? null : hint.key();
        String app = (flags & SAME_APP) != 0 ? own.app() : str(in, own == null ? null : own.app());
        String name = (flags & SAME_NAME) != 0 ? own.name()
            : str(in, own == null ? null : own.name());
        MigrationKey key = canonical(keys, own != null && own.app() == app && own.name() == name
            ? own : new MigrationKey(app, name));
        fileKeys[i] = key;
        String path = (flags & SAME_PATH) != 0 ? hint.path()
            : str(in, hint == null ? null : hint.path());
        String blobId = (flags & FILE_BLOB) != 0 ? blob : str(in, blob);
        Position classPos = pos(in);
        List<Migration.Dependency> deps = deps(in, keys, fileKeys, i);
        List<Migration.Dependency> runBefore = deps(in, keys, fileKeys, i);
        List<Migration.Dependency> replaces = deps(in, keys, fileKeys, i);
        byte initial = in.readByte();
        boolean atomic = in.readBoolean();
        m = new Migration(key, path, blobId, classPos, deps, runBefore, replaces,
            initial == 2 ? null : initial == 1, atomic, operations.of(key, path, blobId));
      } else if ((flags & (SAME_APP | SAME_NAME | SAME_PATH | FILE_BLOB)) != 0) {
        throw new IOException("a migration's flags without a migration");
      }
      int np = count(in);
      List<Problem> problems = new ArrayList<>(np);
      for (int j = 0; j < np; j++) {
        int sev = in.readByte();
        if (sev < 0 || sev >= Problem.Severity.values().length) {
          throw new IOException("bad severity");
        }
        problems.add(new Problem(Problem.Severity.values()[sev], str(in), str(in), pos(in),
            str(in), str(in)));
      }
      out.add(new Stored(fileName, blob, new MigrationReader.Result(m, List.copyOf(problems))));
    }
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return new Decoded(names, values, out);
  }

  private static final int ALL_FLAGS = SAME_FILE_NAME | SAME_BLOB | MIGRATION | SAME_APP
      | SAME_NAME | SAME_PATH | FILE_BLOB;

  /**
   * One migration's operations in a bundle, still encoded, with the lower-case names of the
   * models whose fields they touch ({@link FieldState#decode}): a walk that follows other models
   * passes the migration without decoding it.
   */
  record StoredOps(List<String> models, byte[] ops) {}

  /**
   * A directory's operations as one entry: each migration's operations encoded on their own,
   * behind their length and the models they touch, so a reader decodes only the migrations it
   * asks for ({@link #decodeBundle}). {@code stored} entries are copied as they are, {@code added}
   * ones encoded; a blob id in both is written once, from {@code added}.
   */
  static byte[] encodeBundle(java.util.Map<String, StoredOps> stored,
      java.util.Map<String, List<Expr>> added) {
    java.util.Map<String, StoredOps> all = new java.util.LinkedHashMap<>(stored);
    for (java.util.Map.Entry<String, List<Expr>> e : added.entrySet()) {
      all.put(e.getKey(), storedOps(e.getValue()));
    }
    return write(out -> {
      var(out, all.size());
      for (java.util.Map.Entry<String, StoredOps> e : all.entrySet()) {
        bundleEntry(out, e.getKey(), e.getValue());
      }
    });
  }

  /** One migration's entry of a bundle: its operations encoded, and the models they touch. */
  static StoredOps storedOps(List<Expr> ops) {
    return new StoredOps(effectModels(ops), encodeOperations(ops));
  }

  private static void bundleEntry(DataOutputStream out, String blobId, StoredOps entry)
      throws IOException {
    str(out, blobId);
    var(out, entry.models().size());
    for (String m : entry.models()) {
      str(out, m);
    }
    var(out, entry.ops().length);
    out.write(entry.ops());
  }

  /** The models whose fields {@code ops} touch, lower-case, in first-touched order. */
  static List<String> effectModels(List<Expr> ops) {
    return FieldState.effectsOf(ops).stream().map(FieldState.Effect::model).distinct().toList();
  }

  /**
   * A bundle's entries by blob id, each still encoded: {@link #decodeOperations} decodes one when
   * it is asked for (a run reads the operations of a few migrations of a directory, or of all).
   */
  static java.util.Map<String, StoredOps> decodeBundle(byte[] bytes) throws IOException {
    ByteReader in = new ByteReader(bytes);
    int n = count(in);
    java.util.Map<String, StoredOps> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String id = str(in);
      int k = count(in);
      List<String> models = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        String m = str(in);
        if (m == null) {
          throw new IOException("no model name");
        }
        models.add(m);
      }
      if (id == null) {
        throw new IOException("no blob id");
      }
      out.put(id, new StoredOps(List.copyOf(models), in.bytes(count(in))));
    }
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return out;
  }

  static byte[] encodeOperations(List<Expr> ops) {
    return write(out -> exprs(out, ops));
  }

  static List<Expr> decodeOperations(byte[] bytes) throws IOException {
    ByteReader in = new ByteReader(bytes);
    List<Expr> ops = exprs(in);
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return ops;
  }

  interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  static byte[] write(Body body) {
    Bytes bytes = SCRATCH.get();
    boolean scratch = !bytes.inUse;
    if (!scratch) {
      bytes = new Bytes(); // (an encoding within an encoding)
    }
    bytes.inUse = true;
    bytes.size = 0;
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    } finally {
      bytes.inUse = false;
      if (scratch && bytes.buf.length > SCRATCH_MAX) {
        SCRATCH.remove();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * Each thread encodes into one buffer that it reuses, so a run that encodes thousands of values
   * allocates each once, at its size; a buffer grown past {@link #SCRATCH_MAX} is let go.
   */
  private static final ThreadLocal<Bytes> SCRATCH = ThreadLocal.withInitial(Bytes::new);
  private static final int SCRATCH_MAX = 1 << 20;

  /** A growing byte array without ByteArrayOutputStream's lock per byte. */
  private static final class Bytes extends java.io.OutputStream {
    private byte[] buf = new byte[4096];
    private int size;
    private boolean inUse;

    @Override
    public void write(int b) {
      if (size == buf.length) {
        buf = java.util.Arrays.copyOf(buf, size * 2);
      }
      buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (size + len > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(size * 2, size + len));
      }
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, size);
    }
  }

  /**
   * Dependencies: each key as {@code 1 + } the number of an earlier file of the directory whose
   * key it is (most migrations depend on the one before), or 0 and its label and name.
   */
  private static void deps(DataOutputStream out, List<Migration.Dependency> deps,
      java.util.Map<MigrationKey, Integer> earlier) throws IOException {
    var(out, deps.size());
    for (Migration.Dependency d : deps) {
      Integer file = earlier.get(d.key());
      if (file != null) {
        var(out, 1 + file);
      } else {
        var(out, 0);
        str(out, d.key().app());
        str(out, d.key().name());
      }
      pos(out, d.pos());
      str(out, d.swappableSetting());
    }
  }

  private static List<Migration.Dependency> deps(ByteReader in,
      java.util.Map<Object, Object> keys, MigrationKey[] fileKeys, int before) throws IOException {
    int n = count(in);
    List<Migration.Dependency> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int file = var(in) - 1;
      MigrationKey key;
      if (file < 0) {
        key = canonical(keys, new MigrationKey(str(in), str(in)));
      } else if (file < before && fileKeys[file] != null) {
        key = fileKeys[file];
      } else {
        throw new IOException("a dependency on file " + file);
      }
      out.add(new Migration.Dependency(key, pos(in), str(in)));
    }
    return List.copyOf(out);
  }

  /**
   * The key equal to {@code k} met first in this decoding, else {@code k} with the first string
   * of its label met ({@code seen} holds both, by their own equality).
   */
  private static MigrationKey canonical(java.util.Map<Object, Object> seen, MigrationKey k) {
    Object known = seen.get(k);
    if (known != null) {
      return (MigrationKey) known;
    }
    Object label = seen.putIfAbsent(k.app(), k.app());
    if (label != null && label != k.app()) {
      k = new MigrationKey((String) label, k.name());
    }
    seen.put(k, k);
    return k;
  }

  static void exprs(DataOutputStream out, List<Expr> list) throws IOException {
    var(out, list.size());
    for (Expr e : list) {
      expr(out, e);
    }
  }

  static List<Expr> exprs(ByteReader in) throws IOException {
    int n = count(in);
    List<Expr> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(expr(in));
    }
    return List.copyOf(out);
  }

  private static void expr(DataOutputStream out, Expr e) throws IOException {
    ExprTag.write(out, e);
  }

  private static Expr expr(ByteReader in) throws IOException {
    return ExprTag.read(in);
  }

  static void pos(DataOutputStream out, Position p) throws IOException {
    if (p == null) {
      var(out, -1);
    } else {
      var(out, p.line());
      var(out, p.column());
    }
  }

  static Position pos(ByteReader in) throws IOException {
    int line = var(in);
    if (line < 0) {
      return null;
    }
    int column = var(in);
    // The same instance as an equal position decoded lately (by any thread): a project's
    // stored readings and operations hold hundreds of thousands of them, of a few thousand values.
    int slot = (line * 131 + column) & (POSITIONS.length - 1);
    Position p = POSITIONS[slot];
    if (p == null || p.line() != line || p.column() != column) {
      p = new Position(line, column);
      POSITIONS[slot] = p; // (a race loses a slot's position, never a value: records are immutable)
    }
    return p;
  }

  /** Lately decoded positions, by line and column (one per slot). */
  private static final Position[] POSITIONS = new Position[1 << 14];

  /**
   * A nullable string: -1 for null; n >= 0 and n bytes when every char is ASCII (nearly all);
   * else -2 - n and n UTF-16 chars (exact for any Java string, lone surrogates included).
   */
  static void str(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      var(out, -1);
      return;
    }
    int n = s.length();
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (utf8.length == n) { // (any char past ASCII takes more than one byte)
      var(out, n);
      out.write(utf8);
    } else {
      var(out, -2 - n);
      out.writeChars(s);
    }
  }

  static String str(ByteReader in) throws IOException {
    return str(in, null);
  }

  /**
   * {@link #str(ByteReader)}, pooled when short ({@link ByteReader#pooled}): the names and
   * values of operations.
   */
  static String pooledStr(ByteReader in) throws IOException {
    int n = var(in);
    if (n >= 0) {
      if (n > in.available()) {
        throw new IOException("truncated");
      }
      return in.pooled(n);
    }
    return n == -1 ? null : chars(in, -2 - n);
  }

  /** {@link #str(ByteReader)}, and {@code known} itself when equal to it (ASCII only). */
  static String str(ByteReader in, String known) throws IOException {
    int n = var(in);
    if (n == -1) {
      return null;
    }
    if (n >= 0) {
      if (n > in.available()) {
        throw new IOException("truncated");
      }
      return in.latin1(n, known);
    }
    return chars(in, -2 - n);
  }

  /** {@code chars} UTF-16 units. */
  private static String chars(ByteReader in, int chars) throws IOException {
    if ((long) chars * 2 > in.available()) {
      throw new IOException("truncated");
    }
    char[] c = new char[chars];
    for (int i = 0; i < chars; i++) {
      c[i] = in.readChar();
    }
    return new String(c);
  }

  /** A zigzag varint: small numbers (positions, lengths, counts) take one or two bytes. */
  static void var(DataOutputStream out, int v) throws IOException {
    int z = (v << 1) ^ (v >> 31);
    while ((z & ~0x7F) != 0) {
      out.writeByte((z & 0x7F) | 0x80);
      z >>>= 7;
    }
    out.writeByte(z);
  }

  static int var(ByteReader in) throws IOException {
    int z = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift > 28) {
        throw new IOException("bad number");
      }
      int b = in.readUnsignedByte();
      z |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    return (z >>> 1) ^ -(z & 1);
  }

  static int count(ByteReader in) throws IOException {
    int n = var(in);
    if (n < 0 || n > in.available()) {
      throw new IOException("bad count");
    }
    return n;
  }
}
