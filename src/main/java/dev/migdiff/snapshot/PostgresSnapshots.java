package dev.migdiff.snapshot;

import dev.migdiff.db.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Saving and restoring a PostgreSQL database. Saving: {@code CREATE DATABASE
 * migdiff_snap_... TEMPLATE db} (server-side), else, when PostgreSQL refuses the template copy
 * for want of a right, {@code pg_dump} into the store. Restoring: the snapshot is copied to a
 * new database first; only when that copy is complete are the names swapped (the original
 * renamed away, to be kept as the snapshot {@code undo}), so a failure leaves the original as
 * it was.
 */
final class PostgresSnapshots {
  private final Snapshots owner;
  private final DatabaseUrl url;
  private final PostgresCopies pg;

  PostgresSnapshots(Snapshots owner, DatabaseUrl url) {
    this.owner = owner;
    this.url = url;
    this.pg = new PostgresCopies(url, owner.timeout);
  }

  SnapshotRecord save(String name, Snapshots.Origin origin, String kind, boolean terminate)
      throws SnapshotException, IOException {
    String source = Snapshots.source(url);
    String stamp = Long.toString(owner.clock.millis(), 36);
    String target = SnapshotName.pgDatabase(source, name, stamp);
    try (Connection c = pg.maintenance()) {
      try {
        pg.copy(c, url.name(), target, terminate);
        List<String> applied = pg.applied(target);
        return new SnapshotRecord(name, "postgresql", source, url.toString(), origin.branch(),
            origin.commit(), owner.clock.instant(), pg.size(c, target), "", target, "template",
            kind, applied);
      } catch (SQLException e) {
        if (!PostgresCopies.DENIED.equals(e.getSQLState())) {
          throw failed("cannot copy " + url, e);
        }
      }
      // No right to copy by template: a dump file instead.
      String file = name + "." + stamp + ".dump";
      Path dump = owner.store.file(file);
      owner.store.create();
      List<String> before = pg.applied(url.name());
      try {
        PostgresDump.dump(url, dump, owner.timeout);
        List<String> after = pg.applied(url.name());
        if (!before.equals(after)) {
          throw new SnapshotException("the database was migrated while it was dumped",
              "retry when no migrate is running");
        }
        return new SnapshotRecord(name, "postgresql", source, url.toString(), origin.branch(),
            origin.commit(), owner.clock.instant(), Files.size(dump), "", file, "pg_dump", kind,
            after);
      } catch (SnapshotException | IOException e) {
        owner.store.delete(dump);
        throw e;
      }
    } catch (SQLException e) {
      throw failed("cannot save a snapshot of " + url, e);
    }
  }

  Snapshots.Restored restore(SnapshotRecord r, Snapshots.Origin origin, boolean terminate)
      throws SnapshotException, IOException {
    String hash = SnapshotName.hash(Snapshots.source(url) + "\n" + owner.clock.millis());
    String fresh = SnapshotName.PG_PREFIX + "restoring_" + hash.substring(0, 8);
    String old = SnapshotName.PG_PREFIX + "replaced_" + hash.substring(0, 8);
    try (Connection c = pg.maintenance()) {
      // 1. the snapshot as a new database (the original is not touched yet)
      if (r.method().equals("template")) {
        if (!pg.exists(c, r.storage())) {
          throw new SnapshotException("the snapshot '" + r.name() + "' cannot be restored: its "
              + "database " + r.storage() + " is gone", "drop it (migdiff snapshot drop "
              + r.name() + ")");
        }
        pg.copy(c, r.storage(), fresh, true);
      } else {
        Path dump = owner.store.file(r.storage());
        if (!Files.isRegularFile(dump)) {
          throw new SnapshotException("the snapshot '" + r.name() + "' cannot be restored: its "
              + "file " + dump + " is missing", "drop it (migdiff snapshot drop " + r.name() + ")");
        }
        try {
          pg.drop(c, fresh);
          try (var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + SnapshotName.quote(fresh));
          }
          PostgresDump.restore(url, fresh, dump, owner.timeout);
        } catch (SnapshotException | SQLException e) {
          pg.drop(c, fresh);
          throw e;
        }
      }
      try {
        List<String> applied = pg.applied(fresh);
        if (!applied.equals(r.applied())) {
          throw new SnapshotException("the snapshot '" + r.name() + "' does not hold what it "
              + "recorded (its django_migrations differ)", "nothing was changed; drop it");
        }
        // 2. swap the names: the original is renamed away only once the copy is complete, and
        // becomes the snapshot 'undo' (no second copy of it is needed)
        List<String> current = pg.applied(url.name());
        if (terminate) {
          pg.terminate(c, url.name());
        }
        try {
          pg.rename(c, url.name(), old);
        } catch (SQLException e) {
          if (PostgresCopies.IN_USE.equals(e.getSQLState())) {
            throw pg.inUse(c, url.name());
          }
          throw e;
        }
        try {
          pg.rename(c, fresh, url.name());
        } catch (SQLException e) {
          pg.rename(c, old, url.name());
          throw e;
        }
        SnapshotRecord undo = new SnapshotRecord(Snapshots.UNDO, "postgresql",
            Snapshots.source(url), url.toString(), origin.branch(), origin.commit(),
            owner.clock.instant(), pg.size(c, old), "", old, "template", "undo", current);
        java.util.Optional<SnapshotRecord> previous = owner.store.list().stream()
            .filter(x -> x.name().equals(Snapshots.UNDO)).findFirst();
        owner.store.write(undo);
        if (previous.isPresent()) {
          owner.dropStorage(previous.get(), url);
        }
        return new Snapshots.Restored(r, undo);
      } catch (SnapshotException | SQLException | IOException e) {
        pg.drop(c, fresh);
        throw e;
      }
    } catch (SQLException e) {
      throw failed("cannot restore over " + url + " (it is unchanged)", e);
    }
  }

  private SnapshotException failed(String what, SQLException e) {
    String m = String.valueOf(e.getMessage());
    if (url.password() != null && !url.password().isEmpty()) {
      m = m.replace(url.password(), "***");
    }
    int nl = m.indexOf('\n');
    String hint = PostgresCopies.DENIED.equals(e.getSQLState())
        ? "the login needs CREATEDB and must own the database (ALTER ROLE ... CREATEDB)"
        : "check that the server runs and the login may create databases";
    return new SnapshotException(what + ": " + (nl < 0 ? m : m.substring(0, nl)).trim(), hint, e);
  }
}
