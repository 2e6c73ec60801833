package dev.hubert.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The polling loop behind {@link KvStore#get}: repeats a lookup until it finds something or the
 * deadline passes, without holding a thread while it waits.
 *
 * <p>The returned future completes with the first non-empty result; with {@link Optional#empty()}
 * once a lookup that ended at or after the deadline found nothing (so it never completes before
 * the timeout, and at most one lookup after it: the one under way at the deadline, or started
 * there), as hubert 0.5.0's loop checks the time after each lookup; or exceptionally with the
 * first lookup failure.
 * It also completes when the store's code misbehaves: if the lookup or {@code onMiss} throws, or a
 * lookup's future is or completes with {@code null}, it fails with a {@link BackendException}
 * saying so (the cause kept; a thrown {@link HubertException} as is). Cancelling it stops the
 * polling. Lookups after the first start on a pooled daemon thread named {@code hubert-poll-n}.
 */
public final class Polling {
  private Polling() {}

  /**
   * Starts the lookups after a pause: reused daemon threads (CompletableFuture's default executor
   * starts a new thread per task on two cores or fewer); idle ones end after a minute.
   */
  private static final ExecutorService NEXT_LOOKUP =
      Executors.newCachedThreadPool(DaemonThreads.numbered("hubert-poll-"));

  /**
   * Polls {@code lookup} every {@code interval} until it yields a value or {@code timeout} passes.
   *
   * @param timeout how long to poll; zero means one lookup (longer than about 146 years counts as
   *     146 years)
   * @param interval pause between the end of one lookup and the start of the next (cut short at
   *     the deadline, so that a lookup runs then)
   * @param lookup starts one lookup; its future completes with the value found or empty
   * @param onMiss runs after each empty lookup that will be followed by another (e.g. prints a
   *     verbose dot)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code timeout} is negative or {@code interval} is not
   *     positive
   */
  public static <T> CompletableFuture<Optional<T>> poll(
      Duration timeout,
      Duration interval,
      Supplier<CompletableFuture<Optional<T>>> lookup,
      Runnable onMiss) {
    Objects.requireNonNull(lookup, "lookup");
    Objects.requireNonNull(onMiss, "onMiss");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    long deadline = System.nanoTime() + nanos(timeout);
    CompletableFuture<Optional<T>> result = new CompletableFuture<>();
    attempt(deadline, nanos(interval), lookup, onMiss, result);
    return result;
  }

  /**
   * Continues a store's call after {@code first} (a {@link #poll}, or a call to another store): the
   * returned future completes like the future {@code next} returns for first's value. It fails
   * with the exception itself that failed {@code first}, {@code next} or next's future, never with
   * a {@link CompletionException} around it (as {@code thenApply} on a failed stage would), so that
   * {@code handle} and {@code exceptionally} see the {@link HubertException} the {@link KvStore}
   * contract promises. Completing it first, by {@code cancel} for one, cancels whichever of {@code
   * first} and next's future is under way: a cancelled get stops polling.
   *
   * @param next runs on the thread that completes {@code first} (or this one, if it is complete);
   *     must not return null
   */
  public static <T, R> CompletableFuture<R> then(
      CompletableFuture<T> first, Function<? super T, ? extends CompletableFuture<R>> next) {
    Objects.requireNonNull(next, "next");
    CompletableFuture<R> result = new CompletableFuture<>();
    AtomicReference<CompletableFuture<?>> underWay = new AtomicReference<>(first);
    result.whenComplete((v, e) -> underWay.get().cancel(false));
    first.whenComplete(
        (value, error) -> {
          if (error != null) {
            result.completeExceptionally(unwrap(error));
            return;
          }
          try {
            CompletableFuture<R> second = Objects.requireNonNull(next.apply(value), "next");
            underWay.set(second);
            if (result.isDone()) {
              second.cancel(false); // cancelled while next ran
            }
            second.whenComplete(
                (r, e) -> {
                  if (e != null) {
                    result.completeExceptionally(unwrap(e));
                  } else {
                    result.complete(r);
                  }
                });
          } catch (Throwable e) {
            result.completeExceptionally(unwrap(e));
          }
        });
    return result;
  }

  private static <T> void attempt(
      long deadline,
      long intervalNanos,
      Supplier<CompletableFuture<Optional<T>>> lookup,
      Runnable onMiss,
      CompletableFuture<Optional<T>> result) {
    if (result.isDone()) {
      return; // cancelled by the caller
    }
    CompletableFuture<Optional<T>> one;
    try {
      one = lookup.get();
    } catch (Throwable e) {
      result.completeExceptionally(broken("the lookup threw", e));
      return;
    }
    if (one == null) {
      result.completeExceptionally(
          new BackendException("bug in the store: its lookup returned null instead of a future"));
      return;
    }
    one.whenComplete(
        (found, error) -> {
          try {
            if (error != null) {
              result.completeExceptionally(unwrap(error));
            } else if (found == null) {
              result.completeExceptionally(new BackendException("bug in the store: its lookup"
                  + " completed with null instead of Optional.empty()"));
            } else if (result.isDone()) {
              return; // cancelled while this lookup ran: no dot, no next lookup
            } else if (found.isPresent() || System.nanoTime() - deadline >= 0) {
              result.complete(found);
            } else {
              onMiss.run();
              long wait = Math.min(intervalNanos, Math.max(0, deadline - System.nanoTime()));
              CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS, NEXT_LOOKUP)
                  .execute(() -> attempt(deadline, intervalNanos, lookup, onMiss, result));
            }
          } catch (Throwable e) { // on a lookup's or a poll thread: nobody else would see it
            result.completeExceptionally(broken("onMiss threw", e));
          }
        });
  }

  /** {@code e} if it is a HubertException, else a BackendException naming the bug around it. */
  private static HubertException broken(String what, Throwable e) {
    return e instanceof HubertException
        ? (HubertException) e
        : new BackendException("bug in the store: " + what + " " + e, e);
  }

  /** The longest wait counted: about 146 years, so that deadlines do not overflow. */
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 2);

  /** {@code d} in nanoseconds, at most {@link #LONGEST}. */
  private static long nanos(Duration d) {
    return d.compareTo(LONGEST) > 0 ? LONGEST.toNanos() : d.toNanos();
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
