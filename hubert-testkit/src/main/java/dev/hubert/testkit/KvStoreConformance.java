package dev.hubert.testkit;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.opentest4j.AssertionFailedError;

/**
 * The conformance suite for {@link KvStore} implementations: extend this class in your tests,
 * implement {@link #createStore()}, and every numbered rule of the {@code KvStore} contract runs
 * against your store as a JUnit Jupiter test named after its rule ({@code
 * rule2_2_putTwiceFailsWithAlreadyExists} checks rule 2.2).
 *
 * <pre>{@code
 * class MyStoreConformanceTest extends KvStoreConformance {
 *   @Override
 *   protected KvStore createStore() {
 *     return MyStore.connect(...);
 *   }
 * }
 * }</pre>
 *
 * <p>Optional hooks, each with a safe default:
 *
 * <ul>
 *   <li>{@link #createSecondParty(KvStore)}: another instance that should read what the first one
 *       writes (another node, another client). By default the first store itself, and the
 *       two-party rule is reported as skipped.
 *   <li>{@link #capabilities()}: size limit, TTL support, timeout bounds, atomic write-once.
 *   <li>{@link #timing()}: the kit's time budget; system properties or environment variables
 *       override it on slow machines (see {@link Timing}).
 *   <li>{@link #createUnreachableStore()} and {@link #writeCorruptValue(KvStore, Arid)}: enable
 *       the fault rules 2.5 and 3.4; skipped by default.
 * </ul>
 *
 * <p>How results read: a rule the store breaks fails with a message that starts with the rule
 * number and says what to check ({@code [rule 2.2] second put at the same ARID completed normally
 * ... If this fails, check that put checks ...}). A rule the kit cannot check with what you declared
 * is <em>skipped</em> (aborted) with a message saying what to declare or override ({@code [rule 2.3]
 * not checked: the store declares no maximum value size. To check it, declare maxValueSize(bytes)
 * ...}). Nothing is silently left out.
 *
 * <p>The suite creates one store (and second party) per test class, uses fresh random ARIDs in
 * every test, and closes them after the last test. Its tests run one at a time, because rules 5.5
 * and 6.1 capture verbose output. To opt out of a rule your store deliberately does not follow,
 * override its method, annotate the override with {@code @Test}, and call {@code
 * Assumptions.abort("why")}, so the report shows it as skipped. Every skip's reason is also printed
 * on standard error ({@code hubert-testkit: SKIPPED <class>.<rule>: <reason>}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
@Execution(ExecutionMode.SAME_THREAD)
@ExtendWith(SkipReasons.class)
public abstract class KvStoreConformance {
  private KvStore store;
  private KvStore second;
  private Capabilities capabilities;
  private Timing timing;
  private Kit kit;

  /** For subclasses. */
  protected KvStoreConformance() {}

  // ---- hooks ---------------------------------------------------------------------------------

  /**
   * Returns a new, open instance of the store under test. Called once per test class for the
   * store the rules share, and once more by each of rules 5.4 and 5.6, which close what they get;
   * so return a new instance on every call.
   */
  protected abstract KvStore createStore() throws Exception;

  /**
   * Returns a second party's store, which should read what {@code first} writes: another node of
   * the same network, another client of the same server. Called once, after {@link #createStore()};
   * the kit closes it after the last test if it is not {@code first}.
   *
   * <p>The default returns {@code first}, and rule 2.1's two-party test is skipped.
   */
  protected KvStore createSecondParty(KvStore first) throws Exception {
    return first;
  }

  /**
   * What the store declares about itself. The default declares no size limit and no TTL support,
   * and assumes the contract's timeout bounds and atomic write-once.
   */
  protected Capabilities capabilities() {
    return Capabilities.builder().build();
  }

  /**
   * The kit's time budget; {@link Timing#defaults()} unless overridden. Values set by the system
   * properties or environment variables named in {@link Timing} replace what this returns.
   */
  protected Timing timing() {
    return Timing.defaults();
  }

  /**
   * Returns a new instance of the store configured for a backend that cannot be reached (for
   * example a loopback port nobody listens on), or {@code null} to skip rule 2.5 (the default).
   * The kit closes it.
   */
  protected KvStore createUnreachableStore() throws Exception {
    return null;
  }

  /**
   * Stores bytes that do not decode to an envelope at {@code arid}, directly through the backend
   * behind {@code store}, and returns {@code true}; or returns {@code false} to skip rule 3.4 (the
   * default).
   */
  protected boolean writeCorruptValue(KvStore store, Arid arid) throws Exception {
    return false;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  @BeforeEach
  final void prepareKit(TestReporter reporter) throws Exception {
    if (store == null) {
      timing = Objects.requireNonNull(timing(), "timing() returned null").overriddenByEnvironment();
      capabilities = Objects.requireNonNull(capabilities(), "capabilities() returned null");
      KvStore s;
      try {
        s = createStore();
      } catch (Exception e) {
        throw new AssertionFailedError("createStore() threw " + Kit.describe(e)
            + "; the suite needs a working store to check the rules", e);
      }
      if (s == null) {
        throw new AssertionFailedError("createStore() returned null: return a new instance of"
            + " the store under test");
      }
      store = s;
      KvStore other = createSecondParty(store);
      second = other == null ? store : other;
    }
    kit = new Kit(this, store, second, capabilities, timing, reporter);
  }

  @AfterAll
  final void closeStores() {
    try {
      if (second != null && second != store) {
        second.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  // ---- 1. arguments --------------------------------------------------------------------------

  /**
   * Rule 1.1: {@code put(null, envelope, …)} throws {@link NullPointerException} itself. If this
   * fails, check that put validates its arguments before it starts asynchronous work.
   */
  @Test
  public void rule1_1_putNullAridThrowsNullPointerException() {
    ArgumentTester.putNullArid(kit);
  }

  /** Rule 1.1: {@code put(arid, null, …)} throws {@link NullPointerException} itself. */
  @Test
  public void rule1_1_putNullEnvelopeThrowsNullPointerException() {
    ArgumentTester.putNullEnvelope(kit);
  }

  /** Rule 1.1: a negative TTL throws {@link IllegalArgumentException} from put itself. */
  @Test
  public void rule1_1_putNegativeTtlThrowsIllegalArgumentException() {
    ArgumentTester.putNegativeTtl(kit);
  }

  /** Rule 1.1: {@code get(null, …)} throws {@link NullPointerException} itself. */
  @Test
  public void rule1_1_getNullAridThrowsNullPointerException() {
    ArgumentTester.getNullArid(kit);
  }

  /** Rule 1.1: a negative timeout throws {@link IllegalArgumentException} from get itself. */
  @Test
  public void rule1_1_getNegativeTimeoutThrowsIllegalArgumentException() {
    ArgumentTester.getNegativeTimeout(kit);
  }

  /** Rule 1.1: {@code exists(null)} throws {@link NullPointerException} itself. */
  @Test
  public void rule1_1_existsNullAridThrowsNullPointerException() {
    ArgumentTester.existsNullArid(kit);
  }

  // ---- 2. put --------------------------------------------------------------------------------

  /**
   * Rule 2.1: put at a fresh ARID completes with a non-blank {@link dev.hubert.api.Receipt}. If
   * this fails, check that put stores and answers in the reference's receipt format.
   */
  @Test
  public void rule2_1_putCompletesWithReceipt() {
    PutTester.completesWithReceipt(kit);
  }

  /**
   * Rule 2.1: five puts at five fresh ARIDs all succeed, and each ARID reads back its own value.
   * If this fails, check that values are keyed by the whole ARID.
   */
  @Test
  public void rule2_1_manyAridsKeepTheirOwnValues() {
    PutTester.manyArids(kit);
  }

  /**
   * Rule 2.1, two parties: a second party polls for three ARIDs while three threads put them on
   * the first store; each get completes with its envelope. Needs {@link #createSecondParty}. If
   * this fails, check that put completes only once other parties can read the value.
   */
  @Test
  public void rule2_1_secondPartyReadsConcurrentWrites() {
    ThreadTester.secondPartyReads(kit);
  }

  /**
   * Rule 2.2: a second put at an ARID, with another envelope or the same one, fails with {@link
   * dev.hubert.api.AlreadyExistsException}, and get still returns the first value. If this fails,
   * check that put looks for an existing value before it writes.
   */
  @Test
  public void rule2_2_putTwiceFailsWithAlreadyExists() {
    PutTester.putTwice(kit);
  }

  /**
   * Rule 2.2, atomic: of eight puts racing at one fresh ARID exactly one succeeds and the others
   * fail with {@code AlreadyExistsException} (five rounds). Needs {@link
   * Capabilities#atomicWriteOnce()}. If this fails, check that create-if-absent is one atomic step.
   */
  @Test
  public void rule2_2_concurrentPutsAtMostOneSucceeds() {
    PutTester.concurrentPuts(kit);
  }

  /**
   * Rule 2.3: an envelope over the declared {@link Capabilities#maxValueSize()} (by one byte if the
   * limit is exact, else by 1000) fails with {@link dev.hubert.api.ValueTooLargeException} and is
   * not stored. If this fails, check what the store measures and when.
   */
  @Test
  public void rule2_3_oversizedValueFailsWithValueTooLarge() {
    PutTester.oversized(kit);
  }

  /**
   * Rule 2.3, exact limit: an envelope of exactly {@link Capabilities#maxValueSize()} bytes is
   * stored and read back. Needs {@link Capabilities#exactValueSizeLimit()}. If this fails, check
   * that the comparison is {@code size > max}, not {@code size >= max}.
   */
  @Test
  public void rule2_3_valueAtTheLimitIsAccepted() {
    PutTester.atLimit(kit);
  }

  /**
   * Rule 2.4: a put with a one-hour TTL succeeds and the value reads back, whether or not the
   * store supports expiry. If this fails, check that put accepts a TTL.
   */
  @Test
  public void rule2_4_putWithTtlIsAccepted() {
    PutTester.ttlAccepted(kit);
  }

  /**
   * Rule 2.4, expiry: a value put with a short TTL is there at first (checked if put returned
   * within half the TTL) and gone (exists false) by TTL + granularity + slack. Needs {@link
   * Capabilities#ttlGranularity()}. If this fails, check
   * the TTL's unit and that exists treats expired values as absent.
   */
  @Test
  public void rule2_4_valueExpiresAfterItsTtl() {
    PutTester.expires(kit);
  }

  /**
   * Rule 2.5: put, get and exists on a store whose backend cannot be reached fail with a {@link
   * dev.hubert.api.HubertException} within their deadlines. Needs {@link
   * #createUnreachableStore()}. If this fails, check that network faults are typed and bounded.
   */
  @Test
  public void rule2_5_unreachableBackendFailsWithHubertException() throws Exception {
    PutTester.unreachable(kit);
  }

  // ---- 3. get --------------------------------------------------------------------------------

  /**
   * Rule 3.1: get returns an envelope identical to the one put ({@code isIdenticalTo}: not merely
   * the same digest, as an elided form would have). If this fails, check that get decodes exactly
   * what put stored.
   */
  @Test
  public void rule3_1_getReturnsWhatWasPut() {
    GetTester.roundTrip(kit);
  }

  /**
   * Rule 3.2: get of a missing ARID completes normally with {@code Optional.empty()}: a timeout is
   * not an error. If this fails, check that the timeout path completes the future.
   */
  @Test
  public void rule3_2_missingAridCompletesEmpty() {
    GetTester.missingCompletesEmpty(kit);
  }

  /**
   * Rule 3.2, bounds: that get completes no earlier than its timeout (less 2%) and at most {@link
   * Timing#slack()} later. Needs {@link Capabilities#exactTimeoutBounds()}. If this fails, check
   * the deadline arithmetic and the timeout's unit.
   */
  @Test
  public void rule3_2_missingAridTimeoutIsBoundedBothWays() {
    GetTester.missingBounds(kit);
  }

  /**
   * Rule 3.3: a zero timeout means one lookup: empty for a missing ARID, the value for a stored
   * one. If this fails, check that a zero timeout still looks once.
   */
  @Test
  public void rule3_3_zeroTimeoutDoesOneLookup() {
    GetTester.zeroTimeout(kit);
  }

  /**
   * Rule 3.3: a {@code null} timeout means {@link KvStore#defaultTimeout()}: with a short default
   * the get keeps the bounds of rule 3.2 around it; with a long one it must still be polling after
   * {@link Timing#missingTimeout()}. Needs {@link Capabilities#exactTimeoutBounds()}. If this
   * fails, check how null is mapped.
   */
  @Test
  public void rule3_3_nullTimeoutMeansDefaultTimeout() {
    GetTester.nullTimeout(kit);
  }

  /**
   * Rule 3.4: stored bytes that are not an envelope make get fail with {@link
   * dev.hubert.api.CorruptValueException}. Needs {@link #writeCorruptValue}. If this fails, check
   * how decode errors are reported.
   */
  @Test
  public void rule3_4_corruptValueFailsWithCorruptValueException() throws Exception {
    GetTester.corrupt(kit);
  }

  /**
   * Rule 3.5: once a value has expired, a polling get completes empty. Needs {@link
   * Capabilities#ttlGranularity()}. If this fails, check that every lookup checks expiry.
   */
  @Test
  public void rule3_5_expiredValueIsNeverReturned() {
    GetTester.expiredNeverReturned(kit);
  }

  // ---- 4. exists -----------------------------------------------------------------------------

  /**
   * Rule 4.1: exists is false for a fresh ARID and true once put has completed. If this fails,
   * check that exists looks under the key put writes.
   */
  @Test
  public void rule4_1_existsIsFalseThenTrue() {
    ExistsTester.falseThenTrue(kit);
  }

  /**
   * Rule 4.1: exists of a missing ARID answers within {@link Timing#slack()}: one lookup, no
   * polling. If this fails, check that exists does not wait like get.
   */
  @Test
  public void rule4_1_existsDoesNotPoll() {
    ExistsTester.doesNotPoll(kit);
  }

  // ---- 5. threads and completion -------------------------------------------------------------

  /**
   * Rule 5.1: four threads put three values each on one store at once; all twelve read back. If
   * this fails, check the store's shared state for races.
   */
  @Test
  public void rule5_1_concurrentCallsOnOneStore() {
    ThreadTester.oneStoreManyThreads(kit);
  }

  /**
   * Rule 5.2: a future made on one thread completes when awaited on another, composes with async
   * stages, and a dependent stage may itself wait for another call to the store. If this fails,
   * check that nothing is bound to the calling thread or runs on the store's I/O thread.
   */
  @Test
  public void rule5_2_futuresCanBeAwaitedOnAnotherThread() {
    ThreadTester.otherThread(kit);
  }

  /**
   * Rule 5.3: put, exists and a timing-out get complete although nobody calls get() or join() on
   * their futures. If this fails, check that the store completes futures on its own threads.
   */
  @Test
  public void rule5_3_futuresCompleteWithoutBeingAwaited() {
    ThreadTester.withoutAwaiting(kit);
  }

  /**
   * Rule 5.4: on a closed store (a fresh one from {@link #createStore()}), put, get and exists
   * return futures that fail with {@link dev.hubert.api.BackendUnavailableException}; close is
   * idempotent. If this fails, check the closed flag in every method.
   */
  @Test
  public void rule5_4_closedStoreFailsWithBackendUnavailable() throws Exception {
    ThreadTester.closed(kit);
  }

  /**
   * Rule 5.5: a verbose get of a missing ARID is cancelled after two polling dots (each awaited at
   * most missing timeout + slack); in the next three polls (at least half a second) at most one
   * more dot, from a lookup under way, may be printed. If this fails, check that the future get
   * returns passes its cancel on to the polling.
   */
  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  public void rule5_5_cancelledGetStopsPolling() {
    VerboseTester.cancelStopsPolling(kit);
  }

  /**
   * Rule 5.6: a second put at one ARID, and put, get and exists on a closed store (a fresh one from
   * {@link #createStore()}), fail with the {@link dev.hubert.api.HubertException} itself as {@code
   * handle} sees it, not a {@link java.util.concurrent.CompletionException} around it (the tests
   * of rules 2.2, 2.3, 2.5, 3.4 and 5.4 check their failures so too). If this fails, look for a
   * {@code supplyAsync} that throws, or {@code thenApply}/{@code thenCompose} on a failed stage.
   */
  @Test
  public void rule5_6_failuresAreTheHubertExceptionItself() throws Exception {
    ThreadTester.unwrappedFailures(kit);
  }

  // ---- 6. verbose ----------------------------------------------------------------------------

  /**
   * Rule 6.1: with {@code verbose=false}, put, get and exists print nothing to {@code System.out}
   * or {@link dev.hubert.api.VerboseLog}. If this fails, check for stray prints.
   */
  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  public void rule6_1_quietWhenNotVerbose() {
    VerboseTester.quiet(kit);
  }

  /**
   * Rule 6.1: with {@code verbose=true}, put and get print progress lines through {@link
   * dev.hubert.api.VerboseLog}, each {@code [YYYY-MM-DDTHH:MM:SS.mmmZ] message}. If this fails,
   * check that the store uses VerboseLog rather than System.out.
   */
  @Test
  @ResourceLock(Resources.SYSTEM_OUT)
  public void rule6_1_verboseLinesAreTimestamped() {
    VerboseTester.timestamped(kit);
  }
}
