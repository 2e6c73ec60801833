package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.TestExecutionResult.Status;

/**
 * The kit tested against deliberately broken stores: each rule fails when a store breaks it, and
 * fails with a message that names the rule and says what to check. Every suite runs through the
 * JUnit Platform launcher, as it runs in a third party's build.
 */
class KvStoreConformanceSelfTest {
  static final Set<String> ALL_RULE_TESTS = Arrays.stream(KvStoreConformance.class.getMethods())
      .filter(m -> m.isAnnotationPresent(Test.class))
      .map(Method::getName)
      .collect(Collectors.toCollection(TreeSet::new));

  /** Asserts that {@code method} failed with a message naming {@code rule} and each fragment. */
  private static void failsWith(SuiteRunner.Results r, String method, String rule,
      String... fragments) {
    String message = r.failure(method);
    assertTrue(message.startsWith("[rule " + rule + "] "),
        method + ": the message should start with [rule " + rule + "]: " + message);
    assertTrue(message.contains(". If this fails, check "),
        method + ": the message should say what to check: " + message);
    for (String f : fragments) {
      assertTrue(message.contains(f), method + ": the message should contain '" + f + "': "
          + message);
    }
  }

  private static void passes(SuiteRunner.Results r, String method) {
    assertEquals(Status.SUCCESSFUL, r.outcome(method).getStatus(),
        method + " should pass against this store: " + r.report());
  }

  @Test
  void referenceStorePassesEveryRule() {
    SuiteRunner.Results r = SuiteRunner.run(InMemoryKvStoreConformanceTest.class);
    assertEquals(ALL_RULE_TESTS, r.with(Status.SUCCESSFUL), r.report());
  }

