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

  @AfterEach
  void releaseTasks() {
    release.countDown();
  }

  @Test
  void numberedThreadsAreDaemonsNumberedFromOneAcrossPools() {
    DaemonThreads threads = DaemonThreads.numbered("test-pool-");
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
    DaemonThreads threads = DaemonThreads.named("test-timer");
    for (int i = 0; i < 2; i++) {
      Thread t = threads.newThread(() -> {});
      assertEquals("test-timer", t.getName());
      assertTrue(t.isDaemon());
    }
  }

  @Test
  void poolThreadsRunTheTasks() throws Exception {
    DaemonThreads threads = DaemonThreads.numbered("test-run-");
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    try {
      Thread ran = CompletableFuture.supplyAsync(Thread::currentThread, pool)
          .get(10, TimeUnit.SECONDS);
      assertTrue(ran.getName().startsWith("test-run-") && ran.isDaemon(), ran.toString());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void waitsForARunningTaskToFinish() throws Exception {
    DaemonThreads threads = DaemonThreads.numbered("test-finish-");
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    pool.execute(() -> sleep(200));
    pool.shutdown();
    threads.awaitTermination(pool, LONG);
    assertTrue(pool.isTerminated());
  }

  @Test
  void theWaitIsBounded() throws Exception {
    DaemonThreads threads = DaemonThreads.numbered("test-bounded-");
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    pool.execute(this::awaitRelease);
    pool.shutdown();
    Duration limit = Duration.ofMillis(300);
    long start = System.nanoTime();
    threads.awaitTermination(pool, limit);
    assertTrue(System.nanoTime() - start >= limit.toNanos(), "returned before the limit");
    assertFalse(pool.isTerminated());
  }

  @Test
  void ownThreadDoesNotWait() throws Exception {
    DaemonThreads threads = DaemonThreads.numbered("test-own-");
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    pool.execute(this::awaitRelease);
    CompletableFuture<Boolean> closedFromOwnThread = CompletableFuture.supplyAsync(() -> {
      pool.shutdown();
      threads.awaitTermination(pool, LONG);
      return pool.isTerminated();
    }, pool);
    assertFalse(closedFromOwnThread.get(10, TimeUnit.SECONDS), "it waited");
  }

  @Test
  void namedOwnThreadDoesNotWait() throws Exception {
    DaemonThreads threads = DaemonThreads.named("test-own-timer");
    ExecutorService pool = Executors.newSingleThreadExecutor(threads);
    CompletableFuture<Boolean> closedFromOwnThread = CompletableFuture.supplyAsync(() -> {
      pool.shutdown();
      threads.awaitTermination(pool, LONG);
      return pool.isTerminated();
    }, pool);
    assertFalse(closedFromOwnThread.get(10, TimeUnit.SECONDS), "it waited");
  }

  @Test
  void anInterruptEndsTheWaitAndStaysSet() {
    DaemonThreads threads = DaemonThreads.numbered("test-interrupt-");
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    pool.execute(this::awaitRelease);
    pool.shutdown();
    Thread.currentThread().interrupt();
    threads.awaitTermination(pool, LONG);
    assertTrue(Thread.interrupted(), "interrupt cleared");
    assertFalse(pool.isTerminated());
  }

  @Test
  void aPoolStillRunningIsRefused() {
    DaemonThreads threads = DaemonThreads.numbered("test-running-");
    ExecutorService pool = Executors.newCachedThreadPool(threads);
    try {
      assertThrows(IllegalStateException.class, () -> threads.awaitTermination(pool, LONG));
    } finally {
      pool.shutdown();
    }
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
