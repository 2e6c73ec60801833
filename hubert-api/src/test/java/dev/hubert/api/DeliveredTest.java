package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The caller's future: outcome handed over, and dependents never on the completing thread. */
class DeliveredTest {
  private static final String DHT_THREAD = "fake DHT thread";
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private final ExecutorService dht =
      Executors.newSingleThreadExecutor(r -> new Thread(r, DHT_THREAD));
  private final ExecutorService callbacks =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "callbacks"));

  @AfterEach
  void stop() {
    dht.shutdownNow();
    callbacks.shutdownNow();
  }

  @Test
  void aBlockedGetIsWokenAndDependentsRunOffTheDhtThread() throws Exception {
    blockedGetReceives("value", d -> { }, 0);
  }

  /**
   * A caller blocks in get; the DHT thread runs {@code first} on its future, waits {@code
   * lateMillis}, then completes the source with {@code value}: the caller gets it, and a dependent
   * stage added before runs, not on the DHT thread.
   */
  private void blockedGetReceives(String value, Consumer<Delivered<String>> first, long lateMillis)
      throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    AtomicReference<String> ranOn = new AtomicReference<>();
    CompletableFuture<String> dependent = delivered.thenApply(v -> {
      ranOn.set(Thread.currentThread().getName());
      return v + "!";
    });
    dht.execute(() -> {
      sleep(50); // let the caller block first
      first.accept(delivered);
      sleep(lateMillis);
      source.complete(value);
    });
    assertEquals(value, delivered.get(5, TimeUnit.SECONDS));
    assertEquals(value + "!", dependent.get(5, TimeUnit.SECONDS));
    assertNotEquals(DHT_THREAD, ranOn.get());
  }

  @Test
  void withoutWaitersTheExecutorHandsTheOutcomeOver() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<String> ranOn = new AtomicReference<>();
    delivered.thenRun(() -> {
      ranOn.set(Thread.currentThread().getName());
      ran.countDown();
    });
    dht.submit(() -> source.complete("value")).get(5, TimeUnit.SECONDS);
    assertTrue(ran.await(5, TimeUnit.SECONDS));
    assertEquals("callbacks", ranOn.get());
    assertTrue(delivered.isDone());
  }

  @Test
  void withTheExecutorShutDownTheIoThreadHandsTheOutcomeOverItself() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    AtomicReference<String> ranOn = new AtomicReference<>();
    CompletableFuture<String> dependent = delivered.thenApply(v -> {
      ranOn.set(Thread.currentThread().getName());
      return v;
    });
    callbacks.shutdown();
    dht.submit(() -> source.complete("value")).get(5, TimeUnit.SECONDS);
    assertEquals("value", dependent.get(5, TimeUnit.SECONDS));
    assertEquals(DHT_THREAD, ranOn.get(), "the documented exception");
  }

  @Test
  void aWaiterThatGaveUpStillLeavesTheFutureCompletedLater() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    assertThrows(TimeoutException.class, () -> delivered.get(20, TimeUnit.MILLISECONDS));
    dht.submit(() -> source.complete("late")).get(5, TimeUnit.SECONDS);
    assertEquals("late", delivered.thenApply(v -> v).get(5, TimeUnit.SECONDS));
  }

  @Test
  void failuresArriveUnwrapped() {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    IllegalStateException cause = new IllegalStateException("boom");
    dht.execute(() -> source.completeExceptionally(new CompletionException(cause)));
    // the untimed get and join under test, bounded from outside
    ExecutionException e = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(ExecutionException.class, delivered::get));
    assertSame(cause, e.getCause());
    CompletionException joined = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(CompletionException.class, delivered::join));
    assertSame(cause, joined.getCause());
  }

  @Test
  void failWakesBlockedCallersWhoseSourceNeverCompletes() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    BackendUnavailableException closed = new BackendUnavailableException("closed");
    dht.execute(() -> {
      sleep(50);
      delivered.fail(closed);
    });
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> delivered.get(5, TimeUnit.SECONDS));
    assertSame(closed, e.getCause());
    assertTrue(source.isCompletedExceptionally());
  }

  @Test
  void aCallerWokenEarlyBySoonStillGetsTheOutcomeWhetherItComesInTimeOrLate() throws Exception {
    for (long late : new long[] {0, 100}) { // within the spin, and long after it
      blockedGetReceives("value " + late, Delivered::soon, late);
    }
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> joined = Delivered.of(source, callbacks);
    dht.execute(() -> {
      sleep(50);
      joined.soon();
      sleep(100);
      source.complete("joined");
    });
    assertEquals("joined", assertTimeoutPreemptively(LIMIT, joined::join));
  }

  @Test
  void soonIsOnlyAHint() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    Delivered<String> delivered = Delivered.of(source, callbacks);
    delivered.soon();
    long start = System.nanoTime();
    assertThrows(TimeoutException.class, () -> delivered.get(200, TimeUnit.MILLISECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200),
        "the timed get waited its whole timeout");
    dht.submit(() -> source.complete("late")).get(5, TimeUnit.SECONDS);
    assertEquals("late", delivered.thenApply(v -> v).get(5, TimeUnit.SECONDS));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
