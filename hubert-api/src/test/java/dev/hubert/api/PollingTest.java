package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollingTest {
  private static final Duration TICK = Duration.ofMillis(20);

  /** A lookup that comes back empty after the cancel runs no onMiss (no stray verbose dot). */
  @Test
  void aLookupUnderWayAtTheCancelRunsNoOnMiss() throws Exception {
    CompletableFuture<Optional<String>> underWay = new CompletableFuture<>();
    AtomicInteger lookups = new AtomicInteger();
    AtomicInteger misses = new AtomicInteger();
    CompletableFuture<Optional<String>> poll =
        Polling.poll(
            Duration.ofSeconds(30),
            Duration.ofMillis(20),
            () -> {
              lookups.incrementAndGet();
              return underWay;
            },
            misses::incrementAndGet);
    assertTrue(poll.cancel(false));
    underWay.complete(Optional.empty());
    Thread.sleep(200); // a next lookup would start after 20 ms
    assertEquals(0, misses.get(), "onMiss after the cancel");
    assertEquals(1, lookups.get(), "lookups");
  }

  @Test
  void completesWithFirstValueFound() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger misses = new AtomicInteger();
    Optional<String> found = Polling.poll(Duration.ofSeconds(30), TICK,
        () -> CompletableFuture.completedFuture(
            calls.incrementAndGet() < 3 ? Optional.<String>empty() : Optional.of("x")),
        misses::incrementAndGet).get(10, TimeUnit.SECONDS);
    assertEquals(Optional.of("x"), found);
    assertEquals(3, calls.get());
    assertEquals(2, misses.get());
  }

  @Test
  void completesEmptyNoEarlierThanTheTimeout() throws Exception {
    Duration timeout = Duration.ofMillis(300);
    long start = System.nanoTime();
    Optional<Object> found = Polling.poll(timeout, Duration.ofMillis(100),
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {}).get(10, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    assertTrue(found.isEmpty());
    assertTrue(elapsed >= timeout.toNanos(), "completed after " + elapsed + " ns, before the timeout");
  }

  /** Rule 3.2: a lookup under way at the deadline that finds nothing ends the poll. */
  @Test
  void aMissUnderWayAtTheDeadlineIsTheLastLookup() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // one slow lookup: starts before the 200 ms deadline, ends after it
    Optional<Object> found = Polling.poll(Duration.ofMillis(200), TICK, () -> {
      calls.incrementAndGet();
      return CompletableFuture.supplyAsync(Optional::empty,
          CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS));
    }, () -> {}).get(10, TimeUnit.SECONDS);
    assertTrue(found.isEmpty());
    assertEquals(1, calls.get(), "lookups after the one under way at the deadline");
  }

  @Test
  void laterLookupsStartOnReusedPollThreads() throws Exception {
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    Polling.poll(Duration.ofSeconds(30), TICK, () -> {
      threads.add(Thread.currentThread().getName());
      // found on the fifth lookup, however slowly the machine gets there
      return CompletableFuture.completedFuture(
          threads.size() < 5 ? Optional.empty() : Optional.of("x"));
    }, () -> {}).get(30, TimeUnit.SECONDS);
    List<String> later = threads.subList(1, threads.size());
    assertEquals(4, later.size(), "lookups: " + threads);
    assertTrue(later.stream().allMatch(n -> n.startsWith("hubert-poll-")), "threads: " + later);
    assertTrue(new HashSet<>(later).size() < later.size(), "no thread reused: " + later);
  }

  @Test
  void zeroTimeoutMeansOneLookup() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Polling.poll(Duration.ZERO, TICK, () -> {
      calls.incrementAndGet();
      return CompletableFuture.completedFuture(Optional.empty());
    }, () -> {}).get(10, TimeUnit.SECONDS);
    assertEquals(1, calls.get());
  }

  @Test
  void firstLookupFailureFailsThePoll() {
    BackendException boom = new BackendException("boom");
    CompletableFuture<Optional<Object>> f = Polling.poll(Duration.ofSeconds(30), TICK,
        () -> CompletableFuture.failedFuture(boom), () -> {});
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());
  }

  /** How the poll future {@code f} failed, within a second. */
  private static Throwable failure(CompletableFuture<?> f) {
    return assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS)).getCause();
  }

  @Test
  void aLookupCompletingWithNullFailsThePoll() {
    Throwable e = failure(Polling.poll(Duration.ofMillis(100), TICK,
        () -> CompletableFuture.completedFuture(null), () -> {}));
    assertInstanceOf(BackendException.class, e);
    assertTrue(e.getMessage().contains("completed with null"), e.getMessage());
  }

  @Test
  void aLookupReturningNullFailsThePoll() {
    Throwable e = failure(Polling.poll(Duration.ofMillis(100), TICK, () -> null, () -> {}));
    assertInstanceOf(BackendException.class, e);
    assertTrue(e.getMessage().contains("returned null"), e.getMessage());
  }

  @Test
  void onMissThrowingAnErrorFailsThePoll() {
    AssertionError bug = new AssertionError("bug");
    Throwable e = failure(Polling.poll(Duration.ofMillis(100), TICK,
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {
          throw bug;
        }));
    assertInstanceOf(BackendException.class, e);
    assertSame(bug, e.getCause());
  }

  @Test
  void aLaterLookupThrowingFailsThePoll() {
    AtomicInteger calls = new AtomicInteger();
    AssertionError bug = new AssertionError("bug");
    Throwable e = failure(Polling.poll(Duration.ofSeconds(30), TICK, () -> {
      if (calls.incrementAndGet() > 1) {
        throw bug; // on a poll thread
      }
      return CompletableFuture.completedFuture(Optional.empty());
    }, () -> {}));
    assertInstanceOf(BackendException.class, e);
    assertSame(bug, e.getCause());
    BackendUnavailableException typed = new BackendUnavailableException("down");
    assertSame(typed, failure(Polling.poll(Duration.ofSeconds(30), TICK, () -> {
      throw typed;
    }, () -> {})), "a HubertException is passed on as is");
  }

  @Test
  void aHugeTimeoutDoesNotOverflowAndCancelStopsThePolling() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Optional<Object>> f = Polling.poll(Duration.ofSeconds(Long.MAX_VALUE), TICK,
        () -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture(Optional.empty());
        }, () -> {});
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (calls.get() < 2 && System.nanoTime() - end < 0) {
      Thread.sleep(5);
    }
    assertTrue(calls.get() >= 2, "still polling");
    assertTrue(f.cancel(false));
    Thread.sleep(TICK.toMillis() * 3); // a lookup already under way may still end
    int afterCancel = calls.get();
    Thread.sleep(TICK.toMillis() * 10);
    assertEquals(afterCancel, calls.get(), "lookups after cancel");
    assertEquals(Optional.empty(), Polling.poll(Duration.ZERO, Duration.ofSeconds(Long.MAX_VALUE),
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {})
        .get(10, TimeUnit.SECONDS));
  }

  /** The raw failure {@code handle} sees, within a second. */
  private static Throwable handled(CompletableFuture<?> f) throws Exception {
    return f.handle((v, e) -> e).get(1, TimeUnit.SECONDS);
  }

  @Test
  void thenFailsWithTheExceptionItselfNotACompletionException() throws Exception {
    BackendException boom = new BackendException("boom");
    CompletableFuture<String> wrapped =
        CompletableFuture.<String>failedFuture(boom).thenApply(v -> v);
    assertInstanceOf(CompletionException.class, handled(wrapped), "thenApply wraps the failure");
    assertSame(boom, handled(Polling.then(wrapped, CompletableFuture::completedFuture)));
    assertSame(boom, handled(Polling.then(CompletableFuture.completedFuture("x"), v -> {
      throw boom;
    })));
    assertSame(boom, handled(Polling.then(CompletableFuture.completedFuture("x"),
        v -> CompletableFuture.failedFuture(boom).thenApply(w -> w))));
    assertEquals("x!", Polling.then(CompletableFuture.completedFuture("x"),
        v -> CompletableFuture.completedFuture(v + "!")).get(1, TimeUnit.SECONDS));
  }

  @Test
  void cancellingThenCancelsWhatIsUnderWay() {
    CompletableFuture<Optional<Object>> poll = Polling.poll(Duration.ofSeconds(30), TICK,
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {});
    assertTrue(Polling.then(poll, CompletableFuture::completedFuture).cancel(false));
    assertTrue(poll.isCancelled(), "the poll is cancelled, so it stops");
    CompletableFuture<String> second = new CompletableFuture<>();
    assertTrue(Polling.then(CompletableFuture.completedFuture("x"), v -> second).cancel(false));
    assertTrue(second.isCancelled(), "the second step is cancelled");
  }

  @Test
  void rejectsBadArgumentsEagerly() {
    assertThrows(IllegalArgumentException.class, () -> Polling.poll(Duration.ofSeconds(-1), TICK,
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {}));
    assertThrows(IllegalArgumentException.class, () -> Polling.poll(Duration.ofSeconds(1), Duration.ZERO,
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {}));
    assertThrows(NullPointerException.class, () -> Polling.poll(Duration.ofSeconds(1), TICK, null, () -> {}));
  }
}
