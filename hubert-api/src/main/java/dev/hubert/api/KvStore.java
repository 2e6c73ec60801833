package dev.hubert.api;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A write-once key-value store of {@linkplain Envelope envelopes} addressed by {@linkplain Arid
 * ARIDs}: one party puts an envelope once at an ARID, the other parties, who got the ARID out of
 * band, poll until it appears.
 *
 * <p>The numbered rules below are the contract. Every implementation must follow them, and the
 * conformance kit ({@code hubert-testkit}) checks them by number.
 *
 * <h2>1. Arguments</h2>
 *
 * <ol>
 *   <li value="1">Argument errors are thrown by the method itself, before any future is returned:
 *       a {@code null} ARID or envelope throws {@link NullPointerException}; a negative TTL or a
 *       negative timeout throws {@link IllegalArgumentException}. They are never delivered inside a
 *       future. (A {@code null} TTL or timeout is not an error: it means the store's default.)
 * </ol>
 *
 * <h2>2. put</h2>
 *
 * <ol>
 *   <li value="1">{@link #put} completes normally with a {@link Receipt} once the envelope is stored
 *       so that {@link #get} by any party holding the ARID will find it.
 *   <li value="2">Write-once: if something is already stored at the ARID, the future completes
 *       exceptionally with {@link AlreadyExistsException}, and what was stored first is unchanged.
 *       Of several concurrent puts at one ARID, at most one succeeds where the store can decide
 *       atomically; a store that cannot (a DHT without node-side create-if-absent) says so.
 *   <li value="3">A value larger than the store accepts completes with {@link
 *       ValueTooLargeException}, before anything is written.
 *   <li value="4">The TTL is a request: a store that supports expiry keeps the value at most about
 *       that long (it may clamp it to its own maximum); a store without expiry ignores it. {@code
 *       null} means the store's default. An expired value counts as absent: {@code put} may store a
 *       new value at its ARID, {@code get} and {@code exists} do not find it.
 *   <li value="5">Network or storage faults complete with a {@link HubertException} subtype
 *       ({@link BackendUnavailableException} when the backend cannot be reached or does not answer
 *       in time, {@link BackendException} when it answered with an error).
 * </ol>
 *
 * <h2>3. get</h2>
 *
 * <ol>
 *   <li value="1">{@link #get} polls until the envelope is found, then completes with it. The
 *       envelope is identical to the one put ({@link Envelope#isIdenticalTo}): the same structure
 *       and bytes, not merely the same digest (an elided form of it has that too).
 *   <li value="2">If nothing is found before the timeout, the future completes normally with
 *       {@link Optional#empty()}: a timeout is not an error. It completes no earlier than the
 *       timeout and not much later than the timeout plus one backend round trip.
 *   <li value="3">A {@code null} timeout means the store's {@linkplain #defaultTimeout() default}
 *       (30 seconds, as in the reference). A zero timeout means one lookup, no waiting.
 *   <li value="4">Stored bytes that do not decode to an envelope complete with {@link
 *       CorruptValueException}; network or storage faults as in rule 2.5. A store may retry
 *       transient faults until the deadline, but never past it.
 *   <li value="5">An expired value is never returned.
 * </ol>
 *
 * <h2>4. exists</h2>
 *
 * <ol>
 *   <li value="1">{@link #exists} does one lookup and completes with {@code true} if something is
 *       stored at the ARID, {@code false} otherwise; it does not poll. Faults as in rule 2.5.
 * </ol>
 *
 * <h2>5. Threads and completion</h2>
 *
 * <ol>
 *   <li value="1">A store is safe for concurrent use by any number of threads.
 *   <li value="2">Futures may be awaited, composed and completed-upon on any thread; nothing is
 *       bound to the calling thread (unlike the reference's {@code !Send} futures). Dependent
 *       stages never run on a thread the store needs to complete other calls, so a stage may
 *       block, even on another call to the same store ({@link Delivered} helps implementations).
 *   <li value="3">Every future completes by itself: every network wait has a deadline. Cancelling
 *       a future does not undo a write that already reached the backend.
 *   <li value="4">After {@link #close()}, new calls complete exceptionally with {@link
 *       BackendUnavailableException}.
 *   <li value="5">Cancelling the future of a {@link #get} stops its polling: no lookup starts
 *       after the cancel, and one under way may be abandoned. A verbose get's dots stop with it
 *       (at most one more, from a lookup that was under way).
 *   <li value="6">A future that these rules make fail with a {@link HubertException} (rules 2.2,
 *       2.3, 2.5, 3.4, 4.1, 5.4) fails with that exception itself: {@code handle}, {@code
 *       whenComplete} and {@code exceptionally} see it, not a {@link
 *       java.util.concurrent.CompletionException} around it ({@code join()} and {@code get()} wrap
 *       it as they always do). The common pitfall: a {@code supplyAsync} whose supplier throws, or
 *       {@code thenApply} or {@code thenCompose} on a failed stage, fails with a {@code
 *       CompletionException} around the exception; chaining with {@link Polling#then}, or
 *       completing a fresh future with the unwrapped cause, avoids it.
 * </ol>
 *
 * <h2>6. Verbose mode</h2>
 *
 * <ol>
 *   <li value="1">With {@code verbose} set, an operation prints the reference's progress lines
 *       ({@code [YYYY-MM-DDTHH:MM:SS.mmmZ] message}) and polling dots through {@link VerboseLog};
 *       otherwise it prints nothing. Ordinary diagnostics go to SLF4J, silent by default.
 * </ol>
 *
 * <p>Callers who do not want futures use {@link #blocking()}. Implementations build {@code get}
 * on {@link Polling} and check themselves with the conformance kit in {@code hubert-testkit}.
 */
public interface KvStore extends AutoCloseable {
  /** The reference's default {@code get} timeout: 30 seconds. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Stores {@code envelope} at {@code arid}, once (rules 2.1–2.5).
   *
   * @param ttl how long the value should live, or {@code null} for the store's default
   * @param verbose print the reference's progress lines
   * @return a future completing with the receipt, or exceptionally with a {@link HubertException}
   * @throws NullPointerException if {@code arid} or {@code envelope} is null
   * @throws IllegalArgumentException if {@code ttl} is negative
   */
  CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose);

  /** Same as {@code put(arid, envelope, null, false)}. */
  default CompletableFuture<Receipt> put(Arid arid, Envelope envelope) {
    return put(arid, envelope, null, false);
  }

  /**
   * Polls for the envelope at {@code arid} until found or until {@code timeout} (rules 3.1–3.5);
   * cancelling the returned future stops the polling (rule 5.5).
   *
   * @param timeout how long to poll, or {@code null} for {@link #defaultTimeout()}
   * @param verbose print the reference's progress lines and polling dots
   * @return a future completing with the envelope, with {@link Optional#empty()} on timeout, or
   *     exceptionally with a {@link HubertException}
   * @throws NullPointerException if {@code arid} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose);

  /** Same as {@code get(arid, timeout, false)}. */
  default CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout) {
    return get(arid, timeout, false);
  }

  /** Same as {@code get(arid, null, false)}: polls for {@link #defaultTimeout()}. */
  default CompletableFuture<Optional<Envelope>> get(Arid arid) {
    return get(arid, null, false);
  }

  /**
   * Checks once whether something is stored at {@code arid} (rule 4.1).
   *
   * @throws NullPointerException if {@code arid} is null
   */
  CompletableFuture<Boolean> exists(Arid arid);

  /** The timeout {@link #get} uses when given {@code null}; 30 seconds unless a store says so. */
  default Duration defaultTimeout() {
    return DEFAULT_TIMEOUT;
  }

  /** Returns a view of this store whose methods block and throw {@link HubertException}s. */
  default BlockingKvStore blocking() {
    return new BlockingKvStore(this);
  }

  /**
   * Releases the store's sockets, threads and files. Idempotent. The default does nothing.
   */
  @Override
  default void close() {}
}
