package dev.migdiff.cli;

import dev.migdiff.cache.CacheLocation;
import dev.migdiff.cache.ObjectStore;
import dev.migdiff.django.ObjectCache;
import dev.migdiff.git.GitRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The cache of one run: the {@link ObjectStore} at the configured location seen as the reading
 * layers' {@link ObjectCache}, or {@link ObjectCache#NONE} when it is off ({@code --no-cache},
 * {@code MIGDIFF_CACHE=off}), has no location, or would lie inside the repository. Closing it
 * keeps the store within its size bound.
 */
final class RunCache implements ObjectCache, AutoCloseable {
  private final ObjectStore store;
  private final java.util.List<Runnable> atEnd = new java.util.ArrayList<>();

  private RunCache(ObjectStore store) {
    this.store = store;
  }

  static RunCache open(boolean off, Map<String, String> env, GitRepository git, PrintWriter err) {
    Optional<Path> base = off ? Optional.empty() : CacheLocation.base(env);
    if (base.isEmpty() || inside(base.get(), git)) {
      return new RunCache(null);
    }
    return new RunCache(new ObjectStore(CacheLocation.root(base.get()),
        CacheLocation.maxBytes(env), err::println));
  }

  /** Whether this run keeps anything. */
  boolean enabled() {
    return store != null;
  }

  /** The readings layers' view: this, or NONE when off. */
  ObjectCache view() {
    return store == null ? ObjectCache.NONE : this;
  }

  @Override
  public byte[] get(String kind, String key) {
    return store == null ? null : store.get(kind, key);
  }

  @Override
  public void put(String kind, String key, byte[] value) {
    if (store != null) {
      store.put(kind, key, value);
    }
  }

  @Override
  public void atEnd(Runnable flush) {
    if (store != null) {
      atEnd.add(flush);
    }
  }

  @Override
  public void close() {
    if (store != null) {
      for (Runnable r : atEnd) {
        try {
          r.run();
        } catch (RuntimeException e) {
          // what was not stored is read again next time
        }
      }
      store.finish();
    }
  }

  /** The cache never lives in the repository or its work tree. */
  private static boolean inside(Path base, GitRepository git) {
    if (git == null) {
      return false;
    }
    Path dir = git.jgit().getDirectory() == null ? null
        : git.jgit().getDirectory().toPath().toAbsolutePath().normalize();
    Path work = git.workTree() == null ? null : git.workTree().toAbsolutePath().normalize();
    return dir != null && base.startsWith(dir) || work != null && base.startsWith(work);
  }
}
