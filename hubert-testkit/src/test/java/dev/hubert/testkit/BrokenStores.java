package dev.hubert.testkit;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Deliberately broken stores, each breaking one rule of the contract, for the self-tests. */
final class BrokenStores {
  private BrokenStores() {}

  /** Forwards everything to a healthy in-memory store; subclasses break one thing. */
  static class Forwarding implements KvStore {
    final InMemoryKvStore delegate;

    Forwarding(InMemoryKvStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      return delegate.put(arid, envelope, ttl, verbose);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return delegate.get(arid, timeout, verbose);
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return delegate.exists(arid);
    }

    @Override
    public Duration defaultTimeout() {
      return delegate.defaultTimeout();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** Acknowledges puts and stores nothing. */
  static final class LosesWrites extends Forwarding {
    LosesWrites(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      Objects.requireNonNull(arid, "arid");
      Objects.requireNonNull(envelope, "envelope");
      return CompletableFuture.completedFuture(Receipt.of("Stored nowhere"));
    }
  }

  /**
   * A plain map: with {@code checkFirst} false every put overwrites; with it true a put checks and
   * then writes in two steps, with a pause between them in which racing puts slip through.
   */
  static final class MapStore implements KvStore {
    private final ConcurrentHashMap<Arid, Envelope> map = new ConcurrentHashMap<>();
    private final boolean checkFirst;
    private volatile boolean closed;

    MapStore(boolean checkFirst) {
      this.checkFirst = checkFirst;
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      Objects.requireNonNull(arid, "arid");
      Objects.requireNonNull(envelope, "envelope");
      if (ttl != null && ttl.isNegative()) {
        throw new IllegalArgumentException("negative ttl");
      }
      if (closed) {
        return CompletableFuture.failedFuture(new BackendUnavailableException("closed"));
      }
      if (checkFirst) {
        if (map.containsKey(arid)) {
          return CompletableFuture.failedFuture(new AlreadyExistsException(arid, arid.hex()));
        }
        pause(50);
      }
      map.put(arid, envelope);
      if (verbose) {
        VerboseLog.println("PUT " + arid.hex() + " OK (Map)");
      }
      return CompletableFuture.completedFuture(Receipt.of("Stored in a map"));
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      Objects.requireNonNull(arid, "arid");
      if (timeout != null && timeout.isNegative()) {
        throw new IllegalArgumentException("negative timeout");
      }
      return Polling.poll(timeout == null ? defaultTimeout() : timeout, Duration.ofMillis(20),
          () -> closed ? CompletableFuture.failedFuture(new BackendUnavailableException("closed"))
              : CompletableFuture.completedFuture(Optional.ofNullable(map.get(arid))),
          verbose ? VerboseLog::dot : () -> {});
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      Objects.requireNonNull(arid, "arid");
      return closed ? CompletableFuture.failedFuture(new BackendUnavailableException("closed"))
          : CompletableFuture.completedFuture(map.containsKey(arid));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Scales every get timeout: below 1 it returns early, above 1 it returns late. */
  static final class ScaledTimeout extends Forwarding {
    private final Duration extra;
    private final long divisor;

    ScaledTimeout(InMemoryKvStore d, long divisor, Duration extra) {
      super(d);
      this.divisor = divisor;
      this.extra = extra;
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      Duration t = timeout == null ? defaultTimeout() : timeout;
      return super.get(arid, t.dividedBy(divisor).plus(extra), verbose);
    }
  }

  /** A get that finds nothing at its first lookup never completes. */
  static final class NeverTimesOut extends Forwarding {
    NeverTimesOut(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return super.get(arid, Duration.ZERO, verbose)
          .thenCompose(o -> o.isPresent() ? CompletableFuture.completedFuture(o)
              : new CompletableFuture<>());
    }
  }

  /** Returns a copy of each get's future: cancelling the copy leaves the polling running. */
  static final class IgnoresCancel extends Forwarding {
    IgnoresCancel(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return super.get(arid, timeout, verbose).copy();
    }
  }

  /** Prints no polling dots: a verbose get prints its lines only. */
  static final class NoDots extends Forwarding {
    NoDots(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      if (verbose) {
        VerboseLog.println("GET " + arid.urString());
      }
      return super.get(arid, timeout, false);
    }
  }

  /** Validates arguments inside the future instead of in the call. */
  static final class LazyArguments extends Forwarding {
    LazyArguments(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      return later(() -> super.put(arid, envelope, ttl, verbose));
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return later(() -> super.get(arid, timeout, verbose));
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return later(() -> super.exists(arid));
    }

    private static <T> CompletableFuture<T> later(Supplier<CompletableFuture<T>> call) {
      return CompletableFuture.supplyAsync(call).thenCompose(f -> f);
    }
  }

  /** Returns another envelope than the one stored. */
  static final class DifferentEnvelope extends Forwarding {
    DifferentEnvelope(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return super.get(arid, timeout, verbose)
          .thenApply(o -> o.map(e -> Envelope.of("not what was put")));
    }
  }

  /** Stores the elided form of each envelope: the same digest, not the envelope put. */
  static final class StoresElided extends Forwarding {
    StoresElided(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      return super.put(arid, envelope.elide(), ttl, verbose);
    }
  }

  /** Fails its futures with a CompletionException around the HubertException (thenApply). */
  static final class WrapsFailures extends Forwarding {
    WrapsFailures(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      return super.put(arid, envelope, ttl, verbose).thenApply(r -> r);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return super.get(arid, timeout, verbose).thenApply(o -> o);
    }
  }

  /** Drops the TTL of every put. */
  static final class IgnoresTtl extends Forwarding {
    IgnoresTtl(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      if (ttl != null && ttl.isNegative()) {
        throw new IllegalArgumentException("negative ttl");
      }
      return super.put(arid, envelope, null, verbose);
    }
  }

  /** Prints to System.out on every put, verbose or not. */
  static final class Noisy extends Forwarding {
    Noisy(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      System.out.println("storing " + envelope);
      return super.put(arid, envelope, ttl, verbose);
    }
  }

  /** Prints its verbose lines with System.out instead of VerboseLog, without timestamps. */
  static final class VerboseToStdout extends Forwarding {
    VerboseToStdout(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      if (verbose) {
        System.out.println("PUT " + arid.hex());
      }
      return super.put(arid, envelope, ttl, false);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      if (verbose) {
        System.out.println("GET " + arid.hex());
      }
      return super.get(arid, timeout, false);
    }
  }

  /**
   * Futures that make progress only when the thread that called the store waits on them, like the
   * reference's {@code !Send} futures.
   */
  static final class ThreadBound extends Forwarding {
    ThreadBound(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      Objects.requireNonNull(arid, "arid");
      Objects.requireNonNull(envelope, "envelope");
      return new BoundFuture<>(() -> super.put(arid, envelope, ttl, verbose));
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      Objects.requireNonNull(arid, "arid");
      return new BoundFuture<>(() -> super.get(arid, timeout, verbose));
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      Objects.requireNonNull(arid, "arid");
      return new BoundFuture<>(() -> super.exists(arid));
    }
  }

  /**
   * Completes every future on its one "I/O thread", where the caller's dependent stages then run
   * too: a stage that waits for another call to the store waits for itself.
   */
  static final class OneIoThread extends Forwarding {
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "broken-store-io");
      t.setDaemon(true);
      return t;
    });

    OneIoThread(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      return super.put(arid, envelope, ttl, verbose).thenApplyAsync(r -> r, io);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return super.get(arid, timeout, verbose).thenApplyAsync(e -> e, io);
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return super.exists(arid).thenApplyAsync(b -> b, io);
    }

    @Override
    public void close() {
      io.shutdownNow();
      super.close();
    }
  }

