package dev.migdiff.django;

import dev.migdiff.python.Module;
import dev.migdiff.python.PythonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Python modules of one revision: resolves dotted names against the source roots (as
 * {@code sys.path} would) and parses files once each.
 */
final class SourceFiles {
  /**
   * Files larger than this are not parsed: the parse tree of a 50 MB generated migration takes
   * gigabytes. Real migration and settings files are far smaller.
   */
  static final int MAX_PARSED_BYTES = 8 * 1024 * 1024;

  /** What {@link #parse} gives for a file over {@link #MAX_PARSED_BYTES} (one shared instance). */
  static final Module TOO_LARGE = new Module(List.of(), List.of(new dev.migdiff.python.SyntaxProblem(
      dev.migdiff.python.Position.START, "the file is larger than 8 MB; migdiff does not parse it")));

  private final SourceTree tree;
  private final List<String> roots;
  private final Map<String, Module> parsed;

  SourceFiles(SourceTree tree, List<String> roots, Map<String, Module> parsedByContentId) {
    this(tree, roots, parsedByContentId, ObjectCache.NONE);
  }

  /** Also keeps the modules it parses in {@code store}, by blob id, for later runs. */
  SourceFiles(SourceTree tree, List<String> roots, Map<String, Module> parsedByContentId,
      ObjectCache store) {
    this.tree = tree;
    this.roots = roots;
    this.parsed = parsedByContentId;
    this.store = store;
  }

  private final ObjectCache store;
  static final String MODULES = "modules";

  SourceTree tree() {
    return tree;
  }

  /** When not null, every path looked up and what it answered (see {@link #lookup}). */
  private Map<String, String> lookups;

  /**
   * Records the answer of every lookup until {@link #stopRecording}: what a reading of modules
   * depends on, so that a tree answering them all alike reads the same (see
   * {@link ProjectLoader}'s settings memo).
   */
  void record() {
    lookups = new java.util.LinkedHashMap<>();
  }

  /** The lookups recorded since {@link #record}, in order; stops recording. */
  Map<String, String> stopRecording() {
    Map<String, String> out = lookups;
    lookups = null;
    return out;
  }

  /** What a lookup of {@code path} answers, as recorded: kind and content id, or null. */
  static String stamp(SourceTree tree, Optional<SourceTree.Entry> e) throws IOException {
    return e.isEmpty() ? null : e.get().kind() + " " + (e.get().kind() == SourceTree.Kind.FILE
        ? tree.contentId(e.get()) : e.get().id());
  }

  private Optional<SourceTree.Entry> lookup(String path) throws IOException {
    Optional<SourceTree.Entry> e = tree.entry(path);
    if (lookups != null) {
      lookups.put(path, stamp(tree, e));
    }
    return e;
  }

  /** The file of a module: {@code a/b.py} or {@code a/b/__init__.py}. */
  Optional<String> moduleFile(String dotted) throws IOException {
    for (String root : roots) {
      String base = SourceTree.join(root, dotted.replace('.', '/'));
      Optional<SourceTree.Entry> pkg = lookup(base + "/__init__.py");
      if (pkg.isPresent() && pkg.get().kind() == SourceTree.Kind.FILE) {
        return Optional.of(base + "/__init__.py");
      }
      Optional<SourceTree.Entry> file = lookup(base + ".py");
      if (file.isPresent() && file.get().kind() == SourceTree.Kind.FILE) {
        return Optional.of(base + ".py");
      }
    }
    return Optional.empty();
  }

  /** The directory of a package (regular or namespace). */
  Optional<String> packageDir(String dotted) throws IOException {
    for (String root : roots) {
      String base = SourceTree.join(root, dotted.replace('.', '/'));
      Optional<SourceTree.Entry> dir = tree.entry(base);
      if (dir.isPresent() && dir.get().kind() == SourceTree.Kind.DIR) {
        return Optional.of(base);
      }
    }
    return Optional.empty();
  }

  /**
   * A symlink or submodule where the package directory of {@code dotted} would be: Django would
   * follow it on a checkout, migdiff reads only this repository's trees.
   */
  Optional<String> linkedPackage(String dotted) throws IOException {
    for (String root : roots) {
      String base = SourceTree.join(root, dotted.replace('.', '/'));
      Optional<SourceTree.Entry> e = tree.entry(base);
      if (e.isPresent() && (e.get().kind() == SourceTree.Kind.SYMLINK
          || e.get().kind() == SourceTree.Kind.SUBMODULE)) {
        return Optional.of(base + " is a " + (e.get().kind() == SourceTree.Kind.SYMLINK
            ? "symlink" : "submodule"));
      }
    }
    return Optional.empty();
  }

  /** Parses the file at {@code path}. */
  Module parse(String path) throws IOException {
    Optional<SourceTree.Entry> e = lookup(path);
    if (e.isEmpty()) {
      throw new IOException("no such file: " + path);
    }
    return parse(e.get());
  }

  private static final String MERGED = "merged:";

  /**
   * Whether an id names content, so what is read from it may be kept by it: a Git object id, or a
   * merged file's "merged:" and a hash of its content (or of its three inputs).
   */
  private static boolean namesContent(String id) {
    return id != null && (ObjectCache.isObjectId(id) || id.startsWith(MERGED)
        && ObjectCache.isObjectId(id.substring(MERGED.length())));
  }

