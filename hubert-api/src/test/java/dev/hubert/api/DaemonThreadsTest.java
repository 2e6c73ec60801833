package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  private static final Duration LONG = Duration.ofMinutes(1);
  /** Holds a pool's task until the test ends. */
  private final CountDownLatch release = new CountDownLatch(1);
  private final DaemonThreads threads = DaemonThreads.numbered("test-pool-");

  @AfterEach
  void releaseTasks() {
    release.countDown();
  }

  @Test
  void numberedThreadsAreDaemonsNumberedFromOne() {
    Thread first = threads.newThread(() -> {});
    Thread second = threads.newThread(() -> {});
    assertEquals("test-pool-1", first.getName());
    assertEquals("test-pool-2", second.getName());
    assertTrue(first.isDaemon() && second.isDaemon());
    assertEquals(Thread.State.NEW, first.getState());
    assertEquals("test-pool-1", DaemonThreads.numbered("test-pool-").newThread(() -> {}).getName(),
        "each factory counts on its own");
  }

  @Test
  void namedThreadsAllHaveTheName() {
    DaemonThreads timer = DaemonThreads.named("test-timer");
    for (int i = 0; i < 2; i++) {
      Thread t = timer.newThread(() -> {});
      assertEquals("test-timer", t.getName());
      assertTrue(t.isDaemon());
    }
  }

  @Test
  void poolThreadsRunTheTasks() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    try {
      Thread ran = CompletableFuture.supplyAsync(Thread::currentThread, pool)
          .get(10, TimeUnit.SECONDS);
      assertTrue(ran.getName().startsWith("test-pool-") && ran.isDaemon(), ran.toString());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void waitsForARunningTaskToFinish() {
    ExecutorService pool = shutDownWhileRunning(() -> sleep(200));
    threads.awaitTermination(pool, LONG);
    assertTrue(pool.isTerminated());
  }

  @Test
  void theWaitIsBounded() {
    ExecutorService pool = shutDownWhileRunning(this::awaitRelease);
    Duration limit = Duration.ofMillis(300);
    long start = System.nanoTime();
    threads.awaitTermination(pool, limit);
    assertTrue(System.nanoTime() - start >= limit.toNanos(), "returned before the limit");
    assertFalse(pool.isTerminated());
  }

  @Test
  void anInterruptEndsTheWaitAndStaysSet() {
    ExecutorService pool = shutDownWhileRunning(this::awaitRelease);
    Thread.currentThread().interrupt();
    threads.awaitTermination(pool, LONG);
    assertTrue(Thread.interrupted(), "interrupt cleared");
    assertFalse(pool.isTerminated());
  }

  @Test
  void ownThreadDoesNotWait() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    pool.execute(this::awaitRelease);
    assertFalse(shutDownAndWaitOnOwnThread(threads, pool), "it waited");
  }

  @Test
  void namedOwnThreadDoesNotWait() throws Exception {
    DaemonThreads timer = DaemonThreads.named("test-own-timer");
    assertFalse(shutDownAndWaitOnOwnThread(timer, Executors.newSingleThreadExecutor(timer)),
        "it waited");
  }

  @Test
  void aThreadOfAnotherFactoryWithTheSameNamesWaits() throws Exception {
    ExecutorService pool = shutDownWhileRunning(this::awaitRelease);
    ExecutorService other = Executors.newSingleThreadExecutor(DaemonThreads.numbered("test-pool-"));
    try {
      Duration limit = Duration.ofMillis(300);
      long waited = CompletableFuture.supplyAsync(() -> {
        long start = System.nanoTime();
        threads.awaitTermination(pool, limit);
        return System.nanoTime() - start;
      }, other).get(10, TimeUnit.SECONDS);
      assertTrue(waited >= limit.toNanos(), "returned at once on a thread named like its own");
    } finally {
      other.shutdown();
    }
  }

  @Test
  void aPoolStillRunningIsRefused() {
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    try {
      assertThrows(IllegalStateException.class, () -> threads.awaitTermination(pool, LONG));
    } finally {
      pool.shutdown();
    }
  }

  /** A pool of {@link #threads}, shut down while it runs {@code task}. */
  private ExecutorService shutDownWhileRunning(Runnable task) {
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    pool.execute(task);
    pool.shutdown();
    return pool;
  }

  /** Whether {@code pool} had terminated when the wait returned on one of its own threads. */
  private static boolean shutDownAndWaitOnOwnThread(DaemonThreads threads, ExecutorService pool)
      throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      pool.shutdown();
      threads.awaitTermination(pool, LONG);
      return pool.isTerminated();
    }, pool).get(10, TimeUnit.SECONDS);
  }

  private void awaitRelease() {
    try {
      release.await(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
