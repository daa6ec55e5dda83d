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
  private java.util.concurrent.ExecutorService writer;
  private boolean flushed;

  private RunCache(ObjectStore store) {
    this.store = store;
  }

  static RunCache open(boolean off, Map<String, String> env, GitRepository git, PrintWriter err) {
    Optional<Path> base = off ? Optional.empty() : CacheLocation.base(env);
    if (base.isEmpty() || inside(base.get(), git)) {
      return new RunCache(null);
    }
    RunCache cache = new RunCache(new ObjectStore(CacheLocation.root(base.get()),
        CacheLocation.maxBytes(env), err::println));
    if (git != null) {
      git.rememberIn(cache.facts());
    }
    return cache;
  }

  /** The repository's facts about its objects (commits' trees, merge bases), kept here. */
  private dev.migdiff.git.ObjectFacts facts() {
    return new dev.migdiff.git.ObjectFacts() {
      @Override
      public String get(String kind, String key) {
        byte[] v = RunCache.this.get(kind, key);
        return v == null ? null : new String(v, java.nio.charset.StandardCharsets.US_ASCII);
      }

      @Override
      public void put(String kind, String key, String value) {
        RunCache.this.put(kind, key, value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
    };
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
    putLater(kind, key, () -> value);
  }

  /** On the writer thread, in order with the writes; dropped when the cache is off or closed. */
  @Override
  public void meanwhile(Runnable work) {
    if (store != null) {
      submit(work);
    }
  }

  /**
   * Encodes and writes on one background thread, so a first (cold) run costs about what a run
   * without the cache does; {@link #close} waits for it. A value that fails to encode or write
   * is simply not stored.
   */
  @Override
  public void putLater(String kind, String key, java.util.function.Supplier<byte[]> value) {
    if (store == null) {
      return;
    }
    submit(() -> store.put(kind, key, value.get()));
  }

  private void submit(Runnable work) {
    java.util.concurrent.ExecutorService w;
    synchronized (this) {
      if (writer == null) {
        writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "migdiff-cache-writer");
          t.setDaemon(true);
          return t;
        });
      }
      w = writer;
    }
    try {
      w.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          // not stored: read again next time
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // asked after the run closed (a value read lazily later): not stored, read again
    }
  }

  /** Starts the end-of-run writes now (they overlap rendering); {@link #close} still waits. */
  void flushSoon() {
    if (store != null && !flushed) {
      flushed = true;
      for (Runnable r : atEnd) {
        try {
          r.run();
        } catch (RuntimeException e) {
          // what was not stored is read again next time
        }
      }
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
      flushSoon();
      if (writer != null) {
        writer.shutdown();
        try {
          if (!writer.awaitTermination(WRITE_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
            writer.shutdownNow(); // a stuck disk: give up on the cache, never on the answer
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      store.finish();
    }
  }

  private static final int WRITE_WAIT_SECONDS = 30;

  /** The cache never lives in the repository or its work tree. */
  private static boolean inside(Path base, GitRepository git) {
    if (git == null) {
      return false;
    }
    Path dir = git.gitDirectory() == null ? null
        : git.gitDirectory().toAbsolutePath().normalize();
    Path work = git.workTree() == null ? null : git.workTree().toAbsolutePath().normalize();
    return dir != null && base.startsWith(dir) || work != null && base.startsWith(work);
  }
}
