package dev.hubert.testkit;

import dev.hubert.api.HubertException;
import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestReporter;
import org.opentest4j.AssertionFailedError;

/**
 * What one conformance test works with: the store, the second party, the declared capabilities and
 * timing, and the helpers that turn outcomes into rule-numbered failures and skips.
 */
final class Kit {
  final KvStore store;
  /** The second party's store; the same object as {@link #store} when none was provided. */
  final KvStore second;
  final Capabilities caps;
  final Timing timing;
  final TestReporter reporter;
  private final KvStoreConformance suite;

  Kit(KvStoreConformance suite, KvStore store, KvStore second, Capabilities caps, Timing timing,
      TestReporter reporter) {
    this.suite = suite;
    this.store = store;
    this.second = second;
    this.caps = caps;
    this.timing = timing;
    this.reporter = reporter;
  }

  KvStoreConformance suite() {
    return suite;
  }

  // ---- failures and skips --------------------------------------------------------------------

  /** A failure naming the rule, what happened, and what the implementer should check. */
  static AssertionFailedError failure(String rule, String what, String check) {
    return new AssertionFailedError("[rule " + rule + "] " + what + ". If this fails, check " + check);
  }

  static AssertionFailedError failure(String rule, String what, String check, Throwable cause) {
    return new AssertionFailedError(
        "[rule " + rule + "] " + what + ". If this fails, check " + check, cause);
  }

  /** Reports the test as skipped (aborted), saying why and what to declare or implement. */
  static void skip(String rule, String why, String toRun) {
    Assumptions.abort("[rule " + rule + "] not checked: " + why + ". To check it, " + toRun);
  }

  static void check(boolean ok, String rule, String what, String check) {
    if (!ok) {
      throw failure(rule, what, check);
    }
  }

  // ---- awaiting futures ----------------------------------------------------------------------

  /** How a future ended within a limit. */
  static final class Outcome<T> {
    final boolean done;
    final T value;
    final Throwable error;
    /** The failure as {@code handle} and {@code whenComplete} saw it, wrappers and all. */
    final Throwable raw;
    /** From the start mark to completion (or to the give-up time). */
    final long elapsedNanos;

    Outcome(boolean done, T value, Throwable error, Throwable raw, long elapsedNanos) {
      this.done = done;
      this.value = value;
      this.error = error;
      this.raw = raw;
      this.elapsedNanos = elapsedNanos;
    }

    Duration elapsed() {
      return Duration.ofNanos(elapsedNanos);
    }
  }

  /**
   * Waits up to {@code limit} for {@code future} and records when it completed, measured from
   * {@code startNanos} (a {@link System#nanoTime()} taken before the call that made the future).
   */
  static <T> Outcome<T> settle(CompletableFuture<T> future, long startNanos, Duration limit) {
    long[] doneAt = {0};
    boolean[] seen = {false};
    Throwable[] raw = {null};
    CompletableFuture<T> noted = future.whenComplete((v, e) -> {
      synchronized (doneAt) {
        doneAt[0] = System.nanoTime();
        seen[0] = true;
        raw[0] = e;
      }
    });
    long remaining = limit.toNanos() - (System.nanoTime() - startNanos);
    try {
      T value = future.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
      return new Outcome<>(true, value, null, null, completedAt(doneAt, seen, startNanos));
    } catch (TimeoutException e) {
      return new Outcome<>(false, null, null, null, System.nanoTime() - startNanos);
    } catch (ExecutionException | CancellationException e) {
      long at = completedAt(doneAt, seen, startNanos);
      // get may return before the action above has run: wait for it, briefly
      noted.handle((v, x) -> x).completeOnTimeout(null, 1, TimeUnit.SECONDS).join();
      synchronized (doneAt) {
        return new Outcome<>(true, null, unwrap(e), seen[0] ? raw[0] : unwrap(e), at);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted while waiting for the store", e);
    }
  }

  private static long completedAt(long[] doneAt, boolean[] seen, long startNanos) {
    synchronized (doneAt) {
      return (seen[0] ? doneAt[0] : System.nanoTime()) - startNanos;
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Waits for a future that must succeed; fails with the rule if it fails or does not complete
   * within {@code limit}.
   */
  <T> T expectValue(CompletableFuture<T> future, Duration limit, String rule, String call,
      String check) {
    Outcome<T> o = settle(future, System.nanoTime(), limit);
    return value(o, limit, rule, call, check);
  }

  <T> T value(Outcome<T> o, Duration limit, String rule, String call, String check) {
    if (!o.done) {
      throw hang(rule, call, limit);
    }
    if (o.error != null) {
      throw failure(rule, call + " failed with " + describe(o.error), check, o.error);
    }
    return o.value;
  }

  /**
   * Waits for a future that must fail with {@code type}; fails with the rule if it succeeds, fails
   * otherwise, or does not complete within {@code limit}.
   */
  <E extends Throwable> E expectFailure(CompletableFuture<?> future, Class<E> type, Duration limit,
      String rule, String call, String check) {
    Outcome<?> o = settle(future, System.nanoTime(), limit);
    if (!o.done) {
      throw hang(rule, call, limit);
    }
    if (o.error == null) {
      throw failure(rule, call + " completed normally with " + show(o.value)
          + " instead of failing with " + type.getSimpleName(), check);
    }
    if (!type.isInstance(o.error)) {
      throw failure(rule, call + " failed with " + describe(o.error) + " instead of "
          + type.getSimpleName(), check, o.error);
    }
    checkUnwrapped(o, rule, call);
    return type.cast(o.error);
  }

  /** Rule 5.6: a future that failed with a HubertException failed with it, not a wrapper. */
  static void checkUnwrapped(Outcome<?> o, String rule, String call) {
    if (o.error instanceof HubertException && !(o.raw instanceof HubertException)) {
      String wrapper = o.raw.getClass().getSimpleName();
      throw failure(rule, call + " failed with " + wrapper + " around the "
          + o.error.getClass().getSimpleName()
          + ", which is what handle, whenComplete and exceptionally see",
          "that the future fails with the HubertException itself (rule 5.6): supplyAsync with a"
              + " throwing supplier, and thenApply or thenCompose on a failed stage, wrap the"
              + " exception in CompletionException; complete a new future from whenComplete with"
              + " the cause, or use Polling.then", o.raw);
    }
  }

  /** A failure for a future that did not complete in time. */
  AssertionFailedError hang(String rule, String call, Duration limit) {
    return failure(rule, call + " did not complete within " + limit.toMillis() + " ms",
        "that every future completes by itself (rule 5.3): every network wait needs a deadline."
            + " On a slow machine raise " + Timing.OPERATION_TIMEOUT_PROPERTY + " / "
            + Timing.SLACK_PROPERTY + " (now " + timing + ")");
  }

  static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  static String show(Object value) {
    String s = String.valueOf(value);
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  static String ms(Duration d) {
    return d.toMillis() + " ms";
  }

  // ---- ARIDs and limits ----------------------------------------------------------------------

  static Arid fresh() {
    return Arid.random();
  }

  /** The limit for a {@code get} with {@code timeout}: timeout plus slack, or plus the hang guard. */
  Duration getLimit(Duration timeout) {
    return timeout.plus(caps.exactTimeoutBounds() ? timing.slack() : timing.operationTimeout());
  }

  Duration op() {
    return timing.operationTimeout();
  }

  boolean hasSecondParty() {
    return second != null && second != store;
  }
}
