package dev.hubert.testkit;

import dev.hubert.api.Checks;
import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.DecodeException;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The reference {@link KvStore}: envelopes kept in this JVM's memory, with TTLs, a polling {@code
 * get} and the reference's verbose lines. It passes the whole conformance suite; use it to compare
 * your store's behaviour, in demos, and in tests that need a store but not a network.
 *
 * <p>Like the reference's {@code MemoryKv} (hubert 0.5.0), it keeps each envelope's CBOR bytes and
 * decodes them on {@code get}; {@code get} polls every {@linkplain Builder#pollInterval 500 ms}
 * until its deadline; {@code put} answers with the receipt {@value #RECEIPT}. It differs in two
 * ways, both following the {@link KvStore} contract:
 *
 * <ul>
 *   <li>An expired value counts as absent everywhere: {@code put} may store a new value at its ARID
 *       (the reference refuses until a lookup has removed it, known issue 9), and {@code get} goes
 *       on polling until its deadline instead of returning at once.
 *   <li>Stored bytes that do not decode fail the {@code get} with {@link CorruptValueException}
 *       instead of reading as "not found".
 * </ul>
 *
 * <p>Verbose lines (rule 6.1): {@code PUT <ur:arid>[ (TTL <n>s)] OK (Memory)}, {@code PUT <ur:arid>
 * ALREADY_EXISTS}, {@code Polling for <ur:arid> (timeout: <n>s)} then a dot per further miss,
 * {@code GET <ur:arid> OK (Memory)}, {@code GET <ur:arid> EXPIRED} and {@code GET <ur:arid>
 * NOT_FOUND (timeout after <n>s)}. A TTL or timeout that is not whole seconds prints as {@code
 * <n>ms}.
 *
 * <p>Thread-safe. Puts and {@code exists} complete before they return; {@code get} polls on {@link
 * Polling}'s {@code hubert-poll-n} threads and holds no thread while it waits. Two instances
 * share their entries only when built with {@link Builder#sharingEntriesWith}, which models two
 * parties on one backend.
 */
public final class InMemoryKvStore implements KvStore {
  /** The receipt text of every successful put, as the reference's {@code MemoryKv}. */
  public static final String RECEIPT = "Stored in memory";

  private static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  private final ConcurrentMap<Arid, Entry> entries;
  private final Duration defaultTimeout;
  private final Duration pollInterval;
  private final long maxValueSize;
  private volatile boolean closed;

  private InMemoryKvStore(Builder b) {
    this.entries = b.shared == null ? new ConcurrentHashMap<>() : b.shared.entries;
    this.defaultTimeout = b.defaultTimeout;
    this.pollInterval = b.pollInterval;
    this.maxValueSize = b.maxValueSize;
  }

  /** A store with the reference's settings: 30 s default timeout, 500 ms polls, no size limit. */
  public static InMemoryKvStore create() {
    return builder().build();
  }

  /** A builder starting from the settings of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Completes before it returns.
   */
  @Override
  public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl,
      boolean verbose) {
    Checks.put(arid, envelope, ttl);
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    byte[] cbor = envelope.toCborData();
    if (maxValueSize > 0 && cbor.length > maxValueSize) {
      return CompletableFuture.failedFuture(
          new ValueTooLargeException("envelope", cbor.length, maxValueSize, "in-memory store"));
    }
    Entry fresh = new Entry(cbor, System.nanoTime(), ttl == null ? Long.MAX_VALUE : nanos(ttl));
    Entry stored = entries.merge(arid, fresh,
        (old, neu) -> old.expiredAt(System.nanoTime()) ? neu : old);
    String ur = arid.urString();
    if (stored != fresh) {
      if (verbose) {
        VerboseLog.println("PUT " + ur + " ALREADY_EXISTS");
      }
      return CompletableFuture.failedFuture(new AlreadyExistsException(arid, ur));
    }
    if (verbose) {
      VerboseLog.println(
          "PUT " + ur + (ttl == null ? "" : " (TTL " + seconds(ttl) + ")") + " OK (Memory)");
    }
    return CompletableFuture.completedFuture(Receipt.of(RECEIPT));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Looks up at once, then every poll interval, and once more at the deadline. Cancelling the
   * future stops the polling.
   */
  @Override
  public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
    Checks.get(arid, timeout);
    Duration wait = timeout == null ? defaultTimeout : timeout;
    GetLog log = new GetLog(arid.urString(), wait, verbose);
    return Polling.then(Polling.poll(wait, pollInterval, () -> lookup(arid, log), log::miss),
        found -> CompletableFuture.completedFuture(log.done(found)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Completes before it returns; an expired entry it finds is removed.
   */
  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    Objects.requireNonNull(arid, "arid");
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    return CompletableFuture.completedFuture(live(arid) != null);
  }

  @Override
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /**
   * Closes this instance: its later calls, and gets still polling, fail with {@link
   * BackendUnavailableException}. Entries shared with other instances stay readable there.
   */
  @Override
  public void close() {
    closed = true;
  }

  /** Stores raw bytes at {@code arid}, as a damaged backend would; for the kit's own tests. */
  void putRaw(Arid arid, byte[] bytes) {
    entries.put(arid, new Entry(bytes.clone(), System.nanoTime(), Long.MAX_VALUE));
  }

  private CompletableFuture<Optional<Envelope>> lookup(Arid arid, GetLog log) {
    if (closed) {
      return CompletableFuture.failedFuture(closedException());
    }
    Entry e = entries.get(arid);
    if (e != null && e.expiredAt(System.nanoTime())) {
      entries.remove(arid, e);
      log.expired();
      e = null;
    }
    if (e == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      return CompletableFuture.completedFuture(Optional.of(Envelope.fromCborData(e.cbor)));
    } catch (DecodeException ex) {
      return CompletableFuture.failedFuture(new CorruptValueException(
          "the value stored at " + arid.urString() + " is not an envelope: " + ex.getMessage(),
          ex));
    }
  }

  /** The unexpired entry at {@code arid}, removing an expired one. */
  private Entry live(Arid arid) {
    Entry e = entries.get(arid);
    if (e != null && e.expiredAt(System.nanoTime())) {
      entries.remove(arid, e);
      return null;
    }
    return e;
  }

  private static BackendUnavailableException closedException() {
    return new BackendUnavailableException(
        "this in-memory store is closed: create a new InMemoryKvStore");
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * {@code 3s} for whole seconds, as the reference prints them, else {@code 1500ms}; seconds too
   * for durations beyond a long of milliseconds.
   */
  static String seconds(Duration d) {
    boolean whole = d.toMillisPart() == 0 || d.toSeconds() >= Long.MAX_VALUE / 1000;
    return whole ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** Stored CBOR and when it expires; {@code ttlNanos == Long.MAX_VALUE} never expires. */
  private static final class Entry {
    final byte[] cbor;
    final long storedAt;
    final long ttlNanos;

    Entry(byte[] cbor, long storedAt, long ttlNanos) {
      this.cbor = cbor;
      this.storedAt = storedAt;
      this.ttlNanos = ttlNanos;
    }

    boolean expiredAt(long now) {
      return ttlNanos != Long.MAX_VALUE && now - storedAt >= ttlNanos;
    }
  }

  /** The verbose lines of one get; its callbacks run one after another, never concurrently. */
  private static final class GetLog {
    private final String ur;
    private final Duration timeout;
    private final boolean verbose;
    private boolean polling;
    private boolean dots;

    GetLog(String ur, Duration timeout, boolean verbose) {
      this.ur = ur;
      this.timeout = timeout;
      this.verbose = verbose;
    }

    void expired() {
      line("GET " + ur + " EXPIRED");
    }

    void miss() {
      if (!verbose) {
        return;
      }
      if (polling) {
        VerboseLog.dot();
        dots = true;
      } else {
        polling = true;
        VerboseLog.println("Polling for " + ur + " (timeout: " + seconds(timeout) + ")");
      }
    }

    Optional<Envelope> done(Optional<Envelope> found) {
      line(found.isPresent()
          ? "GET " + ur + " OK (Memory)"
          : "GET " + ur + " NOT_FOUND (timeout after " + seconds(timeout) + ")");
      return found;
    }

    private void line(String message) {
      if (verbose) {
        if (dots) {
          VerboseLog.newline();
          dots = false;
        }
        VerboseLog.println(message);
      }
    }
  }

  /** Builds an {@link InMemoryKvStore}. */
  public static final class Builder {
    private Duration defaultTimeout = KvStore.DEFAULT_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private long maxValueSize;
    private InMemoryKvStore shared;

    private Builder() {}

    /**
     * The timeout of a {@code get} given none; 30 s by default.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = Checks.nonNegative(timeout, "defaultTimeout");
      return this;
    }

    /**
     * The pause between two lookups of a polling {@code get}; 500 ms by default, as the reference.
     *
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Checks.positive(interval, "pollInterval");
      return this;
    }

    /**
     * Refuse envelopes whose {@code toCborData()} is longer than {@code bytes}, with {@link
     * ValueTooLargeException}; by default there is no limit.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder maxValueSize(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxValueSize must be positive, got " + bytes);
      }
      this.maxValueSize = bytes;
      return this;
    }

    /**
     * Share the entries of {@code other}: the new store sees what {@code other} stores and the
     * other way round, like two parties' clients of one backend. Each keeps its own settings and
     * its own closed state.
     */
    public Builder sharingEntriesWith(InMemoryKvStore other) {
      this.shared = Objects.requireNonNull(other, "other");
      return this;
    }

    /** Returns a new store. */
    public InMemoryKvStore build() {
      return new InMemoryKvStore(this);
    }
  }
}
