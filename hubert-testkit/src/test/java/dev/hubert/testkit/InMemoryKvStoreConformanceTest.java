package dev.hubert.testkit;

import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import java.time.Duration;

// README example: begin
/** Runs the conformance suite against the reference in-memory store. */
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
    return InMemoryKvStore.builder().sharingEntriesWith((InMemoryKvStore) first).build();
  }

  @Override
  protected Capabilities capabilities() {
    return Capabilities.builder()
        .maxValueSize(1000)
        .exactValueSizeLimit(true)
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
  // README example: end

  @Override
  protected boolean writeCorruptValue(KvStore store, Arid arid) {
    ((InMemoryKvStore) store).putRaw(arid, new byte[] {(byte) 0xff});
    return true;
  }

  @Override
  protected KvStore createUnreachableStore() {
    // the in-memory store has no backend to lose; a closed one stands in for an unreachable one
    KvStore closed = createStore();
    closed.close();
    return closed;
  }
}
