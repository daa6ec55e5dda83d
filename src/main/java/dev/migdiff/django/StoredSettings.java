package dev.migdiff.django;

import dev.migdiff.python.Position;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings modules' readings kept between runs: for a settings module and source roots, the
 * latest readings, each with every lookup it made (a path and what the tree had there: a blob
 * id, a tree id or nothing) and what the module evaluated to. A reading is a function of the
 * files its lookups found, so a revision whose tree answers every lookup alike has that reading
 * (as within a run, {@link ProjectLoader}); a warm run then neither decodes the settings'
 * modules nor evaluates them (saleor: 44 modules, 35-45 ms of a 0.35 s run).
 */
final class StoredSettings {
  private StoredSettings() {}

  static final String SETTINGS = "settings";
  /** Part of every key: a change to the encoding or to the evaluation changes it. */
  static final int VERSION = 3;
  /** Readings kept per settings module and roots (branches of one project, mostly). */
  static final int MAX_READINGS = 16;
  /** Values nested deeper than this are not stored (the parser's own bound is lower). */
  private static final int MAX_DEPTH = 200;

  private static final int MAGIC = 0x53455431; // "SET1"
  private static final int STR = 0;
  private static final int SEQ = 1;
  private static final int DICT = 2;
  private static final int BOOL = 3;
  private static final int NUM = 4;
  private static final int NONE = 5;
  private static final int SWAPPABLE = 6;
  private static final int OPAQUE = 7;

  /**
   * The store's key for the readings of {@code module} under {@code roots} with the environment
   * variables {@code environment} set.
   */
  static String key(String module, List<String> roots, Map<String, String> environment) {
    StringBuilder k = new StringBuilder("settings ").append(VERSION).append('\0').append(module)
        .append('\0').append(String.join("\0", roots));
    // (sorted: the same variables given in another order are the same reading)
    new java.util.TreeMap<>(environment).forEach((name, value) ->
        k.append("\0env\0").append(name).append('\0').append(value));
    return ObjectCache.key(k.toString());
  }

  /**
   * A kept reading: its lookups, and what it evaluated to, decoded only when a tree answers
   * every lookup alike (a project's entry holds the readings of several branches, and one
   * reading of saleor's settings is some 90 KB of values).
   */
  static final class Kept {
    private final Map<String, String> lookups;
    private byte[] body;
    private ParseCache.SettingsReading reading;

    private Kept(Map<String, String> lookups, byte[] body) {
      this.lookups = lookups;
      this.body = body;
    }

    /** A reading made in this run. */
    Kept(ParseCache.SettingsReading reading) {
      this.lookups = reading.lookups();
      this.reading = reading;
    }

    Map<String, String> lookups() {
      return lookups;
    }

    /** The reading; null when its stored bytes do not decode (then it is read again). */
    synchronized ParseCache.SettingsReading reading() {
      if (reading == null && body != null) {
        try {
          reading = body(new ByteReader(body), lookups);
        } catch (IOException | RuntimeException e) {
          body = null;
        }
      }
      return reading;
    }

    /** What it evaluated to, as bytes; null when it cannot be stored (nested too deep). */
    private synchronized byte[] encoded() {
      if (body == null && reading != null) {
        try {
          body = MigrationCodec.write(out -> body(out, reading));
        } catch (java.io.UncheckedIOException e) {
          return null;
        }
      }
      return body;
    }
  }

  /** The readings kept under {@code key}, latest first; empty when none or unreadable. */
  static List<Kept> fetch(ObjectCache store, String key) {
    byte[] bytes = store.get(SETTINGS, key);
    if (bytes == null) {
      return List.of();
    }
    try {
      return decode(bytes);
    } catch (IOException | RuntimeException e) {
      return List.of(); // (read again, and stored whole)
    }
  }

  /** Keeps {@code readings} (latest first, at most {@link #MAX_READINGS}) under {@code key}. */
  static void save(ObjectCache store, String key, List<Kept> readings) {
    // (encoded where the store writes; a reading kept is written as it was read, not decoded)
    List<Kept> kept = List.copyOf(readings.subList(0, Math.min(readings.size(), MAX_READINGS)));
    store.putLater(SETTINGS, key, () -> encode(kept));
  }

  /** The readings as bytes (those that cannot be stored left out). */
  static byte[] encode(List<Kept> readings) {
    List<Kept> storable = new ArrayList<>();
    for (Kept k : readings) {
      if (k.encoded() != null) {
        storable.add(k);
      }
    }
    return MigrationCodec.write(out -> {
      out.writeInt(MAGIC);
      MigrationCodec.var(out, storable.size());
      for (Kept k : storable) {
        MigrationCodec.var(out, k.lookups.size());
        for (Map.Entry<String, String> e : k.lookups.entrySet()) {
          MigrationCodec.str(out, e.getKey());
          MigrationCodec.str(out, e.getValue());
        }
        byte[] body = k.encoded();
        MigrationCodec.var(out, body.length);
        out.write(body);
      }
    });
  }

