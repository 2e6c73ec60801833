package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a conformance suite through the JUnit Platform launcher, as a third party's build would,
 * and records each rule test's outcome so self-tests can assert on failures and their messages.
 */
final class SuiteRunner {
  /** Configuration parameter that enables the self-test-only suites (see {@link SelfTestOnly}). */
  static final String SELF_TEST = "hubert.testkit.selftest";

  private SuiteRunner() {}

  /** Runs the named rule methods of {@code suite}, or all of them if none are named. */
  static Results run(Class<? extends KvStoreConformance> suite, String... methods) {
    List<DiscoverySelector> selectors = new ArrayList<>();
    if (methods.length == 0) {
      selectors.add(selectClass(suite));
    }
    for (String m : methods) {
      selectors.add(selectMethod(suite.getName() + "#" + m));
    }
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectors)
        .configurationParameter(SELF_TEST, "true")
        .configurationParameter(SkipReasons.QUIET, "true")
        .build();
    Results results = new Results();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, results);
    if (methods.length > 0) {
      assertEquals(new TreeSet<>(List.of(methods)), results.outcomes.keySet(),
          "the launcher ran other tests than those selected from " + suite.getSimpleName());
    }
    return results;
  }

  /** The outcome of each test method, by method name. */
  static final class Results implements TestExecutionListener {
    final Map<String, TestExecutionResult> outcomes = new ConcurrentHashMap<>();
    final Map<String, String> containerFailures = new ConcurrentHashMap<>();

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.isTest() && id.getSource().orElse(null) instanceof MethodSource) {
        outcomes.put(((MethodSource) id.getSource().get()).getMethodName(), result);
      } else if (result.getStatus() == TestExecutionResult.Status.FAILED) {
        containerFailures.put(id.getDisplayName(), String.valueOf(result.getThrowable()));
      }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      fail("the self-test suite was disabled (" + id.getDisplayName() + "): " + reason);
    }

    TestExecutionResult outcome(String method) {
      TestExecutionResult r = outcomes.get(method);
      assertNotNull(r, method + " did not run; ran: " + outcomes.keySet());
      return r;
    }

    /** Asserts that {@code method} failed and returns its failure message. */
    String failure(String method) {
      TestExecutionResult r = outcome(method);
      assertEquals(TestExecutionResult.Status.FAILED, r.getStatus(),
          method + " should have failed against this broken store, but " + describe(r));
      String message = r.getThrowable().map(Throwable::getMessage).orElse("");
      assertTrue(r.getThrowable().get() instanceof AssertionError,
          method + " failed with an error instead of a rule failure: " + r.getThrowable().get());
      return message;
    }

    /** Asserts that {@code method} was skipped (aborted) and returns the reason. */
    String skip(String method) {
      TestExecutionResult r = outcome(method);
      assertEquals(TestExecutionResult.Status.ABORTED, r.getStatus(),
          method + " should have been skipped, but " + describe(r));
      return r.getThrowable().map(Throwable::getMessage).orElse("");
    }

    /** Names of the tests with the given status, sorted. */
    TreeSet<String> with(TestExecutionResult.Status status) {
      TreeSet<String> names = new TreeSet<>();
      outcomes.forEach((m, r) -> {
        if (r.getStatus() == status) {
          names.add(m);
        }
      });
      return names;
    }

    /** Every test that did not succeed, with its message, for assertion messages. */
    String report() {
      Map<String, String> lines = new TreeMap<>();
      outcomes.forEach((m, r) -> {
        if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
          lines.put(m, describe(r));
        }
      });
      lines.putAll(containerFailures);
      return lines.toString();
    }

    private static String describe(TestExecutionResult r) {
      return r.getStatus() + r.getThrowable().map(t -> " with " + t).orElse("");
    }
  }
}
