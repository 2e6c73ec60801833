package dev.hubert.testkit;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import java.time.Duration;
import java.util.function.Function;
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
    private final Function<InMemoryKvStore, KvStore> breaker;

    /** @param breaker wraps a healthy store (1000-byte limit) into the broken one */
    Broken(Function<InMemoryKvStore, KvStore> breaker) {
      this.breaker = breaker;
    }

    @Override
    protected KvStore createStore() {
      return breaker.apply(healthy().maxValueSize(MAX).build());
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
    LosesWrites() {
      super(BrokenStores.LosesWrites::new);
    }
  }

  /** A map store: no size limit, no TTL, so only the write-once rules can fail. */
  abstract static class OnMapStore extends Broken {
    OnMapStore(Function<InMemoryKvStore, KvStore> breaker) {
      super(breaker);
    }

    @Override
    protected Capabilities capabilities() {
      return Capabilities.builder().build();
    }
  }

  static final class Overwrites extends OnMapStore {
    Overwrites() {
      super(h -> new BrokenStores.MapStore(false));
    }
  }

  static final class NonAtomic extends OnMapStore {
    NonAtomic() {
      super(h -> new BrokenStores.MapStore(true));
    }
  }

  static final class ReturnsEarly extends Broken {
    ReturnsEarly() {
      super(h -> new BrokenStores.ScaledTimeout(h, 4, Duration.ZERO));
    }
  }

  static final class ReturnsLate extends Broken {
    ReturnsLate() {
      super(h -> new BrokenStores.ScaledTimeout(h, 1, effective().slack().multipliedBy(3)));
    }
  }

  static final class NeverTimesOut extends Broken {
    NeverTimesOut() {
      super(BrokenStores.NeverTimesOut::new);
    }
  }

  static final class IgnoresCancel extends Broken {
    IgnoresCancel() {
      super(BrokenStores.IgnoresCancel::new);
    }
  }

  static final class NoDots extends Broken {
    NoDots() {
      super(BrokenStores.NoDots::new);
    }
  }

  static final class LazyArguments extends Broken {
    LazyArguments() {
      super(BrokenStores.LazyArguments::new);
    }
  }

  static final class DifferentEnvelope extends Broken {
    DifferentEnvelope() {
      super(BrokenStores.DifferentEnvelope::new);
    }
  }

  static final class StoresElided extends Broken {
    StoresElided() {
      super(BrokenStores.StoresElided::new);
    }
  }

  static final class WrapsFailures extends Broken {
    WrapsFailures() {
      super(BrokenStores.WrapsFailures::new);
    }
  }

  static final class IgnoresTtl extends Broken {
    IgnoresTtl() {
      super(BrokenStores.IgnoresTtl::new);
    }
  }

  /** Declares a 1000-byte limit but accepts anything. */
  static final class IgnoresSizeLimit extends Broken {
    IgnoresSizeLimit() {
      super(h -> healthy().build());
    }
  }

  /** Declares an exact 1000-byte limit but refuses 1000 bytes. */
  static final class SizeLimitOffByOne extends Broken {
    SizeLimitOffByOne() {
      super(h -> healthy().maxValueSize(MAX - 1).build());
    }
  }

  static final class Noisy extends Broken {
    Noisy() {
      super(BrokenStores.Noisy::new);
    }
  }

  static final class VerboseToStdout extends Broken {
    VerboseToStdout() {
      super(BrokenStores.VerboseToStdout::new);
    }
  }

  static final class ThreadBound extends Broken {
    ThreadBound() {
      super(BrokenStores.ThreadBound::new);
    }
  }

  static final class OneIoThread extends Broken {
    OneIoThread() {
      super(BrokenStores.OneIoThread::new);
    }
  }

  static final class SlowExists extends Broken {
    SlowExists() {
      super(h -> new BrokenStores.SlowExists(h, effective().slack().multipliedBy(3)));
    }
  }

  static final class IgnoresClose extends Broken {
    IgnoresClose() {
      super(BrokenStores.IgnoresClose::new);
    }
  }

  static final class CorruptReadsEmpty extends Broken {
    CorruptReadsEmpty() {
      super(BrokenStores.CorruptReadsEmpty::new);
    }
  }

  /** Healthy, but its "unreachable" store hangs instead of failing. */
  static final class UnresponsiveBackend extends Broken {
    UnresponsiveBackend() {
      super(h -> h);
    }

    @Override
    protected KvStore createUnreachableStore() {
      return new BrokenStores.Unresponsive();
    }
  }

  /** Healthy, but its second party does not see the first party's writes. */
  static final class BlindSecondParty extends Broken {
    BlindSecondParty() {
      super(h -> h);
    }

    @Override
    protected KvStore createSecondParty(KvStore first) {
      return healthy().build();
    }
  }
}
