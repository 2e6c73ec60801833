package dev.hubert.testkit;

import dev.hubert.api.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opentest4j.AssertionFailedError;

/** Bounded waits on the kit's own threads. */
final class Threads {
  /** Numbers the threads of every pool: hubert-testkit-1, -2, … */
  private static final DaemonThreads THREADS = DaemonThreads.numbered("hubert-testkit-");

  private Threads() {}

  /** A pool of daemon threads; callers shut it down. */
  static ExecutorService pool(int threads) {
    return Executors.newFixedThreadPool(threads, THREADS);
  }

  static void await(CountDownLatch latch, Duration limit, String rule, String what) {
    try {
      if (!latch.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw Kit.failure(rule, what + " did not finish within " + limit.toMillis() + " ms",
            "that store calls do not block the calling thread for long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted", e);
    }
  }

  /** The result of a task on a kit thread; a task's own assertion failure is rethrown as is. */
  static <T> T get(Future<T> task, Duration limit, String rule, String what) {
    try {
      return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      throw Kit.failure(rule, what + " did not return within " + limit.toMillis() + " ms",
          "that store methods return their future promptly instead of blocking the caller");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AssertionFailedError) {
        throw (AssertionFailedError) cause;
      }
      throw Kit.failure(rule, what + " threw " + Kit.describe(cause),
          "that store methods do not throw for valid arguments: failures belong in the future",
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted", e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted", e);
    }
  }
}
