package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.describe;
import static dev.hubert.testkit.Kit.failure;
import static dev.hubert.testkit.Kit.show;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Rule 1.1: argument errors are thrown by the method, never delivered inside the future. */
final class ArgumentTester {
  private static final String CHECK = "that the method validates its arguments before it starts"
      + " any asynchronous work and throws, e.g. Objects.requireNonNull(arid, \"arid\") and"
      + " `if (ttl != null && ttl.isNegative()) throw new IllegalArgumentException(...)` as its"
      + " first lines";

  private ArgumentTester() {}

  static void putNullArid(Kit k) {
    eager(k, "put(null, envelope, null, false)", NullPointerException.class,
        () -> k.store.put(null, Fixtures.reference(), null, false));
  }

  static void putNullEnvelope(Kit k) {
    eager(k, "put(arid, null, null, false)", NullPointerException.class,
        () -> k.store.put(Kit.fresh(), null, null, false));
  }

  static void putNegativeTtl(Kit k) {
    eager(k, "put(arid, envelope, Duration.ofSeconds(-1), false)", IllegalArgumentException.class,
        () -> k.store.put(Kit.fresh(), Fixtures.reference(), Duration.ofSeconds(-1), false));
  }

  static void getNullArid(Kit k) {
    eager(k, "get(null, timeout, false)", NullPointerException.class,
        () -> k.store.get(null, k.timing.missingTimeout(), false));
  }

  static void getNegativeTimeout(Kit k) {
    eager(k, "get(arid, Duration.ofSeconds(-1), false)", IllegalArgumentException.class,
        () -> k.store.get(Kit.fresh(), Duration.ofSeconds(-1), false));
  }

  static void existsNullArid(Kit k) {
    eager(k, "exists(null)", NullPointerException.class, () -> k.store.exists(null));
  }

  private static void eager(Kit k, String call, Class<? extends RuntimeException> expected,
      Supplier<CompletableFuture<?>> invocation) {
    CompletableFuture<?> future;
    try {
      future = invocation.get();
    } catch (Throwable t) {
      if (expected.isInstance(t)) {
        return;
      }
      throw failure("1.1", call + " threw " + describe(t) + " instead of "
          + expected.getSimpleName(), CHECK, t);
    }
    if (future == null) {
      throw failure("1.1", call + " returned null instead of throwing "
          + expected.getSimpleName(), CHECK);
    }
    Kit.Outcome<?> o = Kit.settle(future, System.nanoTime(), k.timing.slack());
    String fate = !o.done ? "did not complete"
        : o.error != null ? "failed with " + describe(o.error)
        : "completed normally with " + show(o.value);
    throw failure("1.1", call + " returned a future instead of throwing "
        + expected.getSimpleName() + " (the future " + fate + ")", CHECK);
  }
}
