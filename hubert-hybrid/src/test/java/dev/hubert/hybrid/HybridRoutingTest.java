package dev.hubert.hybrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.ContentNotFoundException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.testkit.InMemoryKvStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hybrid store's routing and failure handling, over in-memory stand-ins for the DHT and IPFS
 * (the conformance suite runs it on the real DHT testnet and IPFS nodes elsewhere).
 */
class HybridRoutingTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  private final InMemoryKvStore dht = InMemoryKvStore.builder().maxValueSize(996).pollInterval(Duration.ofMillis(50)).build();
  private final InMemoryKvStore ipfs = InMemoryKvStore.builder().pollInterval(Duration.ofMillis(50)).build();
  private final CountingStore countedIpfs = new CountingStore(ipfs);
  private final HybridKv hybrid = HybridKv.builderOver(dht, countedIpfs).contentGrace(SHORT).build();

  /** Tagged CBOR size of a text envelope of n ASCII characters (n > 255): 2 + 2 + 3 + n. */
  private static Envelope textOfSize(int taggedBytes) {
    Envelope e = Envelope.of("x".repeat(taggedBytes - 7));
    assertEquals(taggedBytes, e.toCborData().length);
    return e;
  }

  @Test
  void envelopeAtTheLimitGoesToTheDhtOnly() throws Exception {
    Arid arid = Arid.random();
    Envelope e = textOfSize(HybridKv.DEFAULT_DHT_LIMIT);
    Receipt r = hybrid.blocking().put(arid, e);
    assertEquals("Stored in DHT at ARID: " + arid.urString(), r.text());
    assertEquals(0, countedIpfs.puts.get());
    assertEquals(Optional.of(e), dht.blocking().get(arid, Duration.ZERO));
    assertEquals(Optional.of(e), hybrid.blocking().get(arid, SHORT));
  }

  @Test
  void envelopeOneByteOverGoesToIpfsBehindAReference() throws Exception {
    Arid arid = Arid.random();
    Envelope e = textOfSize(HybridKv.DEFAULT_DHT_LIMIT + 1);
    Receipt r = hybrid.blocking().put(arid, e);
    assertTrue(r.text().startsWith("Stored in IPFS (ref: ur:arid/"), r.text());
    assertTrue(r.text().endsWith(") via DHT at ARID: " + arid.urString()), r.text());
    assertEquals(2, r.components().size());
    assertEquals(1, countedIpfs.puts.get());
    Envelope stored = dht.blocking().get(arid, Duration.ZERO).orElseThrow();
    assertTrue(ReferenceEnvelope.isReference(stored), stored.format());
    assertEquals(Optional.of(e), ipfs.blocking().get(ReferenceEnvelope.target(stored), Duration.ZERO));
    assertEquals(Optional.of(e), hybrid.blocking().get(arid, SHORT));
    assertTrue(hybrid.blocking().exists(arid));
  }

  /**
   * A DHT store taking less than 996 bytes lowers the threshold: a larger envelope goes to IPFS
   * instead of failing with ValueTooLargeException.
   */
  @Test
  void thresholdIsAtMostWhatTheDhtStoreTakes() throws Exception {
    InMemoryKvStore smallDht = InMemoryKvStore.builder().maxValueSize(500).build();
    HybridKv h = HybridKv.builderOver(smallDht, 500, countedIpfs).build();
    assertTrue(h.blocking().put(Arid.random(), textOfSize(500)).text().startsWith("Stored in DHT"));
    assertEquals(0, countedIpfs.puts.get());
    Arid arid = Arid.random();
    Envelope e = textOfSize(600);
    assertTrue(h.blocking().put(arid, e).text().startsWith("Stored in IPFS (ref: "));
    assertEquals(1, countedIpfs.puts.get());
    assertEquals(Optional.of(e), h.blocking().get(arid, SHORT));
  }

  /** A threshold over what the DHT store takes (the reference's 1000) is refused at once. */
  @Test
  void dhtLimitAboveTheDhtStoresMaximumIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HybridKv.builderOver(dht, ipfs).dhtLimit(1000));
    assertTrue(e.getMessage().contains("996"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> HybridKv.builderOver(dht, 500, ipfs).dhtLimit(501));
    HybridKv.builderOver(dht, 500, ipfs).dhtLimit(500);
    assertThrows(IllegalArgumentException.class, () -> HybridKv.builderOver(dht, 73, ipfs));
  }

  /** Timeouts up to Long.MAX_VALUE seconds neither throw nor overflow. */
  @Test
  void hugeTimeoutIsBounded() throws Exception {
    Arid small = Arid.random();
    Arid large = Arid.random();
    hybrid.blocking().put(small, Envelope.of("small"));
    hybrid.blocking().put(large, textOfSize(2000));
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    assertEquals(Optional.of(Envelope.of("small")),
        hybrid.get(small, huge).get(30, TimeUnit.SECONDS));
    assertEquals(Optional.of(textOfSize(2000)), hybrid.get(large, huge).get(30, TimeUnit.SECONDS));
  }

  @Test
  void takenAridIsRefusedBeforeAnythingIsUploaded() {
    Arid arid = Arid.random();
    hybrid.blocking().put(arid, Envelope.of("first"));
    assertThrows(AlreadyExistsException.class, () -> hybrid.blocking().put(arid, textOfSize(5000)));
    assertEquals(0, countedIpfs.puts.get(), "a refused large put must leave no orphan content in IPFS");
  }

  @Test
  void ipfsDownFailsLargePutsTypedAndLeavesTheAridFree() {
    HybridKv broken = HybridKv.builderOver(dht, new UnreachableStore()).build();
    Arid small = Arid.random();
    broken.blocking().put(small, Envelope.of("still works"));
    assertEquals(Optional.of(Envelope.of("still works")), broken.blocking().get(small, SHORT));
    Arid large = Arid.random();
    assertThrows(BackendUnavailableException.class, () -> broken.blocking().put(large, textOfSize(2000)));
    assertFalse(dht.blocking().exists(large), "nothing may be half-written at the caller's ARID");
  }

  @Test
  void referenceWhoseContentIsMissingFailsWithContentNotFound() throws Exception {
    Arid arid = Arid.random();
    dht.blocking().put(arid, ReferenceEnvelope.create(Arid.random(), 2000));
    CompletableFuture<Optional<Envelope>> get = hybrid.get(arid, SHORT);
    ExecutionException e = assertThrows(ExecutionException.class, () -> get.get(30, TimeUnit.SECONDS));
    assertInstanceOf(ContentNotFoundException.class, e.getCause());
  }

  @Test
  void failuresAreTheHubertExceptionItselfNotACompletionException() throws Exception {
    Arid reference = Arid.random();
    dht.blocking().put(reference, ReferenceEnvelope.create(Arid.random(), 2000));
    assertInstanceOf(ContentNotFoundException.class, handled(hybrid.get(reference, SHORT)));
    Arid small = Arid.random();
    hybrid.blocking().put(small, Envelope.of("first"));
    assertInstanceOf(AlreadyExistsException.class, handled(hybrid.put(small, Envelope.of("x"))));
    assertInstanceOf(AlreadyExistsException.class, handled(hybrid.put(small, textOfSize(5000))));
    HybridKv broken = HybridKv.builderOver(dht, new UnreachableStore()).build();
    assertInstanceOf(BackendUnavailableException.class,
        handled(broken.put(Arid.random(), textOfSize(2000))));
  }

  /** The raw failure {@code handle} sees. */
  private static Throwable handled(CompletableFuture<?> f) throws Exception {
    return f.handle((v, e) -> e).get(30, TimeUnit.SECONDS);
  }

  @Test
  void cancellingAGetCancelsTheDhtOrIpfsGetUnderWay() throws Exception {
    PendingGets pendingDht = new PendingGets(dht);
    assertTrue(HybridKv.builderOver(pendingDht, ipfs).build()
        .get(Arid.random(), Duration.ofSeconds(30)).cancel(false));
    assertTrue(pendingDht.last.isCancelled(), "the DHT's get is cancelled");

    Arid arid = Arid.random();
    dht.blocking().put(arid, ReferenceEnvelope.create(Arid.random(), 2000));
    PendingGets pendingIpfs = new PendingGets(ipfs);
    CompletableFuture<?> get = HybridKv.builderOver(dht, pendingIpfs).build()
        .get(arid, Duration.ofSeconds(30));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pendingIpfs.last == null) { // the reference found, the content asked for
      assertTrue(System.nanoTime() - end < 0, "no IPFS get within 10 s");
      Thread.sleep(5);
    }
    assertTrue(get.cancel(false));
    assertTrue(pendingIpfs.last.isCancelled(), "the IPFS get is cancelled");
  }

  @Test
  void missingAridCompletesEmpty() {
    assertEquals(Optional.empty(), hybrid.blocking().get(Arid.random(), SHORT));
  }

  @Test
  void closedStoreRefusesNewCallsButLeavesItsPartsOpen() throws Exception {
    HybridKv h = HybridKv.builderOver(dht, ipfs).build();
    h.close();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> h.exists(Arid.random()).get(10, TimeUnit.SECONDS));
    assertInstanceOf(BackendUnavailableException.class, e.getCause());
    assertFalse(dht.blocking().exists(Arid.random()));
  }

  @Test
  void argumentsAreCheckedEagerly() {
    assertThrows(NullPointerException.class, () -> hybrid.put(null, Envelope.of("x")));
    assertThrows(NullPointerException.class, () -> hybrid.put(Arid.random(), null));
    assertThrows(IllegalArgumentException.class, () -> hybrid.put(Arid.random(), Envelope.of("x"), Duration.ofSeconds(-1), false));
    assertThrows(IllegalArgumentException.class, () -> hybrid.get(Arid.random(), Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> HybridKv.builderOver(dht, ipfs).dhtLimit(73));
  }

  /** Counts puts, to see what reached "IPFS". */
  private static final class CountingStore implements KvStore {
    final KvStore inner;
    final AtomicInteger puts = new AtomicInteger();

    CountingStore(KvStore inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
      puts.incrementAndGet();
      return inner.put(arid, envelope, ttl, verbose);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
      return inner.get(arid, timeout, verbose);
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return inner.exists(arid);
    }
  }

  /** A store whose gets never complete by themselves (the test keeps the last one). */
  private static final class PendingGets implements KvStore {
    final KvStore inner;
    volatile CompletableFuture<Optional<Envelope>> last;

    PendingGets(KvStore inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
      return inner.put(arid, envelope, ttl, verbose);
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
      last = new CompletableFuture<>();
      return last;
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return inner.exists(arid);
    }
  }

  /** Fault injection: an IPFS that cannot be reached. */
  private static final class UnreachableStore implements KvStore {
    @Override
    public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
      return CompletableFuture.failedFuture(new BackendUnavailableException("connection refused"));
    }

    @Override
    public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
      return CompletableFuture.failedFuture(new BackendUnavailableException("connection refused"));
    }

    @Override
    public CompletableFuture<Boolean> exists(Arid arid) {
      return CompletableFuture.failedFuture(new BackendUnavailableException("connection refused"));
    }
  }
}
