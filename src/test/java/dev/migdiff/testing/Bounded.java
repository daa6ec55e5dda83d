package dev.migdiff.testing;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzz input with a time limit, so that a hang is a failure with its input saved rather
 * than a fuzzing run that never ends (Jazzer's JUnit timeout would cover the whole run instead).
 */
public final class Bounded {
  private static final long SECONDS = 5;
  private static ExecutorService worker = newWorker();

  private Bounded() {}

  /** A task that may throw. */
  public interface Task {
    void run() throws Exception;
  }

  public static void run(Task task) {
    Future<?> f = worker.submit(() -> {
      task.run();
      return null;
    });
    try {
      f.get(SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      worker.shutdownNow();
      worker = newWorker();
      throw new AssertionError("hang: no answer within " + SECONDS + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-input");
      t.setDaemon(true);
      return t;
    });
  }
}
