package dev.hubert.api;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The future a store hands to its caller (rule 5.2 of {@link KvStore}): it takes the outcome of
 * {@code source}, a future completed on one of the store's own I/O threads (a DHT node's thread,
 * an HTTP client's selector), without running the caller's dependent stages there (but see the
 * exception below). A stage that blocks, even on another call to the same store, therefore never
 * holds up the thread that must complete that call.
 *
 * <p>Normally the outcome is moved over on {@code executor}, so stages added with {@code
 * thenApply} and the like run there. But when a thread is blocked in {@link #get()}, {@link
 * #get(long, TimeUnit)} or {@link #join()}, the I/O thread only wakes it and that thread moves the
 * outcome over itself (running any dependents on its own thread): one thread hand-off fewer for
 * the common blocking call. Either way dependents do not run on the I/O thread, with one
 * exception: if {@code executor} rejects the hand-over (it was shut down, e.g. while the store
 * closes), the outcome is moved over, and dependents run, on the I/O thread rather than never. A
 * store that knows the outcome is about to arrive can call {@link #soon()}, so that blocked
 * callers are already awake when it does.
 *
 * @param <T> the result type
 */
public final class Delivered<T> extends CompletableFuture<T> {
  private final CompletableFuture<T> source;
  private final Executor executor;
  /**
   * How long a caller woken by {@link #soon()} spins for the outcome before it blocks again (0 on
   * a single processor: no early wake-up there).
   */
  static final long SPIN_NANOS =
      Runtime.getRuntime().availableProcessors() > 1 ? TimeUnit.MICROSECONDS.toNanos(250) : 0;
  /** Completed when the source or this future completes. */
  private final CompletableFuture<Void> arrived = new CompletableFuture<>();
  /** Completed with {@link #arrived}, or before by {@link #soon()}: what blocked callers wait for. */
  private final CompletableFuture<Void> wake = new CompletableFuture<>();
  /** Threads blocked in get/join; while there are any, they move the outcome over. */
  private final AtomicInteger waiters = new AtomicInteger();

  private Delivered(CompletableFuture<T> source, Executor executor) {
    this.source = source;
    this.executor = executor;
    super.whenComplete((v, e) -> arrive());
    source.whenComplete((v, e) -> sourceDone());
  }

  /**
   * A future that completes like {@code source}, running dependent stages on {@code executor} or
   * on a thread blocked waiting for it, not on the thread that completes {@code source} unless
   * {@code executor} rejects the task (it was shut down).
   */
  public static <T> Delivered<T> of(CompletableFuture<T> source, Executor executor) {
    return new Delivered<>(Objects.requireNonNull(source, "source"),
        Objects.requireNonNull(executor, "executor"));
  }

  /** On the thread that completed the source (normally the DHT thread). */
  private void sourceDone() {
    arrive();
    // a waiter that stops waiting re-checks the source after leaving, so one of the two settles
    if (waiters.get() == 0) {
      try {
        executor.execute(this::settle);
      } catch (RejectedExecutionException e) {
        settle(); // the executor is shut down (the store is closing): better here than never
      }
    }
  }

  private void arrive() {
    arrived.complete(null);
    wake.complete(null);
  }

  /**
   * Says the source is about to complete (a value is in and being checked or decoded): threads
   * blocked in {@link #get()}, {@link #get(long, TimeUnit)} or {@link #join()} wake now and spin
   * for the outcome, for at most 250 µs before they block again, so that they are running when it
   * arrives rather than being woken after it (a wake-up costs tens of µs, more on a virtual
   * machine). A hint only: harmless if the source takes longer or never completes. Does nothing
   * on a single processor, where a spinning caller would only hold up the thread completing the
   * source. Any thread.
   */
  public void soon() {
    if (SPIN_NANOS > 0) {
      wake.complete(null);
    }
  }

  /** After an early wake-up: spins until the outcome arrives or {@link #SPIN_NANOS} pass. */
  private void spin() {
    long end = System.nanoTime() + SPIN_NANOS;
    while (!arrived.isDone() && System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  /** Moves the source's outcome over, unless this future is already complete. */
  private void settle() {
    if (isDone() || !source.isDone()) {
      return;
    }
    try {
      complete(source.join());
    } catch (CompletionException | CancellationException e) {
      completeExceptionally(unwrap(e));
    }
  }

  /**
   * Fails its source and this future (so nothing waits on a source that will never complete): the
   * source first, so that whoever sees this future failed finds the source failed too.
   */
  public void fail(Throwable error) {
    source.completeExceptionally(error);
    completeExceptionally(error);
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (!isDone()) {
      waiters.incrementAndGet();
      try {
        wake.get();
        spin();
        arrived.get();
      } finally {
        waiters.decrementAndGet();
        settle();
      }
    }
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (isDone()) {
      return super.get();
    }
    long end = System.nanoTime() + unit.toNanos(timeout);
    waiters.incrementAndGet();
    try {
      wake.get(timeout, unit);
      spin();
      arrived.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
    } finally {
      waiters.decrementAndGet();
      settle();
    }
    return super.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  @Override
  public T join() {
    if (!isDone()) {
      waiters.incrementAndGet();
      try {
        wake.join();
        spin();
        arrived.join();
      } finally {
        waiters.decrementAndGet();
        settle();
      }
    }
    return super.join();
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