  @Test
  void minimalStoreSkipsOptionalRulesSayingWhatToDeclare() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.Minimal.class);
    assertEquals(Set.of(), r.with(Status.FAILED), r.report());
    assertEquals(ALL_RULE_TESTS.size(), r.outcomes.size(), "every rule test runs or is skipped");
    assertEquals(new TreeSet<>(Set.of(
            "rule2_1_secondPartyReadsConcurrentWrites",
            "rule2_3_oversizedValueFailsWithValueTooLarge",
            "rule2_3_valueAtTheLimitIsAccepted",
            "rule2_4_valueExpiresAfterItsTtl",
            "rule2_5_unreachableBackendFailsWithHubertException",
            "rule3_4_corruptValueFailsWithCorruptValueException",
            "rule3_5_expiredValueIsNeverReturned")),
        r.with(Status.ABORTED), r.report());
    skipSays(r, "rule2_1_secondPartyReadsConcurrentWrites", "2.1", "createSecondParty");
    skipSays(r, "rule2_3_oversizedValueFailsWithValueTooLarge", "2.3", "maxValueSize(bytes)");
    skipSays(r, "rule2_3_valueAtTheLimitIsAccepted", "2.3", "maxValueSize(bytes)");
    skipSays(r, "rule2_4_valueExpiresAfterItsTtl", "2.4", "supportsTtl(granularity)");
    skipSays(r, "rule2_5_unreachableBackendFailsWithHubertException", "2.5",
        "createUnreachableStore()");
    skipSays(r, "rule3_4_corruptValueFailsWithCorruptValueException", "3.4",
        "writeCorruptValue");
    skipSays(r, "rule3_5_expiredValueIsNeverReturned", "3.5", "supportsTtl(granularity)");
  }

  private static void skipSays(SuiteRunner.Results r, String method, String rule, String what) {
    String reason = r.skip(method);
    assertTrue(reason.startsWith("[rule " + rule + "] not checked: "), reason);
    assertTrue(reason.contains("To check it, ") && reason.contains(what),
        method + ": the skip should say to provide " + what + ": " + reason);
  }

  @Test
  void storeThatLosesWritesFailsRoundTripAndExists() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.LosesWrites.class,
        "rule3_1_getReturnsWhatWasPut", "rule2_1_manyAridsKeepTheirOwnValues",
        "rule4_1_existsIsFalseThenTrue");
    failsWith(r, "rule3_1_getReturnsWhatWasPut", "3.1", "completed empty", "loses writes");
    failsWith(r, "rule2_1_manyAridsKeepTheirOwnValues", "2.1", "found nothing");
    failsWith(r, "rule4_1_existsIsFalseThenTrue", "4.1", "exists was false after put");
  }

  @Test
  void storeThatOverwritesFailsOnlyWriteOnce() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.Overwrites.class);
    assertEquals(new TreeSet<>(Set.of("rule2_2_putTwiceFailsWithAlreadyExists",
        "rule2_2_concurrentPutsAtMostOneSucceeds")), r.with(Status.FAILED), r.report());
    failsWith(r, "rule2_2_putTwiceFailsWithAlreadyExists", "2.2",
        "second put at the same ARID completed normally", "instead of failing with"
            + " AlreadyExistsException");
    failsWith(r, "rule2_2_concurrentPutsAtMostOneSucceeds", "2.2", "concurrent puts at one ARID"
        + " succeeded");
  }

  @Test
  void storeWithCheckThenWriteFailsOnlyTheRace() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.NonAtomic.class,
        "rule2_2_putTwiceFailsWithAlreadyExists", "rule2_2_concurrentPutsAtMostOneSucceeds");
    passes(r, "rule2_2_putTwiceFailsWithAlreadyExists");
    failsWith(r, "rule2_2_concurrentPutsAtMostOneSucceeds", "2.2", "succeeded",
        "atomically", "atomicWriteOnce(false)");
  }

  @Test
  void getThatReturnsEarlyFailsTheLowerBound() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.ReturnsEarly.class,
        "rule3_2_missingAridCompletesEmpty", "rule3_2_missingAridTimeoutIsBoundedBothWays");
    passes(r, "rule3_2_missingAridCompletesEmpty");
    failsWith(r, "rule3_2_missingAridTimeoutIsBoundedBothWays", "3.2", "before its timeout",
        "keeps polling until the whole timeout has passed");
  }

  @Test
  void getThatReturnsLateFailsTheUpperBound() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.ReturnsLate.class,
        "rule3_2_missingAridCompletesEmpty", "rule3_2_missingAridTimeoutIsBoundedBothWays");
    passes(r, "rule3_2_missingAridCompletesEmpty");
    failsWith(r, "rule3_2_missingAridTimeoutIsBoundedBothWays", "3.2", "had not completed",
        "stops polling at its deadline", Timing.SLACK_PROPERTY);
  }

  @Test
  void getThatNeverTimesOutFailsAsAHang() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.NeverTimesOut.class,
        "rule3_2_missingAridCompletesEmpty", "rule3_2_missingAridTimeoutIsBoundedBothWays",
        "rule3_1_getReturnsWhatWasPut");
    passes(r, "rule3_1_getReturnsWhatWasPut");
    failsWith(r, "rule3_2_missingAridCompletesEmpty", "3.2", "did not complete within",
        "rule 5.3", Timing.OPERATION_TIMEOUT_PROPERTY);
    failsWith(r, "rule3_2_missingAridTimeoutIsBoundedBothWays", "3.2", "had not completed");
  }

  @Test
  void argumentErrorsInsideTheFutureFailRule1_1() {
    String[] tests = ALL_RULE_TESTS.stream().filter(m -> m.startsWith("rule1_1_"))
        .toArray(String[]::new);
    assertEquals(6, tests.length);
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.LazyArguments.class, tests);
    for (String t : tests) {
      failsWith(r, t, "1.1", "returned a future instead of throwing", "failed with",
          "validates its arguments before it starts any asynchronous work");
    }
  }

  @Test
  void failuresWrappedInCompletionExceptionFailTheFailureRules() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.WrapsFailures.class,
        "rule2_2_putTwiceFailsWithAlreadyExists", "rule2_3_oversizedValueFailsWithValueTooLarge",
        "rule3_4_corruptValueFailsWithCorruptValueException",
        "rule5_4_closedStoreFailsWithBackendUnavailable",
        "rule5_6_failuresAreTheHubertExceptionItself", "rule3_1_getReturnsWhatWasPut");
    passes(r, "rule3_1_getReturnsWhatWasPut");
    String[] says = {"failed with CompletionException around the", "handle, whenComplete and"
        + " exceptionally see", "fails with the HubertException itself (rule 5.6)"};
    failsWith(r, "rule2_2_putTwiceFailsWithAlreadyExists", "2.2", says);
    failsWith(r, "rule2_3_oversizedValueFailsWithValueTooLarge", "2.3", says);
    failsWith(r, "rule3_4_corruptValueFailsWithCorruptValueException", "3.4", says);
    failsWith(r, "rule5_4_closedStoreFailsWithBackendUnavailable", "5.4", says);
    failsWith(r, "rule5_6_failuresAreTheHubertExceptionItself", "5.6", says);
  }

  @Test
  void storeIgnoringTtlFailsExpiry() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.IgnoresTtl.class,
        "rule2_4_putWithTtlIsAccepted", "rule2_4_valueExpiresAfterItsTtl",
        "rule3_5_expiredValueIsNeverReturned");
    passes(r, "rule2_4_putWithTtlIsAccepted");
    failsWith(r, "rule2_4_valueExpiresAfterItsTtl", "2.4", "still existed",
        "supportsTtl(granularity)");
    failsWith(r, "rule3_5_expiredValueIsNeverReturned", "3.5", "still existed");
  }

  @Test
  void storeIgnoringItsDeclaredLimitFailsSizeRule() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.IgnoresSizeLimit.class,
        "rule2_3_oversizedValueFailsWithValueTooLarge", "rule2_3_valueAtTheLimitIsAccepted");
    passes(r, "rule2_3_valueAtTheLimitIsAccepted");
    failsWith(r, "rule2_3_oversizedValueFailsWithValueTooLarge", "2.3", "1001-byte envelope",
        "completed normally", "ValueTooLargeException");
  }

  @Test
  void storeRefusingExactlyTheLimitFailsTheExactLimitRule() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.SizeLimitOffByOne.class,
        "rule2_3_oversizedValueFailsWithValueTooLarge", "rule2_3_valueAtTheLimitIsAccepted");
    passes(r, "rule2_3_oversizedValueFailsWithValueTooLarge");
    failsWith(r, "rule2_3_valueAtTheLimitIsAccepted", "2.3", "exactly the declared maxValueSize",
        "ValueTooLargeException", "size > max");
  }

  @Test
  void storePrintingVerboseLinesToStdoutFailsVerboseRule() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.VerboseToStdout.class,
        "rule6_1_quietWhenNotVerbose", "rule6_1_verboseLinesAreTimestamped");
    passes(r, "rule6_1_quietWhenNotVerbose");
    failsWith(r, "rule6_1_verboseLinesAreTimestamped", "6.1", "to System.out directly",
        "VerboseLog");
  }

  @Test
  void threadBoundFuturesFailTheThreadRules() {
    SuiteRunner.Results r = SuiteRunner.run(BrokenSuites.ThreadBound.class,
        "rule3_1_getReturnsWhatWasPut", "rule5_2_futuresCanBeAwaitedOnAnotherThread",
        "rule5_3_futuresCompleteWithoutBeingAwaited");
    passes(r, "rule3_1_getReturnsWhatWasPut");
    failsWith(r, "rule5_2_futuresCanBeAwaitedOnAnotherThread", "5.2", "another thread",
        "never only by the caller's get()/join()");
    failsWith(r, "rule5_3_futuresCompleteWithoutBeingAwaited", "5.3", "no one called",
        "completes by itself");
  }

  /** Stores that break one rule, the test that must fail, its rule, and what its message says. */
  @TestFactory
  Stream<DynamicTest> eachBrokenStoreFailsItsRule() {
    return Stream.of(
        broken(BrokenSuites.DifferentEnvelope.class, "rule3_1_getReturnsWhatWasPut", "3.1",
            "not what was put", "digest", "decodes exactly the bytes put stored"),
        broken(BrokenSuites.StoresElided.class, "rule3_1_getReturnsWhatWasPut", "3.1",
            "the same digest, but not identical", "not an elided"),
        broken(BrokenSuites.Noisy.class, "rule6_1_quietWhenNotVerbose", "6.1",
            "with verbose=false", "storing"),
        broken(BrokenSuites.OneIoThread.class, "rule5_2_futuresCanBeAwaitedOnAnotherThread",
            "5.2", "waits for a get on the same store", "Delivered"),
        broken(BrokenSuites.SlowExists.class, "rule4_1_existsDoesNotPoll", "4.1",
            "had not completed", "does not poll like get"),
        broken(BrokenSuites.IgnoresCancel.class, "rule5_5_cancelledGetStopsPolling", "5.5",
            "dots in the", "after its future was cancelled", "Polling.then"),
        broken(BrokenSuites.NoDots.class, "rule5_5_cancelledGetStopsPolling", "5.5",
            "printed no polling dot within", "VerboseLog.dot()", Timing.SLACK_PROPERTY),
        broken(BrokenSuites.IgnoresClose.class, "rule5_4_closedStoreFailsWithBackendUnavailable",
            "5.4", "put on a closed store completed normally", "BackendUnavailableException"),
        broken(BrokenSuites.CorruptReadsEmpty.class,
            "rule3_4_corruptValueFailsWithCorruptValueException", "3.4",
            "completed normally with Optional.empty", "CorruptValueException"),
        broken(BrokenSuites.UnresponsiveBackend.class,
            "rule2_5_unreachableBackendFailsWithHubertException", "2.5",
            "put on an unreachable backend did not complete within", "deadline"),
        broken(BrokenSuites.BlindSecondParty.class, "rule2_1_secondPartyReadsConcurrentWrites",
            "2.1", "second party's get", "completed empty", "other parties can read the value"));
  }

  private static DynamicTest broken(Class<? extends KvStoreConformance> suite, String method,
      String rule, String... fragments) {
    return DynamicTest.dynamicTest(suite.getSimpleName() + " fails " + method,
        () -> failsWith(SuiteRunner.run(suite, method), method, rule, fragments));
  }
}
