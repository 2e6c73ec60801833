package dev.hubert.testkit;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import java.time.Duration;

/** The conformance suite against the reference in-memory store, with every hook in use. */
class InMemoryKvStoreConformanceTest extends KvStoreConformance {
  @Override
  protected KvStore createStore() {
    return InMemoryKvStore.builder()
        .maxValueSize(1000)
        .pollInterval(Duration.ofMillis(50))
        .build();
  }

  @Override
  protected KvStore createSecondParty(KvStore first) {
    // another client of the same backend: here, a store sharing the first one's entries
    return InMemoryKvStore.builder()
        .sharingEntriesWith((InMemoryKvStore) first)
        .pollInterval(Duration.ofMillis(50))
        .build();
  }

  @Override
  protected Capabilities capabilities() {
    return Capabilities.builder()
        .maxValueSize(1000)          // envelope.toCborData().length
        .exactValueSizeLimit(true)   // 1000 bytes accepted, 1001 refused
        .supportsTtl(Duration.ofMillis(50))
        .build();
  }

  @Override
  protected Timing timing() {
    // an in-memory store answers at once; a network store keeps the defaults
    return Timing.defaults()
        .withMissingTimeout(Duration.ofMillis(300))
        .withSlack(Duration.ofSeconds(2))
        .withOperationTimeout(Duration.ofSeconds(10));
  }

  @Override
  protected KvStore createUnreachableStore() {
    // nothing to disconnect in memory: a closed store fails the way an unreachable one must
    KvStore closed = createStore();
    closed.close();
    return closed;
  }

  @Override
  protected boolean writeCorruptValue(KvStore store, Arid arid) {
    // a network store writes through its backend's own client here
    ((InMemoryKvStore) store).putRaw(arid, new byte[] {(byte) 0xff});
    return true;
  }
}
