package dev.migdiff.cli;

import dev.migdiff.analysis.Databases;
import dev.migdiff.analysis.SnapshotAdvice;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.db.DatabaseException;
import dev.migdiff.db.DatabaseUrl;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.SnapshotListRenderer;
import dev.migdiff.report.Terminal;
import dev.migdiff.snapshot.SnapshotRecord;
import dev.migdiff.snapshot.SnapshotStore;
import dev.migdiff.snapshot.Snapshots;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff snapshot save|list|restore|drop}: copies of the local database. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
    description = "Save, list, restore and drop copies of the local database (SQLite: online "
        + "backup under .git/migdiff/snapshots/; PostgreSQL: CREATE DATABASE ... TEMPLATE). "
        + "A restore saves the current state as 'undo' first.",
    subcommands = {SnapshotCommand.Save.class, SnapshotCommand.ListSnapshots.class,
        SnapshotCommand.Restore.class, SnapshotCommand.Drop.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "2:usage or input error (no database, bad name, refused restore, "
        + "disk full)", "3:internal error"})
final class SnapshotCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The repository's snapshots (newest first) as the analysis sees them, for the
   * recommendation in {@code FROM TO}, {@code status} and the hook; none when unreadable.
   */
  static java.util.List<SnapshotAdvice.Candidate> candidates(GitRepository git) {
    try {
      return new SnapshotStore(git.commonDirectory()).list().stream()
          .map(r -> new SnapshotAdvice.Candidate(r.name(), r.label(), r.taken(), r.url(),
              r.applied().stream().filter(a -> a.indexOf('.') > 0).map(a -> new MigrationKey(
                  a.substring(0, a.indexOf('.')), a.substring(a.indexOf('.') + 1))).toList()))
          .toList();
    } catch (dev.migdiff.snapshot.SnapshotException e) {
      return java.util.List.of();
    }
  }

  /** What every subcommand needs: the repository, the database, the store. */
  static class Common {
    @Mixin RepoOptions repo = new RepoOptions();
    @Option(names = "--database", paramLabel = "URL",
        description = "The database (default: $DATABASE_URL, else DATABASE_URL in .env, else "
            + "db.sqlite3 next to manage.py).")
    String database;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
        description = "Wait this long for locks and connections (default: ${DEFAULT-VALUE}).")
    int timeout;
    @ParentCommand SnapshotCommand parent;

    PrintWriter out() {
      return parent.spec.commandLine().getOut();
    }

    GitRepository open() throws dev.migdiff.git.GitException {
      return repo.open(parent.parent);
    }

    Snapshots snapshots(GitRepository git) {
      return new Snapshots(new SnapshotStore(git.commonDirectory()),
          Duration.ofSeconds(Math.max(1, timeout)), Clock.systemUTC());
    }

    DatabaseUrl url(GitRepository git) throws Exception {
      return Databases.locate(git, repo.overrides(), database, parent.parent.env, "HEAD")
          .orElseThrow(() -> new DatabaseException("no database found",
              "pass --database URL or set DATABASE_URL (a db.sqlite3 next to manage.py is "
                  + "found by itself)")).url();
    }

    static Snapshots.Origin origin(GitRepository git) {
      String commit = null;
      try {
        commit = git.hasCommits() ? git.resolve("HEAD").commit() : null;
      } catch (dev.migdiff.git.GitException e) {
        commit = null;
      }
      String branch = git.headBranch();
      return new Snapshots.Origin(branch == null ? "" : branch, commit);
    }
  }

  /** {@code migdiff snapshot save [NAME]}. */
  @Command(name = "save", mixinStandardHelpOptions = true,
      description = "Copy the database as snapshot NAME (default: BRANCH@COMMIT).")
  static final class Save extends Common implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
        description = "Letters, digits and . _ @ + - (at most 40).")
    String name;
    @Option(names = "--force", description = "Replace a snapshot of the same name.")
    boolean force;
    @Option(names = "--terminate", description = "PostgreSQL: end other sessions on the "
        + "database (a template copy needs none; the dev server reconnects).")
    boolean terminate;

    @Override
    public Integer call() throws Exception {
      try (GitRepository git = open()) {
        DatabaseUrl url = url(git);
        SnapshotRecord r = snapshots(git).save(url, name, origin(git), "manual", force,
            terminate);
        out().println("saved snapshot '" + r.name() + "' of " + Terminal.safe(r.url()) + ": "
            + r.applied().size() + " applied migrations, " + SnapshotListRenderer.size(r.size()));
        out().println("restore it with: migdiff snapshot restore " + r.name());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code migdiff snapshot list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the snapshots, newest first.")
  static final class ListSnapshots extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      try (GitRepository git = open()) {
        SnapshotStore store = new SnapshotStore(git.commonDirectory());
        java.util.List<SnapshotRecord> all = snapshots(git).list();
        new SnapshotListRenderer().render(all, git.workTree() == null ? store.directory()
            : git.workTree().relativize(store.directory()), out());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code migdiff snapshot restore NAME}. */
  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Replace the database with snapshot NAME (or the newest snapshot of branch "
          + "NAME), after saving the current state as 'undo'.")
  static final class Restore extends Common implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--force", description = "Restore a snapshot taken from another database.")
    boolean force;
    @Option(names = "--allow-remote",
        description = "Allow restoring over a PostgreSQL server that is not on this machine.")
    boolean allowRemote;
    @Option(names = "--terminate", description = "PostgreSQL: end other sessions on the "
        + "database (the dev server reconnects).")
    boolean terminate;

    @Override
    public Integer call() throws Exception {
      try (GitRepository git = open()) {
        DatabaseUrl url = url(git);
        Snapshots.Restored r = snapshots(git).restore(url, name, origin(git), force, allowRemote,
            terminate);
        PrintWriter out = out();
        if (r.undo() != null) {
          out.println("saved the current state as 'undo' (" + r.undo().applied().size()
              + " applied migrations)");
        }
        SnapshotRecord s = r.snapshot();
        out.println("restored '" + s.name() + "' (taken on " + Terminal.safe(s.label()) + " at "
            + SnapshotListRenderer.time(s.taken()) + ") into " + Terminal.safe(url.toString()) + ": "
            + s.applied().size() + " applied migrations");
        if (r.undo() != null) {
          out.println("take it back with: migdiff snapshot restore undo");
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code migdiff snapshot drop NAME}. */
  @Command(name = "drop", mixinStandardHelpOptions = true,
      description = "Delete snapshot NAME and its copy.")
  static final class Drop extends Common implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      try (GitRepository git = open()) {
        DatabaseUrl url = null;
        try {
          url = url(git);
        } catch (DatabaseException e) {
          url = null; // a SQLite snapshot needs no database to be dropped
        }
        SnapshotRecord r = snapshots(git).drop(name, url);
        out().println("dropped snapshot '" + r.name() + "'");
      }
      return ExitCodes.OK;
    }
  }
}
