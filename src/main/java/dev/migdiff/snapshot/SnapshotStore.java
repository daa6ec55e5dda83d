package dev.migdiff.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where snapshots are recorded: {@code .git/migdiff/snapshots/} in the repository's common git
 * directory (every linked worktree sees the same snapshots; nothing lands in the work tree).
 * Each snapshot has a metadata file {@code NAME.properties}, written last and atomically, so a
 * copy without one is an unfinished save and is never listed. SQLite copies live beside it.
 */
public final class SnapshotStore {
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();
  private final Path dir;

  /** The store of the repository whose common git directory is {@code gitDir}. */
  public SnapshotStore(Path gitDir) {
    this.dir = gitDir.resolve("migdiff").resolve("snapshots");
  }

  public Path directory() {
    return dir;
  }

  /** All recorded snapshots, newest first (metadata that cannot be read is skipped). */
  public List<SnapshotRecord> list() throws SnapshotException {
    List<SnapshotRecord> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.properties")) {
      for (Path f : files) {
        SnapshotRecord r = SnapshotRecord.parse(Files.readString(f, StandardCharsets.UTF_8));
        if (r != null && f.getFileName().toString().equals(r.name() + ".properties")) {
          out.add(r);
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new SnapshotException("cannot read the snapshots in " + dir + ": " + e.getMessage(),
          "check the directory's permissions");
    }
    out.sort(Comparator.comparing(SnapshotRecord::taken).reversed()
        .thenComparing(SnapshotRecord::name));
    return out;
  }

  /** The snapshot called {@code name}, else the newest taken on branch {@code name}. */
  public Optional<SnapshotRecord> find(String name) throws SnapshotException {
    List<SnapshotRecord> all = list();
    for (SnapshotRecord r : all) {
      if (r.name().equals(name)) {
        return Optional.of(r);
      }
    }
    return all.stream().filter(r -> name.equals(r.branch()) && !r.kind().equals("undo"))
        .findFirst();
  }

  /** A file of the store (for a SQLite copy or a dump); {@code name} is a checked file name. */
  public Path file(String name) {
    Path p = dir.resolve(name).normalize();
    if (!p.getParent().equals(dir.normalize())) {
      throw new IllegalArgumentException("not a file name: " + name);
    }
    return p;
  }

  /** Creates the store's directory. */
  void create() throws IOException {
    Files.createDirectories(dir);
  }

  /** Records {@code r}: a temporary file, flushed to disk, then renamed over the old one. */
  void write(SnapshotRecord r) throws IOException {
    create();
    Path tmp = file("." + r.name() + ".properties.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(r.toProperties().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    move(tmp, file(r.name() + ".properties"));
  }

  /** Renames {@code from} to {@code to} atomically (both in the store), after an fsync. */
  void move(Path from, Path to) throws IOException {
    try (FileChannel ch = FileChannel.open(from, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a file of the store if it exists. */
  void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /**
   * Deletes the temporary files of saves that never finished (a process killed, a hook that ran
   * out of time). Called under the lock, so no save is writing them now.
   */
  void removeAbandoned() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp*")) {
      for (Path f : files) {
        delete(f);
      }
    }
  }

  /** Forgets {@code r}: its metadata first (so a half-dropped snapshot is never listed). */
  void forget(SnapshotRecord r) throws IOException {
    delete(file(r.name() + ".properties"));
  }

  /** Holds the store's lock (across threads and processes) while {@code work} runs. */
  <T> T locked(Work<T> work) throws SnapshotException {
    IN_PROCESS.lock();
    try {
      create();
      try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
        return work.run();
      }
    } catch (IOException e) {
      throw new SnapshotException("cannot write to " + dir + ": " + e.getMessage(),
          "check free space and permissions", e);
    } finally {
      IN_PROCESS.unlock();
    }
  }

  /** Work done under the store's lock. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws SnapshotException, IOException;
  }
}
