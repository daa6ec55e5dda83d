package dev.migdiff.analysis;

import dev.migdiff.django.ObjectCache;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code [tool.migdiff]} of a pyproject.toml by its blob id: read once per run for all the
 * revisions that share the file, and kept between runs in the {@link ObjectCache} (the TOML
 * parser's start-up alone costs a tenth of a short run). A file that does not give a configuration
 * keeps its error message, so a stored reading fails exactly as the first did.
 */
final class StoredPyproject {
  private static final String KIND = "pyproject";
  private static final int VERSION = 3; // 2: source-roots, 3: env

  private final ObjectCache store;
  private final Map<String, Object> run = new HashMap<>();

  StoredPyproject(ObjectCache store) {
    this.store = store;
  }

  /** The configuration in {@code text} (the blob {@code blobId}), as {@link PyprojectConfig#parse}. */
  MigdiffConfig parse(String blobId, java.util.function.Supplier<String> text, String source)
      throws ConfigException {
    Object known = run.get(blobId);
    if (known == null && store != ObjectCache.NONE && ObjectCache.isObjectId(blobId)) {
      byte[] stored = store.get(KIND, blobId);
      known = stored == null ? null : decode(stored);
      if (known == null) {
        try {
          known = PyprojectConfig.parse(text.get(), source);
        } catch (ConfigException e) {
          known = e.getMessage();
        }
        store.put(KIND, blobId, encode(known));
      }
      run.put(blobId, known);
    } else if (known == null) {
      try {
        known = PyprojectConfig.parse(text.get(), source);
      } catch (ConfigException e) {
        known = e.getMessage();
      }
      run.put(blobId, known);
    }
    if (known instanceof String message) {
      throw new ConfigException(message);
    }
    return (MigdiffConfig) known;
  }

  static byte[] encode(Object known) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      if (known instanceof String message) {
        out.writeBoolean(false);
        str(out, message);
      } else {
        MigdiffConfig c = (MigdiffConfig) known;
        out.writeBoolean(true);
        for (String s : new String[] {c.projectRoot(), c.settingsModule(), c.authUserModel(),
            c.djangoVersion(), c.manage()}) {
          str(out, s);
        }
        map(out, c.labels());
        map(out, c.migrationModules());
        out.writeInt(c.sourceRoots() == null ? -1 : c.sourceRoots().size());
        for (String root : c.sourceRoots() == null ? java.util.List.<String>of() : c.sourceRoots()) {
          str(out, root);
        }
        map(out, c.environment());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The stored reading, or null when it does not decode. */
  static Object decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != VERSION) {
        return null;
      }
      if (!in.readBoolean()) {
        return str(in);
      }
      String root = str(in);
      String settings = str(in);
      String user = str(in);
      String django = str(in);
      String manage = str(in);
      Map<String, String> labels = map(in);
      Map<String, String> modules = map(in);
      int n = in.readInt();
      if (n > in.available()) {
        return null;
      }
      java.util.List<String> roots = null;
      if (n >= 0) {
        roots = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
          roots.add(str(in));
        }
        roots = java.util.List.copyOf(roots);
      }
      Map<String, String> env = map(in);
      return in.available() == 0 ? new MigdiffConfig(root, settings, labels, modules, user, django,
          manage, roots, env) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void map(DataOutputStream out, Map<String, String> m) throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<String, String> e : m.entrySet()) {
      str(out, e.getKey());
      str(out, e.getValue());
    }
  }

  private static Map<String, String> map(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad count");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(str(in), str(in));
    }
    return m;
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static String str(DataInputStream in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
