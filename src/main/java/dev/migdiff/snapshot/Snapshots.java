package dev.migdiff.snapshot;

import dev.migdiff.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Saves, lists, restores and drops copies of the local database: the one place in migdiff that
 * writes to a database. A restore first saves the current state as the snapshot {@code undo},
 * checks the snapshot, and never leaves the original half-written (see {@link SqliteCopies},
 * {@link PostgresSnapshots}).
 */
public final class Snapshots {
  /** The name of the automatic snapshot a restore takes first. */
  public static final String UNDO = "undo";
  private static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

  /** Where a snapshot comes from: the branch (may be empty) and commit HEAD is on. */
  public record Origin(String branch, String commit) {}

  /** A restore: what was restored, and the undo snapshot taken first (null: no database yet). */
  public record Restored(SnapshotRecord snapshot, SnapshotRecord undo) {}

  final SnapshotStore store;
  final Duration timeout;
  final Clock clock;

  public Snapshots(SnapshotStore store, Duration timeout, Clock clock) {
    this.store = store;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** A database's identity: a SQLite file's absolute path, PostgreSQL's host:port/name. */
  public static String source(DatabaseUrl url) {
    return url.engine() == DatabaseUrl.Engine.SQLITE
        ? url.path().toAbsolutePath().normalize().toString()
        : url.host().toLowerCase(Locale.ROOT) + ":" + url.port() + "/" + url.name();
  }

  /** Whether the database lives on this machine. */
  public static boolean isLocal(DatabaseUrl url) {
    return url.engine() == DatabaseUrl.Engine.SQLITE
        || LOCAL.contains(url.host().toLowerCase(Locale.ROOT));
  }

  public List<SnapshotRecord> list() throws SnapshotException {
    return store.list();
  }

  /**
   * Saves {@code url} as {@code name} (null: {@code BRANCH@COMMIT}, made unique). An existing
   * name is replaced only with {@code replace}.
   */
  public SnapshotRecord save(DatabaseUrl url, String name, Origin origin, String kind,
      boolean replace, boolean terminate) throws SnapshotException {
    if (name != null) {
      SnapshotName.check(name);
      if (name.equals(UNDO) && !kind.equals("undo")) {
        throw new SnapshotException("'undo' is the snapshot a restore takes first",
            "choose another name");
      }
    }
    return store.locked(() -> saveLocked(url, name, origin, kind, replace, terminate));
  }

  SnapshotRecord saveLocked(DatabaseUrl url, String wanted, Origin origin, String kind,
      boolean replace, boolean terminate) throws SnapshotException, IOException {
    store.removeAbandoned();
    List<SnapshotRecord> all = store.list();
    String name = wanted != null ? wanted : unique(all, origin);
    Optional<SnapshotRecord> old = all.stream().filter(r -> r.name().equals(name)).findFirst();
    if (old.isPresent() && !replace) {
      throw new SnapshotException("a snapshot called '" + name + "' exists (taken "
          + old.get().taken() + ")", "pass --force to replace it, or choose another name");
    }
    SnapshotRecord r = url.engine() == DatabaseUrl.Engine.SQLITE
        ? saveSqlite(url, name, origin, kind) : new PostgresSnapshots(this, url).save(name, origin,
            kind, terminate);
    store.write(r);
    if (old.isPresent() && !old.get().storage().equals(r.storage())) {
      dropStorage(old.get(), url);
    }
    return r;
  }

  private static String unique(List<SnapshotRecord> all, Origin origin) {
    String base = SnapshotName.fromBranch(origin.branch())
        + (origin.commit() != null && origin.commit().length() >= 6
            ? "@" + origin.commit().substring(0, 6) : "");
    String name = base;
    for (int i = 2; ; i++) {
      String n = name;
      if (all.stream().noneMatch(r -> r.name().equals(n))) {
        return name;
      }
      name = base + "." + i;
    }
  }

  private SnapshotRecord saveSqlite(DatabaseUrl url, String name, Origin origin, String kind)
      throws SnapshotException, IOException {
    store.create();
    Path tmp = store.file("." + name + ".sqlite3.tmp");
    Path target = store.file(name + ".sqlite3");
    store.delete(tmp);
    try {
      SqliteCopies.backup(url.path(), tmp, timeout);
      List<String> applied = SqliteCopies.applied(tmp, timeout);
      String sha = SqliteCopies.sha256(tmp);
      long size = Files.size(tmp);
      store.move(tmp, target);
      return new SnapshotRecord(name, "sqlite", source(url), url.toString(), origin.branch(),
          origin.commit(), clock.instant(), size, sha, target.getFileName().toString(), "backup",
          kind, applied);
    } catch (IOException e) {
      store.delete(tmp);
      throw new SnapshotException("cannot save the snapshot '" + name + "': " + e.getMessage(),
          "free some disk space, or drop old snapshots (migdiff snapshot drop NAME)", e);
    } catch (SnapshotException e) {
      store.delete(tmp);
      throw e;
    }
  }

  /** The snapshot called {@code name}, else the newest one of branch {@code name}. */
  public SnapshotRecord find(String name) throws SnapshotException {
    return store.find(name).orElseThrow(() -> new SnapshotException("no snapshot called '"
        + name + "'", "list them with 'migdiff snapshot list'"));
  }

  /**
   * Restores a snapshot over {@code url}: refuses one taken from another database (unless
   * {@code force}) and a PostgreSQL server away from this machine (unless {@code allowRemote});
   * saves the current state as {@code undo} first.
   */
  public Restored restore(DatabaseUrl url, String name, Origin origin, boolean force,
      boolean allowRemote, boolean terminate) throws SnapshotException {
    SnapshotRecord r = find(name);
    String engine = url.engine() == DatabaseUrl.Engine.SQLITE ? "sqlite" : "postgresql";
    if (!r.engine().equals(engine)) {
      throw new SnapshotException("the snapshot '" + r.name() + "' is a " + r.engine()
          + " database; " + url + " is not", "restore it into a " + r.engine() + " database");
    }
    if (!r.source().equals(source(url)) && !force) {
      throw new SnapshotException("the snapshot '" + r.name() + "' was taken from " + r.url()
          + ", not from " + url, "pass --force to restore it over " + url + " anyway");
    }
    if (!isLocal(url) && !allowRemote) {
      throw new SnapshotException("refusing to restore over " + url + ": it is not on this "
          + "machine", "pass --allow-remote if you really mean to overwrite it");
    }
    if (r.engine().equals("sqlite")) {
      verifySqlite(r);
      return store.locked(() -> restoreSqlite(url, r, origin));
    }
    return store.locked(() -> new PostgresSnapshots(this, url).restore(r, origin, terminate));
  }

  private void verifySqlite(SnapshotRecord r) throws SnapshotException {
    Path file = store.file(r.storage());
    String why;
    try {
      why = !Files.isRegularFile(file) ? "its file " + file + " is missing"
          : !SqliteCopies.sha256(file).equals(r.sha256()) ? "its file " + file
              + " changed since it was saved (checksum mismatch)"
          : null;
    } catch (IOException e) {
      why = "its file cannot be read: " + e.getMessage();
    }
    if (why == null) {
      String check = SqliteCopies.check(file, timeout);
      why = check.equals("ok") ? null : "SQLite finds it damaged: " + check;
    }
    if (why != null) {
      throw new SnapshotException("the snapshot '" + r.name() + "' cannot be restored: " + why,
          "nothing was changed; drop it (migdiff snapshot drop " + r.name()
              + ") and restore another");
    }
  }

  private Restored restoreSqlite(DatabaseUrl url, SnapshotRecord r, Origin origin)
      throws SnapshotException, IOException {
    Path from = store.file(r.storage());
    Path moved = null;
    if (r.name().equals(UNDO)) {
      // Restoring 'undo' saves the current state as the next 'undo': keep the old one apart.
      moved = store.file(".undo-restoring.sqlite3");
      store.move(from, moved);
      from = moved;
    }
    try {
      SnapshotRecord undo = Files.isRegularFile(url.path())
          ? saveLocked(url, UNDO, origin, "undo", true, false) : null;
      SqliteCopies.restore(from, url.path(), timeout);
      List<String> now = SqliteCopies.applied(url.path(), timeout);
      if (!now.equals(r.applied())) {
        throw new SnapshotException("restored '" + r.name() + "', but " + url + " now reads "
            + "differently from the snapshot's record", "run 'migdiff snapshot restore undo'");
      }
      return new Restored(r, undo);
    } finally {
      if (moved != null) {
        store.delete(moved);
      }
    }
  }

  /** Forgets a snapshot and deletes its copy. */
  public SnapshotRecord drop(String name, DatabaseUrl url) throws SnapshotException {
    SnapshotName.check(name);
    return store.locked(() -> {
      SnapshotRecord r = store.list().stream().filter(x -> x.name().equals(name)).findFirst()
          .orElseThrow(() -> new SnapshotException("no snapshot called '" + name + "'",
              "list them with 'migdiff snapshot list'"));
      store.forget(r);
      dropStorage(r, url);
      return r;
    });
  }

  void dropStorage(SnapshotRecord r, DatabaseUrl url) throws SnapshotException, IOException {
    if (!r.method().equals("template")) {
      store.delete(store.file(r.storage()));
      return;
    }
    if (url == null || url.engine() != DatabaseUrl.Engine.POSTGRESQL
        || !r.storage().startsWith(SnapshotName.PG_PREFIX)) {
      throw new SnapshotException("forgot the snapshot '" + r.name() + "', but its database "
          + r.storage() + " was not dropped (no PostgreSQL database given)",
          "drop it by hand: DROP DATABASE \"" + r.storage() + "\"");
    }
    PostgresCopies pg = new PostgresCopies(url, timeout);
    try (Connection c = pg.maintenance()) {
      pg.drop(c, r.storage());
    } catch (SQLException e) {
      throw new SnapshotException("forgot the snapshot '" + r.name() + "', but cannot drop its "
          + "database " + r.storage() + ": " + e.getMessage(),
          "drop it by hand: DROP DATABASE \"" + r.storage() + "\"", e);
    }
  }
}
