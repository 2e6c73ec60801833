package dev.hubert.api;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A blocking view of a {@link KvStore}, for callers who do not want futures. Each method waits for
 * the store's future and returns its value, or throws the {@link HubertException} it failed with.
 * A future that breaks the contract by failing with another exception throws a {@link
 * BackendException} with that exception as its cause (an {@link Error} is rethrown as is); a
 * cancelled future throws {@link BackendUnavailableException}. Waits end by themselves, because
 * every store future does (rule 5.3 of {@link KvStore}).
 *
 * <p>If the waiting thread is interrupted, the method restores the interrupt flag and throws
 * {@link BackendUnavailableException}; the operation itself may still complete in the background.
 */
public final class BlockingKvStore {
  private final KvStore store;

  BlockingKvStore(KvStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The asynchronous store this view waits on. */
  public KvStore async() {
    return store;
  }

  /** Blocking {@link KvStore#put(Arid, Envelope, Duration, boolean)}. */
  public Receipt put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
    return await(store.put(arid, envelope, ttl, verbose));
  }

  /** Blocking {@link KvStore#put(Arid, Envelope)}. */
  public Receipt put(Arid arid, Envelope envelope) {
    return await(store.put(arid, envelope));
  }

  /** Blocking {@link KvStore#get(Arid, Duration, boolean)}. */
  public Optional<Envelope> get(Arid arid, Duration timeout, boolean verbose) {
    return await(store.get(arid, timeout, verbose));
  }

  /** Blocking {@link KvStore#get(Arid, Duration)}. */
  public Optional<Envelope> get(Arid arid, Duration timeout) {
    return await(store.get(arid, timeout));
  }

  /** Blocking {@link KvStore#get(Arid)}. */
  public Optional<Envelope> get(Arid arid) {
    return await(store.get(arid));
  }

  /** Blocking {@link KvStore#exists(Arid)}. */
  public boolean exists(Arid arid) {
    return await(store.exists(arid));
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while waiting for the store", e);
    } catch (CancellationException e) {
      throw new BackendUnavailableException("the store operation was cancelled", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HubertException) {
        throw (HubertException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new BackendException("the store failed with " + cause
          + " instead of a HubertException (a bug in the store)", cause);
    }
  }
}