  /** Parses a file entry; cached by content id, so equal blobs parse once. */
  Module parse(SourceTree.Entry file) throws IOException {
    String id = tree.contentId(file);
    Module m = parsed.get(id);
    if (m == null) {
      // (radar reads dozens of merged settings modules: they are kept too)
      String key = namesContent(id) ? ObjectCache.key(ModuleCodec.VERSION + " " + id) : null;
      m = key == null ? null : stored(key);
      if (m == null) {
        byte[] content = tree.read(file);
        m = content.length > MAX_PARSED_BYTES ? TOO_LARGE : PythonParser.parse(content);
        if (key != null && m != TOO_LARGE) {
          Module made = m;
          store.putLater(MODULES, key, () -> ModuleCodec.encode(made));
        }
      }
      parsed.put(id, m);
    }
    return m;
  }

  /** A module kept by an earlier run, or null (absent, or does not decode: parsed again). */
  private Module stored(String key) {
    byte[] bytes = store.get(MODULES, key);
    if (bytes == null) {
      return null;
    }
    try {
      return ModuleCodec.decode(bytes);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Parses a migration file with its {@code operations} left for later; not cached: the caller
   * keeps what it reads from it instead ({@link ParseCache}).
   */
  Module skimMigration(SourceTree.Entry file) throws IOException {
    Module m = known(file);
    if (m == null) {
      m = skim(tree.read(file));
      remember(file, m);
    }
    return m;
  }

  /**
   * {@link #skimMigration} of each of {@code files}, in their order: read on this thread (a
   * tree is read by one thread), skimmed on two or more, a batch at a time. A first run reads
   * and skims every migration file of a project, and one core alone spends most of its time
   * there. {@code progress} hears how many are done after each batch.
   */
  List<Module> skimMigrations(List<SourceTree.Entry> files,
      java.util.function.IntConsumer progress) throws IOException {
    List<Module> out = new java.util.ArrayList<>(files.size());
    for (int from = 0; from < files.size(); from += SKIM_BATCH) {
      List<SourceTree.Entry> batch = files.subList(from, Math.min(files.size(), from + SKIM_BATCH));
      Module[] skimmed = new Module[batch.size()];
      byte[][] bytes = new byte[batch.size()][];
      for (int i = 0; i < batch.size(); i++) {
        skimmed[i] = known(batch.get(i));
        if (skimmed[i] == null) {
          bytes[i] = tree.read(batch.get(i));
        }
      }
      java.util.stream.IntStream.range(0, batch.size()).parallel().forEach(i -> {
        if (skimmed[i] == null) {
          skimmed[i] = skim(bytes[i]);
        }
      });
      for (int i = 0; i < batch.size(); i++) {
        if (bytes[i] != null) {
          remember(batch.get(i), skimmed[i]);
        }
        out.add(skimmed[i]);
      }
      progress.accept(out.size());
    }
    return out;
  }

  private static Module skim(byte[] bytes) {
    return bytes.length > MAX_PARSED_BYTES ? TOO_LARGE : PythonParser.skim(bytes, SKIMMED);
  }

  /** Files read before their batch is skimmed: a few megabytes at most. */
  private static final int SKIM_BATCH = 128;

  private static boolean kept(String id) {
    return keep && namesContent(id);
  }

  private static Module known(SourceTree.Entry file) {
    if (kept(file.id())) {
      synchronized (SKIMS) {
        return SKIMS.get(file.id());
      }
    }
    return null;
  }

  private static void remember(SourceTree.Entry file, Module m) {
    if (kept(file.id())) {
      synchronized (SKIMS) {
        SKIMS.put(file.id(), m);
      }
    }
  }

  /**
   * Skimmed migration files by content id (a blob id, or a merged file's content hash), kept
   * between the runs of this process when {@link #keepBetweenRuns} (the hook's daemon): the
   * files of merged directories are not in the disk cache (their directories have no Git id),
   * and were most of a warm comparison's work there. Bounded.
   */
  private static final int SKIMS_MAX = 8192;
  private static volatile boolean keep;
  private static final Map<String, Module> SKIMS = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Module> eldest) {
      return size() > SKIMS_MAX;
    }
  };

  static void keepBetweenRuns() {
    keep = true;
  }

  /** Parses a whole file without caching it (for operations asked for later). */
  java.util.function.Supplier<Module> fullParse(SourceTree.Entry file) {
    return () -> {
      try {
        return PythonParser.parse(tree.read(file));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  private static final java.util.Set<String> SKIMMED = java.util.Set.of("operations");

  /** The dotted module name of a file under one of the roots, or null. */
  String moduleName(String path) {
    for (String root : roots) {
      String prefix = root.isEmpty() ? "" : root + "/";
      if (path.startsWith(prefix) && path.endsWith(".py")) {
        String rel = path.substring(prefix.length(), path.length() - 3);
        if (rel.endsWith("/__init__")) {
          rel = rel.substring(0, rel.length() - "/__init__".length());
        }
        return rel.replace('/', '.');
      }
    }
    return null;
  }
}
