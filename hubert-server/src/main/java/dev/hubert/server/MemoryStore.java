package dev.hubert.server;

import dev.hubert.envelope.Arid;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Entries in a concurrent map, lost when the server stops. Expiry uses a monotonic clock. Unlike
 * the reference's {@code MemoryKv}, an expired entry that is still in the map counts as absent
 * (hubert 0.5.0 issue 9).
 */
final class MemoryStore implements Store {
  private final ConcurrentMap<Arid, Entry> entries = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  MemoryStore() {
    this(System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds (tests pass a fake) */
  MemoryStore(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  private static final class Entry {
    final String envelopeUr;
    final long expiresAtNanos;

    Entry(String envelopeUr, long expiresAtNanos) {
      this.envelopeUr = envelopeUr;
      this.expiresAtNanos = expiresAtNanos;
    }

    boolean expired(long now) {
      return now - expiresAtNanos >= 0;
    }
  }

  @Override
  public boolean putIfAbsent(Arid arid, String envelopeUr, long ttlSeconds) {
    long now = nanoClock.getAsLong();
    // ttl is clamped by the server to max_ttl; cap again so the sum cannot overflow
    long ttlNanos = Math.min(ttlSeconds, Long.MAX_VALUE / 4_000_000_000L) * 1_000_000_000L;
    Entry fresh = new Entry(envelopeUr, now + ttlNanos);
    Entry result =
        entries.compute(arid, (k, old) -> old == null || old.expired(now) ? fresh : old);
    return result == fresh;
  }

  @Override
  public Optional<String> get(Arid arid) {
    Entry e = entries.get(arid);
    if (e == null || e.expired(nanoClock.getAsLong())) {
      return Optional.empty();
    }
    return Optional.of(e.envelopeUr);
  }

  @Override
  public int sweep() {
    long now = nanoClock.getAsLong();
    int[] removed = {0};
    entries.forEach(
        (arid, e) -> {
          if (e.expired(now) && entries.remove(arid, e)) {
            removed[0]++;
          }
        });
    return removed[0];
  }

  @Override
  public String description() {
    return "in-memory storage";
  }

  @Override
  public void close() {
    entries.clear();
  }
}
