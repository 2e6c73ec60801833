package dev.hubert.testkit;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The conformance suite bound to deliberately broken stores (and to a minimal healthy one). Only
 * {@link KvStoreConformanceSelfTest} runs them, through {@link SuiteRunner}.
 */
final class BrokenSuites {
  /** Short timings: every store here answers from memory. */
  static final Timing TIMING = Timing.defaults()
      .withMissingTimeout(Duration.ofMillis(300))
      .withSlack(Duration.ofMillis(500))
      .withOperationTimeout(Duration.ofSeconds(3));

  static final long MAX = 1000;

  private BrokenSuites() {}

  /** The timing the suites actually run with, after system property and environment overrides. */
  static Timing effective() {
    return TIMING.overriddenByEnvironment();
  }

  static InMemoryKvStore.Builder healthy() {
    return InMemoryKvStore.builder().pollInterval(Duration.ofMillis(20));
  }

  /** A suite run only by the self-test, with short timings. */
  @ExtendWith(SelfTestOnly.class)
  abstract static class SelfTestSuite extends KvStoreConformance {
    @Override
    protected Timing timing() {
      return TIMING;
    }
  }

  /** Declares what the healthy in-memory store can do, so every rule runs. */
  abstract static class Broken extends SelfTestSuite {
    abstract KvStore broken(InMemoryKvStore healthy);

    @Override
    protected KvStore createStore() {
      return broken(healthy().maxValueSize(MAX).build());
    }

    @Override
    protected Capabilities capabilities() {
      return Capabilities.builder().maxValueSize(MAX).exactValueSizeLimit(true)
          .supportsTtl(Duration.ofMillis(50)).build();
    }

    @Override
    protected boolean writeCorruptValue(KvStore store, Arid arid) {
      if (store instanceof BrokenStores.Forwarding) {
        ((BrokenStores.Forwarding) store).delegate.putRaw(arid, new byte[] {(byte) 0xff});
        return true;
      }
      return false;
    }
  }

  /** A healthy store with nothing but {@code createStore()}: the optional rules are skipped. */
  static final class Minimal extends SelfTestSuite {
    @Override
    protected KvStore createStore() {
      return healthy().build();
    }
  }

  static final class LosesWrites extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.LosesWrites(h);
    }
  }

  /** A map store: no size limit, no TTL, so only the write-once rules can fail. */
  abstract static class OnMapStore extends Broken {
    @Override
    protected Capabilities capabilities() {
      return Capabilities.builder().build();
    }
  }

  static final class Overwrites extends OnMapStore {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.MapStore(false);
    }
  }

  static final class NonAtomic extends OnMapStore {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.MapStore(true);
    }
  }

  static final class ReturnsEarly extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.ScaledTimeout(h, 4, Duration.ZERO);
    }
  }

  static final class ReturnsLate extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.ScaledTimeout(h, 1, effective().slack().multipliedBy(3));
    }
  }

  static final class NeverTimesOut extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.NeverTimesOut(h);
    }
  }

  static final class LazyArguments extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.LazyArguments(h);
    }
  }

  static final class DifferentEnvelope extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.DifferentEnvelope(h);
    }
  }

  static final class IgnoresTtl extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.IgnoresTtl(h);
    }
  }

  /** Declares a 1000-byte limit but accepts anything. */
  static final class IgnoresSizeLimit extends Broken {
    @Override
    protected KvStore createStore() {
      return healthy().build();
    }

    @Override
    KvStore broken(InMemoryKvStore h) {
      return h;
    }
  }

  /** Declares an exact 1000-byte limit but refuses 1000 bytes. */
  static final class SizeLimitOffByOne extends Broken {
    @Override
    protected KvStore createStore() {
      return healthy().maxValueSize(MAX - 1).build();
    }

    @Override
    KvStore broken(InMemoryKvStore h) {
      return h;
    }
  }

  static final class Noisy extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.Noisy(h);
    }
  }

  static final class VerboseToStdout extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.VerboseToStdout(h);
    }
  }

  static final class ThreadBound extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.ThreadBound(h);
    }
  }

  static final class SlowExists extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.SlowExists(h, effective().slack().multipliedBy(3));
    }
  }

  static final class IgnoresClose extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.IgnoresClose(h);
    }
  }

  static final class CorruptReadsEmpty extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return new BrokenStores.CorruptReadsEmpty(h);
    }
  }

  /** Healthy, but its "unreachable" store hangs instead of failing. */
  static final class UnresponsiveBackend extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return h;
    }

    @Override
    protected KvStore createUnreachableStore() {
      return new BrokenStores.Unresponsive();
    }
  }

  /** Healthy, but its second party does not see the first party's writes. */
  static final class BlindSecondParty extends Broken {
    @Override
    KvStore broken(InMemoryKvStore h) {
      return h;
    }

    @Override
    protected KvStore createSecondParty(KvStore first) {
      return healthy().build();
    }
  }
}
