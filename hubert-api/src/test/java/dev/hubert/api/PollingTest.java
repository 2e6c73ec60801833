package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollingTest {
  private static final Duration TICK = Duration.ofMillis(20);

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

  @Test
  void laterLookupsStartOnReusedPollThreads() throws Exception {
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    Polling.poll(Duration.ofMillis(200), TICK, () -> {
      threads.add(Thread.currentThread().getName());
      return CompletableFuture.completedFuture(Optional.empty());
    }, () -> {}).get(10, TimeUnit.SECONDS);
    List<String> later = threads.subList(1, threads.size());
    assertTrue(later.size() >= 4, "lookups: " + threads);
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

  @Test
  void rejectsBadArgumentsEagerly() {
    assertThrows(IllegalArgumentException.class, () -> Polling.poll(Duration.ofSeconds(-1), TICK,
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {}));
    assertThrows(IllegalArgumentException.class, () -> Polling.poll(Duration.ofSeconds(1), Duration.ZERO,
        () -> CompletableFuture.completedFuture(Optional.empty()), () -> {}));
    assertThrows(NullPointerException.class, () -> Polling.poll(Duration.ofSeconds(1), TICK, null, () -> {}));
  }
}
