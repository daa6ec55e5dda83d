package dev.migdiff.django;

import dev.migdiff.python.Expr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The readings of migration files kept between runs ({@link ParseCache#store}): one entry per
 * migrations directory, keyed by its Git tree id with the app label, its path and the settings
 * the readings consulted (a tree id names the exact files, so an entry can never be stale), and
 * each migration's operations on their own, keyed by its blob id, stored when first parsed. A
 * merged tree's directory, which has no tree id, is keyed by its entries' ids instead
 * ({@link #listingId}); one holding a file merged line by line is read every time.
 */
final class StoredMigrations {
  static final String DIRS = "migrations";
  static final String OPERATIONS = "operations";

  private final ParseCache cache;
  private final SourceFiles files;
  private final MigrationReader reader;
  private final Function<String, PyValue> settings;

  StoredMigrations(ParseCache cache, SourceFiles files, MigrationReader reader,
      Function<String, PyValue> settings) {
    this.cache = cache;
    this.files = files;
    this.reader = reader;
    this.settings = settings;
  }

  /**
   * The key of a migrations directory's entry, or null when it cannot be stored: {@code dirId}
   * is its Git tree id, else (a merged tree's directory) the {@link #listingId} of its entries.
   */
  String key(String dirId, String label, String migrationsPath, String context) {
    if (cache.store == ObjectCache.NONE
        || !ObjectCache.isObjectId(dirId) && !dirId.startsWith(LISTING)) {
      return null;
    }
    return ObjectCache.key(MigrationCodec.VERSION + "\0" + dirId + "\0" + label + "\0"
        + migrationsPath + "\0" + context);
  }

  private static final String LISTING = "listing:";
  private static final String MERGED = "merged:";

  /**
   * An id for directory {@code dir} of {@code tree} when it is no Git tree (a merged tree's),
   * naming what a tree id names of it: every entry's name, kind and content id (not a file's
   * mode, which no reading depends on), a directory merged in turn by its own listing id. A file
   * merged line by line has an id that names its merge's three inputs, or its merged content
   * ({@code merged:} and a hash): a merge of the same inputs is the same text. Null when an
   * entry has any other id, or directories nest deeper than git's own limit: such a directory is
   * read every time.
   */
  static String listingId(SourceTree tree, String dir) throws IOException {
    return listingId(tree, dir, 0);
  }

  private static String listingId(SourceTree tree, String dir, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (SourceTree.Entry e : tree.list(dir)) {
      String id = e.id();
      boolean merged = e.kind() == SourceTree.Kind.FILE && id.startsWith(MERGED)
          && ObjectCache.isObjectId(id.substring(MERGED.length()));
      if (e.kind() == SourceTree.Kind.DIR && !ObjectCache.isObjectId(id)) {
        id = listingId(tree, SourceTree.join(dir, e.name()), depth + 1);
      } else if (!merged && !ObjectCache.isObjectId(id)) {
        id = null;
      }
      if (id == null || e.name().indexOf('\0') >= 0 || e.name().indexOf('\n') >= 0) {
        return null;
      }
      b.append(e.kind().ordinal()).append(' ').append(e.name()).append('\0').append(id)
          .append('\n');
    }
    return LISTING + ObjectCache.key(b.toString());
  }

  /** Directories nested deeper than this are not keyed (git itself refuses 4096). */
  private static final int MAX_DEPTH = 64;

  /**
   * The stored readings of one directory, decoded; null when there are none or they cannot be
   * decoded. Equal values are the instances of {@code jobs}, the directory's files as listed now
   * (whether they are the same files is {@link #use}'s to say). Reads only the store: safe on
   * any thread (see {@link ProjectLoader}).
   */
  MigrationCodec.Decoded fetch(String key, List<ProjectLoader.Job> jobs) {
    byte[] bytes = cache.store.get(DIRS, key);
    if (bytes == null) {
      return null;
    }
    try {
      return MigrationCodec.decodeResults(bytes, (k, p, b) -> operations(key, k, p, b), jobs);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Gives each job without a reading yet its fetched one; false when they do not match these
   * files and settings (then the files are read). On the loading thread.
   */
  boolean use(String key, MigrationCodec.Decoded d, List<ProjectLoader.Job> jobs) {
    for (int i = 0; i < d.settingNames().size(); i++) {
      if (!String.valueOf(settings.apply(d.settingNames().get(i))).equals(d.settingValues().get(i))) {
        return false;
      }
    }
    if (d.files().size() != jobs.size()) {
      return false;
    }
    for (int i = 0; i < jobs.size(); i++) {
      MigrationCodec.Stored s = d.files().get(i);
      ProjectLoader.Job j = jobs.get(i);
      if (!s.fileName().equals(j.entry().name()) || !s.blobId().equals(j.entry().id())) {
        return false;
      }
    }
    cache.settingsRead.addAll(d.settingNames());
    for (int i = 0; i < jobs.size(); i++) {
      // (a reading the run already made of the same file stays the job's)
      ProjectLoader.Job j = jobs.get(i);
      if (j.result() == null) {
        j.found(d.files().get(i).result());
      }
    }
    cache.storedDirs.add(key);
    return true;
  }

  /** Stores the readings of one directory, just read. */
  void save(String key, List<ProjectLoader.Job> jobs) {
    if (!cache.storedDirs.add(key)) {
      return;
    }
    List<String> names = new ArrayList<>(cache.settingsRead);
    List<String> values = names.stream().map(n -> String.valueOf(settings.apply(n))).toList();
    List<MigrationCodec.Stored> stored = new ArrayList<>();
    for (ProjectLoader.Job j : jobs) {
      stored.add(new MigrationCodec.Stored(j.entry().name(), j.entry().id(), j.result()));
    }
    cache.store.putLater(DIRS, key,
        () -> MigrationCodec.encodeResults(names, values, stored, jobs));
  }

  /**
   * {@code r} with its operations kept in the bundle of directory {@code dirKey} when first parsed
   * (null: not stored).
   */
  MigrationReader.Result storingOperations(MigrationReader.Result r, String dirKey) {
    Migration m = r.migration();
    if (m == null || dirKey == null || !ObjectCache.isObjectId(m.blobId())) {
      return r;
    }
    Supplier<List<Expr>> parse = m.operationsSource();
    Supplier<List<Expr>> ops = new BundledOperations(dirKey, m.blobId()) {
      @Override
      List<Expr> compute() {
        Bundle b = bundle(dirKey);
        List<Expr> known = b.get(m.blobId());
        if (known != null) {
          return known;
        }
        List<Expr> parsed = parse.get();
        keep(b, m.blobId(), parsed);
        return parsed;
      }
    };
    return new MigrationReader.Result(new Migration(m.key(), m.path(), m.blobId(), m.classPos(),
        m.dependencies(), m.runBefore(), m.replaces(), m.initial(), m.atomic(), ops), r.problems());
  }

  /** The operations of a stored migration: from its directory's bundle, else parsed from the blob. */
  private Supplier<List<Expr>> operations(String dirKey, MigrationKey key, String path,
      String blobId) {
    return new FromStore(dirKey, blobId, key, path);
  }

  /** A decoded migration's operations: {@link BundledOperations} that knows its file. */
  private final class FromStore extends BundledOperations {
    private final MigrationKey key;
    private final String path;

    FromStore(String dirKey, String blobId, MigrationKey key, String path) {
      super(dirKey, blobId);
      this.key = key;
      this.path = path;
    }

    @Override
    List<Expr> compute() {
      Bundle b = bundle(dirKey);
      List<Expr> known = b.get(blobId);
      if (known != null) {
        return known;
      }
      SourceTree.Entry e = new SourceTree.Entry(path.substring(path.lastIndexOf('/') + 1),
          SourceTree.Kind.FILE, blobId);
      Migration m;
      try {
        m = reader.read(key, path, blobId, files.skimMigration(e), files.fullParse(e)).migration();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
      List<Expr> parsed = m == null ? List.of() : m.operations();
      keep(b, blobId, parsed);
      return parsed;
    }
  }

  /**
   * Adds operations just parsed to their bundle, and encodes them on the store's thread while the
   * run goes on (the bundle is written at the end, in one piece).
   */
  private void keep(Bundle b, String blobId, List<Expr> parsed) {
    b.put(blobId, parsed);
    cache.store.meanwhile(() -> b.encodeAhead(blobId, parsed));
  }

  /**
   * A stored migration's operations, parsed or decoded on first use ({@link #compute}, once), and
   * the models they touch from its directory's bundle without either. One object per migration,
   * not a chain of a lazy value and the closure behind it: a project keeps one per migration.
   */
  private abstract class BundledOperations implements OperationSource.Indexed {
    final String dirKey;
    final String blobId;
    private List<Expr> ops;
    private boolean done;

    BundledOperations(String dirKey, String blobId) {
      this.dirKey = dirKey;
      this.blobId = blobId;
    }

    /** Reads the operations (on the first {@link #get}). */
    abstract List<Expr> compute();

    @Override
    public synchronized List<Expr> get() {
      if (!done) {
        ops = compute();
        done = true;
      }
      return ops;
    }

    /** The operations when already read, else null (reads nothing). */
    private synchronized List<Expr> peek() {
      return done ? ops : null;
    }

    @Override
    public List<String> effectModels() {
      return bundle(dirKey).models(blobId);
    }

    @Override
    public List<Expr> once() {
      List<Expr> known = peek();
      if (known == null) {
        known = bundle(dirKey).decodeOnce(blobId);
      }
      return known != null ? known : get();
    }
  }

  /** The operations bundle of a directory: read from the store on first use. */
  private Bundle bundle(String dirKey) {
    synchronized (cache.operations) {
      return cache.operations.computeIfAbsent(dirKey, k -> resident(k, cache.store));
    }
  }

  /**
   * Bundles decoded by earlier runs of this process, by directory key (content-addressed, so
   * sharing them is never wrong; a bundle saves itself through the store of the run that changed
   * it). Off unless {@link #keepBetweenRuns} (the hook's resident process); bounded.
   */
  private static final int RESIDENT_MAX = 1024;
  private static volatile boolean keep;
  private static final java.util.Map<String, Bundle> RESIDENT =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Bundle> eldest) {
          return size() > RESIDENT_MAX;
        }
      };

  /** Keeps decoded operations in memory between runs of this process (the daemon). */
  static void keepBetweenRuns() {
    keep = true;
  }

  private static Bundle resident(String key, ObjectCache store) {
    if (!keep) {
      return Bundle.read(store, key);
    }
    synchronized (RESIDENT) {
      Bundle b = RESIDENT.get(key);
      if (b == null) {
        b = Bundle.read(store, key);
        RESIDENT.put(key, b);
      }
      return b;
    }
  }

  /**
   * The parsed operations of one migrations directory's files, by blob id: stored as one entry at
   * the end of the run when something was added (one file per app, not one per migration). Each
   * migration's operations stay encoded until asked for: the checks read the operations of the
   * migrations a switch unapplies and of their apps' ancestors, seldom of a whole directory.
   */
  static final class Bundle {
    /** As read from the store, still encoded. */
    private final java.util.Map<String, MigrationCodec.StoredOps> stored;
    private final java.util.Map<String, List<Expr>> decoded = new java.util.HashMap<>();
    /** Parsed by this process, not in {@link #stored}. */
    private final java.util.Map<String, List<Expr>> added = new java.util.LinkedHashMap<>();
    /** Entries of {@link #added} already encoded (on the store's thread). */
    private final java.util.Map<String, MigrationCodec.StoredOps> encoded =
        new java.util.concurrent.ConcurrentHashMap<>();
    private boolean changed;

    private Bundle(java.util.Map<String, MigrationCodec.StoredOps> stored) {
      this.stored = stored;
    }

    static Bundle read(ObjectCache store, String key) {
      byte[] bytes = store.get(OPERATIONS, key);
      if (bytes != null) {
        try {
          return new Bundle(MigrationCodec.decodeBundle(bytes));
        } catch (IOException | RuntimeException e) {
          // parsed again, and stored again
        }
      }
      return new Bundle(new java.util.LinkedHashMap<>());
    }

    List<Expr> get(String blobId) {
      return read(blobId, true);
    }

    /**
     * The operations of {@code blobId} decoded for one use, not kept (when not decoded before);
     * null when not stored or not decodable (then {@link #get} reads, and reports, them).
     */
    List<Expr> decodeOnce(String blobId) {
      return read(blobId, false);
    }

    /**
     * The decoded operations of {@code blobId}, kept for later when {@code keep}; null when not
     * stored, or when the stored entry cannot be decoded (it is then dropped: parsed again, and
     * stored again). Decoded outside the bundle's lock: the migrations of one directory are
     * decoded on every core at once ({@link FieldState#prepare}).
     */
    private List<Expr> read(String blobId, boolean keep) {
      MigrationCodec.StoredOps raw;
      synchronized (this) {
        List<Expr> known = decoded.get(blobId);
        if (known != null) {
          return known;
        }
        raw = stored.get(blobId);
      }
      if (raw == null) {
        return null;
      }
      List<Expr> known;
      try {
        known = MigrationCodec.decodeOperations(raw.ops());
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          stored.remove(blobId, raw);
        }
        return null;
      }
      if (keep) {
        synchronized (this) {
          List<Expr> first = decoded.putIfAbsent(blobId, known);
          return first != null ? first : known;
        }
      }
      return known;
    }

    /**
     * The models whose fields the operations of {@code blobId} touch, from the store without
     * decoding them; null when not stored.
     */
    synchronized List<String> models(String blobId) {
      MigrationCodec.StoredOps raw = stored.get(blobId);
      return raw == null ? null : raw.models();
    }

    synchronized void put(String blobId, List<Expr> parsed) {
      decoded.put(blobId, parsed);
      added.put(blobId, parsed);
      changed = true;
    }

    synchronized void save(ObjectCache store, String key) {
      if (changed) {
        changed = false;
        java.util.Map<String, MigrationCodec.StoredOps> raw = new java.util.LinkedHashMap<>(stored);
        java.util.Map<String, List<Expr>> fresh = new java.util.LinkedHashMap<>(added);
        store.putLater(OPERATIONS, key, () -> {
          encoded.forEach((id, done) -> {
            if (fresh.remove(id) != null) {
              raw.put(id, done);
            }
          });
          return MigrationCodec.encodeBundle(raw, fresh);
        });
      }
    }

    /** Encodes {@code parsed}, the operations of {@code blobId}, before the bundle is saved. */
    void encodeAhead(String blobId, List<Expr> parsed) {
      encoded.computeIfAbsent(blobId, id -> MigrationCodec.storedOps(parsed));
    }
  }
}