  /** Starts its work only when its creating thread calls get or join. */
  static final class BoundFuture<T> extends CompletableFuture<T> {
    private final Thread owner = Thread.currentThread();
    private final Supplier<CompletableFuture<T>> work;
    private final AtomicBoolean started = new AtomicBoolean();

    BoundFuture(Supplier<CompletableFuture<T>> work) {
      this.work = work;
    }

    private void pump() {
      if (Thread.currentThread() == owner && started.compareAndSet(false, true)) {
        work.get().whenComplete((v, e) -> {
          if (e != null) {
            completeExceptionally(e);
          } else {
            complete(v);
          }
        });
      }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      pump();
      return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      pump();
      return super.get(timeout, unit);
    }

    @Override
    public T join() {
      pump();
      return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  /** An exists that waits before it answers, as if it polled. */
  static final class SlowExists extends Forwarding {
    private final Duration delay;

    SlowExists(InMemoryKvStore d, Duration delay) {
      super(d);
      this.delay = delay;
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      Objects.requireNonNull(arid, "arid");
      Executor later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
      return CompletableFuture.supplyAsync(() -> null, later)
          .thenCompose(x -> super.exists(arid));
    }
  }

  /** Keeps working after close. */
  static final class IgnoresClose extends Forwarding {
    IgnoresClose(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public void close() {}
  }

  /** Reads undecodable bytes as "nothing there", as the reference's MemoryKv does. */
  static final class CorruptReadsEmpty extends Forwarding {
    CorruptReadsEmpty(InMemoryKvStore d) {
      super(d);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return super.get(arid, timeout, verbose).exceptionally(e -> {
        if (Kit.unwrap(e) instanceof CorruptValueException) {
          return Optional.empty();
        }
        throw new java.util.concurrent.CompletionException(e);
      });
    }
  }

  /** Nothing it returns ever completes: a backend that never answers, without a deadline. */
  static final class Unresponsive implements KvStore {
    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
        boolean verbose) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
        boolean verbose) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return new CompletableFuture<>();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
