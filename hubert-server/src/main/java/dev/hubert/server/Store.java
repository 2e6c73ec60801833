package dev.hubert.server;

import dev.hubert.envelope.Arid;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the server keeps envelopes: write-once entries that expire. Implementations are safe for
 * concurrent use; every method is one atomic step.
 *
 * <p>The server calls {@link #get} and {@link #putIfAbsentAsync} on its I/O threads: they must not
 * wait for long (a lock held across disk I/O, an fsync).
 *
 * <p>Expiry: an entry written with TTL {@code t} seconds is present for at least {@code t}
 * seconds (memory: exactly; SQLite: rounded up to the next whole Unix second, as its {@code
 * expires_at} column holds seconds) and never returned after it expired. TTL 0 is stored already
 * expired. Expired entries count as absent for {@link #putIfAbsent}, and {@link #sweep} deletes
 * them.
 */
interface Store extends AutoCloseable {
  /**
   * Stores {@code envelopeUr} at {@code arid} unless an unexpired entry is there: an atomic
   * insert, so of concurrent calls for one ARID exactly one returns {@code true}.
   *
   * @return {@code true} if stored, {@code false} if an unexpired entry already exists
   * @throws StoreException if the storage failed; nothing was stored
   */
  boolean putIfAbsent(Arid arid, String envelopeUr, long ttlSeconds);

  /**
   * {@link #putIfAbsent} without holding the calling thread while the storage works (e.g. waits
   * for an fsync). The future completes with what {@code putIfAbsent} would return, or with its
   * {@link StoreException}, possibly on a thread of the storage's own. This default stores at
   * once, on the calling thread.
   */
  default CompletableFuture<Boolean> putIfAbsentAsync(Arid arid, String envelopeUr, long ttlSeconds) {
    try {
      return CompletableFuture.completedFuture(putIfAbsent(arid, envelopeUr, ttlSeconds));
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The unexpired entry at {@code arid}, if any.
   *
   * @throws StoreException if the storage failed
   */
  Optional<String> get(Arid arid);

  /**
   * Deletes every expired entry.
   *
   * @return how many were deleted
   * @throws StoreException if the storage failed
   */
  int sweep();

  /** How the reference's startup line names this storage, e.g. {@code SQLite storage: <path>}. */
  String description();

  /** Releases files and connections; idempotent. */
  @Override
  void close();
}