  static List<Kept> decode(byte[] bytes) throws IOException {
    ByteReader in = new ByteReader(bytes);
    if (bytes.length < 4 || in.readInt() != MAGIC) {
      throw new IOException("not stored settings");
    }
    int n = MigrationCodec.count(in);
    List<Kept> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int lookups = MigrationCodec.count(in);
      Map<String, String> found = new LinkedHashMap<>();
      for (int j = 0; j < lookups; j++) {
        found.put(MigrationCodec.str(in), MigrationCodec.str(in));
      }
      int length = MigrationCodec.count(in);
      if (length > in.available()) {
        throw new IOException("truncated");
      }
      out.add(new Kept(found, in.bytes(length)));
    }
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return out;
  }

  private static void body(DataOutputStream out, ParseCache.SettingsReading r)
      throws IOException {
    out.writeBoolean(r.settings() != null);
    if (r.settings() != null) {
      scope(out, r.settings().scope());
    }
    MigrationCodec.var(out, r.problems().size());
    for (Problem p : r.problems()) {
      out.writeByte(p.severity().ordinal());
      MigrationCodec.str(out, p.code());
      MigrationCodec.str(out, p.file());
      MigrationCodec.pos(out, p.pos());
      MigrationCodec.str(out, p.message());
      MigrationCodec.str(out, p.hint());
    }
  }

  private static ParseCache.SettingsReading body(ByteReader in, Map<String, String> lookups)
      throws IOException {
    ProjectLoader.Settings settings = in.readBoolean()
        ? ProjectLoader.Settings.of(scope(in), null, null) : null;
    int np = MigrationCodec.count(in);
    List<Problem> problems = new ArrayList<>(np);
    for (int j = 0; j < np; j++) {
      int sev = in.readByte();
      if (sev < 0 || sev >= Problem.Severity.values().length) {
        throw new IOException("bad severity");
      }
      problems.add(new Problem(Problem.Severity.values()[sev], MigrationCodec.str(in),
          MigrationCodec.str(in), MigrationCodec.pos(in), MigrationCodec.str(in),
          MigrationCodec.str(in)));
    }
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return new ParseCache.SettingsReading(lookups, settings, List.copyOf(problems));
  }

  private static void scope(DataOutputStream out, ModuleScope s) throws IOException {
    MigrationCodec.str(out, s.path);
    // each value behind its length: a run decodes only the few it asks for
    MigrationCodec.var(out, s.values.size());
    for (Map.Entry<String, PyValue> e : s.values.entrySet()) {
      MigrationCodec.str(out, e.getKey());
      PyValue v = e.getValue();
      byte[] b = MigrationCodec.write(o -> value(o, v, 0));
      MigrationCodec.var(out, b.length);
      out.write(b);
    }
    MigrationCodec.var(out, s.failures.size());
    for (Map.Entry<String, NotStaticException> e : s.failures.entrySet()) {
      MigrationCodec.str(out, e.getKey());
      MigrationCodec.pos(out, e.getValue().pos());
      MigrationCodec.str(out, e.getValue().getMessage());
    }
    positions(out, s.conditional);
    positions(out, s.assignedAt);
    MigrationCodec.var(out, s.partial.size());
    for (Map.Entry<String, ModuleScope.Partial> e : s.partial.entrySet()) {
      MigrationCodec.str(out, e.getKey());
      items(out, e.getValue().items(), 0);
      MigrationCodec.var(out, e.getValue().unknown().size());
      for (ModuleScope.Unknown u : e.getValue().unknown()) {
        MigrationCodec.pos(out, u.pos());
        MigrationCodec.str(out, u.text());
      }
    }
  }

  private static ModuleScope scope(ByteReader in) throws IOException {
    String path = MigrationCodec.str(in);
    int n = MigrationCodec.count(in);
    Map<String, byte[]> raw = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      String name = MigrationCodec.str(in);
      int length = MigrationCodec.count(in);
      if (length > in.available()) {
        throw new IOException("truncated");
      }
      raw.put(name, in.bytes(length));
    }
    ModuleScope s = ModuleScope.stored(path, new Values(raw));
    n = MigrationCodec.count(in);
    for (int i = 0; i < n; i++) {
      String name = MigrationCodec.str(in);
      Position pos = MigrationCodec.pos(in);
      s.failures.put(name, new NotStaticException(pos, MigrationCodec.str(in)));
    }
    positions(in, s.conditional);
    positions(in, s.assignedAt);
    n = MigrationCodec.count(in);
    for (int i = 0; i < n; i++) {
      String name = MigrationCodec.str(in);
      List<PyValue.Item> items = items(in, 0);
      int u = MigrationCodec.count(in);
      List<ModuleScope.Unknown> unknown = new ArrayList<>(u);
      for (int j = 0; j < u; j++) {
        unknown.add(new ModuleScope.Unknown(MigrationCodec.pos(in), MigrationCodec.str(in)));
      }
      s.partial.put(name, new ModuleScope.Partial(items, List.copyOf(unknown)));
    }
    return s;
  }

  /**
   * A stored scope's values, each decoded when first asked for (by any thread). The entry's
   * bytes are what was written (the store checks their length and CRC), so a value that does not
   * decode is a defect of this class, reported as one.
   */
  private static final class Values implements java.util.function.Function<String, PyValue> {
    private final Map<String, byte[]> raw;
    private final Map<String, PyValue> decoded = new java.util.concurrent.ConcurrentHashMap<>();

    Values(Map<String, byte[]> raw) {
      this.raw = raw;
    }

    @Override
    public PyValue apply(String name) {
      PyValue v = decoded.get(name);
      if (v != null) {
        return v;
      }
      byte[] b = raw.get(name);
      if (b == null) {
        return null;
      }
      try {
        ByteReader in = new ByteReader(b);
        v = value(in, 0);
        if (in.available() != 0) {
          throw new IOException("trailing bytes");
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("stored setting " + name + " does not decode", e);
      }
      PyValue first = decoded.putIfAbsent(name, v);
      return first != null ? first : v;
    }
  }

  private static void positions(DataOutputStream out, Map<String, Position> m)
      throws IOException {
    MigrationCodec.var(out, m.size());
    for (Map.Entry<String, Position> e : m.entrySet()) {
      MigrationCodec.str(out, e.getKey());
      MigrationCodec.pos(out, e.getValue());
    }
  }

  private static void positions(ByteReader in, Map<String, Position> m) throws IOException {
    int n = MigrationCodec.count(in);
    for (int i = 0; i < n; i++) {
      m.put(MigrationCodec.str(in), MigrationCodec.pos(in));
    }
  }

  private static void items(DataOutputStream out, List<PyValue.Item> items, int depth)
      throws IOException {
    MigrationCodec.var(out, items.size());
    for (PyValue.Item item : items) {
      value(out, item.value(), depth + 1);
      MigrationCodec.pos(out, item.pos());
    }
  }

  private static List<PyValue.Item> items(ByteReader in, int depth) throws IOException {
    int n = MigrationCodec.count(in);
    List<PyValue.Item> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new PyValue.Item(value(in, depth + 1), MigrationCodec.pos(in)));
    }
    return List.copyOf(out);
  }

  private static void value(DataOutputStream out, PyValue v, int depth) throws IOException {
    if (depth > MAX_DEPTH || v == null) {
      throw new IOException(v == null ? "no value" : "nested too deep");
    }
    if (v instanceof PyValue.Str s) {
      out.writeByte(STR);
      MigrationCodec.str(out, s.value());
    } else if (v instanceof PyValue.Seq s) {
      out.writeByte(SEQ);
      out.writeBoolean(s.tuple());
      items(out, s.items(), depth);
    } else if (v instanceof PyValue.Dict d) {
      out.writeByte(DICT);
      MigrationCodec.var(out, d.entries().size());
      for (Map.Entry<PyValue, PyValue> e : d.entries().entrySet()) {
        value(out, e.getKey(), depth + 1);
        value(out, e.getValue(), depth + 1);
      }
    } else if (v instanceof PyValue.Bool b) {
      out.writeByte(BOOL);
      out.writeBoolean(b.value());
    } else if (v instanceof PyValue.Num num) {
      out.writeByte(NUM);
      MigrationCodec.str(out, num.text());
    } else if (v == PyValue.None.NONE) {
      out.writeByte(NONE);
    } else if (v instanceof PyValue.Swappable s) {
      out.writeByte(SWAPPABLE);
      MigrationCodec.str(out, s.setting());
      MigrationCodec.str(out, s.value());
    } else if (v instanceof PyValue.Opaque o) {
      out.writeByte(OPAQUE);
      MigrationCodec.str(out, o.dotted());
    } else {
      throw new IOException("a value of an unknown kind");
    }
  }

  private static PyValue value(ByteReader in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("nested too deep");
    }
    int tag = in.readByte();
    switch (tag) {
      case STR:
        return new PyValue.Str(MigrationCodec.str(in));
      case SEQ: {
        boolean tuple = in.readBoolean();
        return new PyValue.Seq(items(in, depth), tuple);
      }
      case DICT: {
        int n = MigrationCodec.count(in);
        Map<PyValue, PyValue> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          entries.put(value(in, depth + 1), value(in, depth + 1));
        }
        return new PyValue.Dict(entries);
      }
      case BOOL:
        return new PyValue.Bool(in.readBoolean());
      case NUM:
        return new PyValue.Num(MigrationCodec.str(in));
      case NONE:
        return PyValue.None.NONE;
      case SWAPPABLE:
        return new PyValue.Swappable(MigrationCodec.str(in), MigrationCodec.str(in));
      case OPAQUE:
        return new PyValue.Opaque(MigrationCodec.str(in));
      default:
        throw new IOException("bad value tag " + tag);
    }
  }
}
