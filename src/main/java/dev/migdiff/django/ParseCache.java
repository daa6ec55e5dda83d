package dev.migdiff.django;

import dev.migdiff.python.Module;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the revisions of one run share: parsed settings and apps modules by content id, and read
 * migrations by path, content id and the settings they depend on. A migration unchanged between
 * FROM, TO, their merge base and the merged tree is read once, and only the small {@link
 * Migration} is kept, not its syntax tree. Behind it, {@link #store} keeps the readings between
 * runs, by the tree id of each migrations directory ({@link StoredMigrations}).
 */
public final class ParseCache {
  final Map<String, Module> modules = new HashMap<>();
  /**
   * The readings of the run's migration files, by migrations directory: its app label, its path
   * and the settings the readings may consult (by their number in {@link #contexts}). Within
   * one, a file's key and path follow from its name, so a reading is found by the file's name
   * and blob id. Each directory's files are kept as they were read and indexed only when a later
   * revision's directory of the same app differs (a branch that changes one migration of it):
   * the first revision of a run makes no entry per file (a project of 100,000 migrations made
   * and hashed 100,000 keys for lookups that could only miss).
   */
  private final Map<String, DirReadings> readings = new HashMap<>();

  /** A migration file within its directory: its name and blob id. */
  record FileId(String name, String blobId) {}

  private static final class DirReadings {
    /** Directories' files read and not yet in {@link #index}, in the order they were read. */
    final List<List<ProjectLoader.Job>> unindexed = new java.util.ArrayList<>();
    /** The first reading of each file. */
    final Map<FileId, MigrationReader.Result> index = new HashMap<>();
  }

  /** Keeps the readings of a directory's files ({@code dir}: label, path and settings). */
  void remember(String dir, List<ProjectLoader.Job> jobs) {
    readings.computeIfAbsent(dir, d -> new DirReadings()).unindexed.add(jobs);
  }

  /**
   * The readings made earlier in the run of the files of {@code dir}, by {@link FileId}; null
   * when there are none. The first reading of a file is the one kept.
   */
  Map<FileId, MigrationReader.Result> earlier(String dir) {
    DirReadings d = readings.get(dir);
    if (d == null) {
      return null;
    }
    for (List<ProjectLoader.Job> jobs : d.unindexed) {
      for (ProjectLoader.Job j : jobs) {
        if (j.result() != null) {
          d.index.putIfAbsent(new FileId(j.fileName(), j.blobId()), j.result());
        }
      }
    }
    d.unindexed.clear();
    return d.index;
  }

  /**
   * Settings that some migration's reading consulted ({@code settings.X}), by name, in order. A
   * stored migration whose operations are parsed again is read again, possibly on another thread
   * ({@link FieldState#prepare}): hence a concurrent set.
   */
  final Set<String> settingsRead = new java.util.concurrent.ConcurrentSkipListSet<>();
  /**
   * Settings modules' readings, by their stored key (module name and source roots, {@link
   * StoredSettings#key}): this run's, latest first, then those earlier runs kept (fetched on
   * first use); each with the lookups it made and what they answered (see {@link ProjectLoader}).
   */
  final Map<String, List<StoredSettings.Kept>> settings = new HashMap<>();
  /** The keys of {@link #settings} to which this run added a reading. */
  final Set<String> settingsChanged = new java.util.LinkedHashSet<>();

  /** A settings module read statically (null when absent), its lookups and its problems. */
  record SettingsReading(Map<String, String> lookups, ProjectLoader.Settings settings,
      List<Problem> problems) {}

  /** Each distinct text of the settings migrations consulted, numbered in order of first use. */
  final Map<String, String> contexts = new HashMap<>();
  /** Migrations directories (by their stored key) already loaded from or written to the store. */
  final Set<String> storedDirs = new HashSet<>();
  final ObjectCache store;
  /** Operations by blob id, one bundle per migrations directory (by its stored key). */
  final Map<String, StoredMigrations.Bundle> operations = new HashMap<>();
  /**
   * Each migrated app's readings by its migrations directory's tree id, label and path: what
   * another revision of the run has the same, where the settings they consulted are the same.
   */
  final Map<String, AppReading> apps = new HashMap<>();

  /**
   * The findings of an app's listing, the findings and migrations of its files' readings (in
   * load order), and the value of every setting consulted by the end of their reading
   * (AUTH_USER_MODEL always).
   */
  record AppReading(java.util.List<Problem> listing, java.util.List<Problem> problems,
      java.util.List<Migration> migrations, Map<String, String> settings) {}

  /** Told of each file read (not of readings that come from {@link #store}). */
  Progress progress = Progress.NONE;

  /** Reports the files this run reads to {@code p}. */
  public ParseCache withProgress(Progress p) {
    this.progress = p;
    return this;
  }

  public Progress progress() {
    return progress;
  }

  /**
   * Keeps the operations decoded from the store in memory for the later runs of this process:
   * for a resident process (the hook's daemon), where they are a quarter of a warm run's work.
   */
  public static void keepBetweenRuns() {
    StoredMigrations.keepBetweenRuns();
    SourceFiles.keepBetweenRuns();
  }

  /** A cache for one run that keeps nothing between runs. */
  public ParseCache() {
    this(ObjectCache.NONE);
  }

  /** A cache for one run over {@code store}, which keeps readings between runs. */
  public ParseCache(ObjectCache store) {
    this.store = store;
    // weakly: a sweep drops its caches every few hundred cases, and what they gathered with them
    java.lang.ref.WeakReference<ParseCache> self = new java.lang.ref.WeakReference<>(this);
    store.atEnd(() -> {
      ParseCache c = self.get();
      if (c != null) {
        c.operations.forEach((key, b) -> b.save(store, key));
        c.settingsChanged.forEach(key -> StoredSettings.save(store, key, c.settings.get(key)));
      }
    });
  }
}
