package dev.hubert.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult.Status;

/** The time budget, and that its override names work as documented. */
class TimingTest {
  @Test
  void namesAreTheDocumentedOnes() {
    assertEquals("hubert.testkit.missingTimeoutMillis", Timing.MISSING_TIMEOUT_PROPERTY);
    assertEquals("HUBERT_TESTKIT_MISSING_TIMEOUT_MILLIS", Timing.MISSING_TIMEOUT_ENV);
    assertEquals("hubert.testkit.slackMillis", Timing.SLACK_PROPERTY);
    assertEquals("HUBERT_TESTKIT_SLACK_MILLIS", Timing.SLACK_ENV);
    assertEquals("hubert.testkit.operationTimeoutMillis", Timing.OPERATION_TIMEOUT_PROPERTY);
    assertEquals("HUBERT_TESTKIT_OPERATION_TIMEOUT_MILLIS", Timing.OPERATION_TIMEOUT_ENV);
  }

  @Test
  void defaults() {
    Timing t = Timing.defaults();
    assertEquals(Duration.ofSeconds(2), t.missingTimeout());
    assertEquals(Duration.ofSeconds(5), t.slack());
    assertEquals(Duration.ofSeconds(60), t.operationTimeout());
  }

  @Test
  void propertyWinsOverEnvironmentWhichWinsOverCode() {
    Map<String, String> props = Map.of(Timing.SLACK_PROPERTY, "7000");
    Map<String, String> env = Map.of(Timing.SLACK_ENV, "9000",
        Timing.MISSING_TIMEOUT_ENV, "1500", Timing.OPERATION_TIMEOUT_PROPERTY, "1");
    Timing t = Timing.defaults().withOperationTimeout(Duration.ofSeconds(90))
        .overriddenBy(props::get, env::get);
    assertEquals(Duration.ofMillis(7000), t.slack());
    assertEquals(Duration.ofMillis(1500), t.missingTimeout());
    assertEquals(Duration.ofSeconds(90), t.operationTimeout(), "env is read by its env name only");
  }

  @Test
  void blankOverridesAreIgnored() {
    Map<String, String> props = Map.of(Timing.SLACK_PROPERTY, " ");
    Timing t = Timing.defaults().overriddenBy(props::get, name -> null);
    assertSame(Timing.defaults().slack(), t.slack());
  }

  @Test
  void badOverridesNameTheirSource() {
    Map<String, String> env = Map.of(Timing.OPERATION_TIMEOUT_ENV, "1m");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Timing.defaults().overriddenBy(name -> null, env::get));
    assertTrue(e.getMessage().contains(Timing.OPERATION_TIMEOUT_ENV), e.getMessage());
    Map<String, String> zero = Map.of(Timing.MISSING_TIMEOUT_PROPERTY, "0");
    e = assertThrows(IllegalArgumentException.class,
        () -> Timing.defaults().overriddenBy(zero::get, name -> null));
    assertTrue(e.getMessage().contains(Timing.MISSING_TIMEOUT_PROPERTY), e.getMessage());
    Map<String, String> noSlack = Map.of(Timing.SLACK_PROPERTY, "0");
    assertEquals(Duration.ZERO,
        Timing.defaults().overriddenBy(noSlack::get, name -> null).slack());
  }

  @Test
  void withersValidate() {
    assertThrows(IllegalArgumentException.class,
        () -> Timing.defaults().withMissingTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> Timing.defaults().withSlack(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> Timing.defaults().withOperationTimeout(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> Timing.defaults().withSlack(null));
    assertEquals(Timing.defaults(), Timing.defaults().withSlack(Duration.ofSeconds(5)));
    assertEquals(Timing.defaults().hashCode(),
        Timing.defaults().withSlack(Duration.ofSeconds(5)).hashCode());
  }

  /** Records the timeouts the suite passes to get. */
  static final Queue<Duration> TIMEOUTS = new ConcurrentLinkedQueue<>();

  /** A healthy store that records get timeouts, run with the system property set. */
  static final class Recording extends BrokenSuites.SelfTestSuite {
    @Override
    protected KvStore createStore() {
      return new BrokenStores.Forwarding(BrokenSuites.healthy().build()) {
        @Override
        public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout,
            boolean verbose) {
          TIMEOUTS.add(timeout);
          return super.get(arid, timeout, verbose);
        }
      };
    }
  }

  @Test
  void theSuiteAppliesTheSystemProperty() {
    TIMEOUTS.clear();
    String old = System.getProperty(Timing.MISSING_TIMEOUT_PROPERTY);
    System.setProperty(Timing.MISSING_TIMEOUT_PROPERTY, "123");
    try {
      SuiteRunner.Results r = SuiteRunner.run(Recording.class, "rule3_2_missingAridCompletesEmpty");
      assertEquals(Status.SUCCESSFUL, r.outcome("rule3_2_missingAridCompletesEmpty").getStatus(),
          r.report());
    } finally {
      if (old == null) {
        System.clearProperty(Timing.MISSING_TIMEOUT_PROPERTY);
      } else {
        System.setProperty(Timing.MISSING_TIMEOUT_PROPERTY, old);
      }
    }
    assertEquals(Duration.ofMillis(123), TIMEOUTS.peek(),
        "the suite passes the overridden missing timeout to get");
  }
}
