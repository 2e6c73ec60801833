package dev.hubert.hybrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.dht.testing.DhtTestnet;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.envelope.KnownValue;
import dev.hubert.ipfs.IpfsKv;
import dev.hubert.testkit.Capabilities;
import dev.hubert.testkit.KvStoreConformance;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against {@link HybridKv} on the real networks: a ten-node Mainline DHT
 * testnet and the two js-ipfs test nodes. The store under test writes through DHT client
 * 198.51.100.11 and IPFS node A; the second party reads through DHT client .12 and IPFS node B,
 * so every two-party rule crosses both networks. Extra tests put envelopes on both sides of the
 * 996-byte threshold and at it, lower it with a smaller DHT maximum, and take IPFS away while
 * the DHT stays up. DHT clients (198.51.100.11–18) are lent to stores and reused once a store
 * closes, so the tests may run in any order.
 */
class HybridKvConformanceTest extends KvStoreConformance {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int UNREACHABLE_HOST = 19;
  private static final int NOBODY_HOST = 20;

  private DhtTestnet net;
  /** Client addresses 198.51.100.11–18 that no DHT client holds. */
  private final Deque<Integer> freeHosts = new ArrayDeque<>(List.of(11, 12, 13, 14, 15, 16, 17, 18));
  /**
   * Open DHT clients with the default configuration that no store uses now: the next store takes
   * one of these before a new address (so tests may run in any order). The testnet closes them.
   */
  private final Deque<MainlineDhtKv> idleClients = new ArrayDeque<>();

  @BeforeAll
  void startTestnet() {
    net = DhtTestnet.start();
  }

  @AfterAll
  void stopTestnet() {
    if (net != null) {
      net.close();
    }
  }

  /** A DHT client no open store uses: an idle one, else a new one on a free address. */
  private synchronized MainlineDhtKv borrowDht() {
    MainlineDhtKv idle = idleClients.poll();
    return idle != null ? idle : net.client(takeHost());
  }

  private synchronized void returnDht(MainlineDhtKv dht) {
    idleClients.push(dht);
  }

  private synchronized int takeHost() {
    Integer host = freeHosts.poll();
    if (host == null) {
      throw new IllegalStateException("all DHT client addresses 198.51.100.11-18 are in use: a"
          + " test keeps stores open");
    }
    return host;
  }

  private synchronized void releaseHost(int host) {
    freeHosts.addLast(host);
  }

  /** A hybrid store over a borrowed DHT client and its own IPFS store; close returns the client. */
  private KvStore hybridOn(URI ipfsNode) {
    MainlineDhtKv dht = borrowDht();
    IpfsKv ipfs = IpfsKv.builder().rpcUrl(ipfsNode).build();
    return new ClosingKvStore(HybridKv.builder(dht, ipfs).build(), () -> {
      ipfs.close();
      returnDht(dht);
    });
  }

  @Override
  protected KvStore createStore() {
    return hybridOn(IpfsNodes.a());
  }

  @Override
  protected KvStore createSecondParty(KvStore first) {
    return hybridOn(IpfsNodes.b());
  }

  @Override
  protected Capabilities capabilities() {
    return Capabilities.builder()
        .maxValueSize(IpfsKv.DEFAULT_MAX_ENVELOPE_SIZE)   // large envelopes go to IPFS
        .exactValueSizeLimit(true)
        .atomicWriteOnce(true)                           // the DHT's cas=0 decides the caller's ARID
        .build();
  }

  @Override
  protected KvStore createUnreachableStore() throws Exception {
    MainlineDhtKv dht = MainlineDhtKv.start(MainlineDhtKv.config()
        .bindAddress(DhtTestnet.address(UNREACHABLE_HOST))
        .port(DhtTestnet.PORT)
        .bootstrap(List.of(new InetSocketAddress(DhtTestnet.address(NOBODY_HOST), DhtTestnet.PORT)))
        .requestThrottling(false)
        .operationTimeout(Duration.ofSeconds(10))
        .lookupTimeout(Duration.ofSeconds(2))
        .build());
    IpfsKv ipfs = IpfsKv.builder().rpcUrl("http://127.0.0.1:" + freePort()).build();
    return new ClosingKvStore(HybridKv.builder(dht, ipfs).build(), () -> {
      ipfs.close();
      dht.close();
    });
  }

  /**
   * A reference envelope whose {@code 'id'} is not an ARID: valid bytes for the DHT, but nothing
   * the hybrid store can dereference.
   */
  @Override
  protected boolean writeCorruptValue(KvStore store, Arid arid) throws Exception {
    Envelope broken = Envelope.leaf(KnownValue.UNIT.taggedCbor())
        .addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of("ipfs"))
        .addAssertion(KnownValue.ID, Envelope.of("not an ARID"));
    MainlineDhtKv writer = borrowDht();
    try {
      writer.put(arid, broken).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      returnDht(writer);
    }
    return true;
  }

  /**
   * The store has no expiry (rule 2.4: it ignores TTLs, as the DHT does), so the kit's expiry
   * rules skip. A TTL must not half-expire a value either: a large envelope's content outlives
   * its reference (hubert 0.5.0 passed the TTL to IPFS, and after it the reference pointed at
   * nothing). Both sizes, put with a 1 s TTL, read back on the other side 3 s later.
   */
  @Test
  void aTtlIsIgnoredForSmallAndLargeValues() throws Exception {
    try (KvStore writer = createStore(); KvStore reader = createSecondParty(null)) {
      Arid small = Arid.random();
      Envelope smallValue = Envelope.of("TTL ignored by the DHT");
      Arid large = Arid.random();
      Envelope largeValue = Envelope.of("l".repeat(3000));
      writer.put(small, smallValue, Duration.ofSeconds(1), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Receipt r = writer.put(large, largeValue, Duration.ofSeconds(1), false)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(r.text().startsWith("Stored in IPFS (ref: "), r.text());
      Thread.sleep(3000); // past the TTL: nothing that honoured it would be left
      assertEquals(Optional.of(smallValue), reader.get(small, Duration.ofSeconds(30))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS), "the small value");
      assertEquals(Optional.of(largeValue), reader.get(large, Duration.ofSeconds(30))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS), "the large value's content");
    }
  }

  /** 995, 996 (the threshold) and 997 bytes: written on one side, read on the other. */
  @Test
  void envelopesAroundTheThresholdCrossBothNetworks() throws Exception {
    try (KvStore writer = createStore(); KvStore reader = createSecondParty(null)) {
      for (int size : new int[] {995, HybridKv.DEFAULT_DHT_LIMIT, 997, 5000}) {
        Arid arid = Arid.random();
        Envelope e = Envelope.of("x".repeat(size - 7));
        assertEquals(size, e.toCborData().length);
        Receipt r = writer.put(arid, e).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        boolean viaIpfs = size > HybridKv.DEFAULT_DHT_LIMIT;
        assertEquals(viaIpfs, r.text().startsWith("Stored in IPFS (ref: "), size + " bytes: " + r.text());
        assertEquals(!viaIpfs, r.text().startsWith("Stored in DHT at ARID: "), size + " bytes: " + r.text());
        assertEquals(Optional.of(e), reader.get(arid, Duration.ofSeconds(60)).get(WAIT.toSeconds(), TimeUnit.SECONDS),
            size + "-byte envelope written on A/.11 was not read back on B/.12");
      }
    }
  }

  /**
   * A DHT client that takes at most 500 bytes lowers the threshold: a 600-byte envelope goes to
   * IPFS instead of failing with ValueTooLargeException, and reads back on the other side.
   */
  @Test
  void aSmallerDhtMaximumLowersTheThreshold() throws Exception {
    int host = takeHost();
    try (MainlineDhtKv small = net.client(net.clientConfig(host).maxValueSize(500).build());
         IpfsKv ipfs = IpfsKv.builder().rpcUrl(IpfsNodes.a()).build();
         KvStore reader = createSecondParty(null)) {
      HybridKv writer = HybridKv.builder(small, ipfs).build();
      Arid arid = Arid.random();
      Envelope e = Envelope.of("z".repeat(600 - 7));
      Receipt r = writer.put(arid, e).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(r.text().startsWith("Stored in IPFS (ref: "), r.text());
      assertEquals(Optional.of(e), reader.get(arid, Duration.ofSeconds(60))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertThrows(IllegalArgumentException.class, () -> HybridKv.builder(small, ipfs).dhtLimit(501));
    } finally {
      releaseHost(host);
    }
  }

  /** IPFS down, DHT up: small values still work; large ones fail typed and leave the ARID free. */
  @Test
  void ipfsDownWhileTheDhtIsUp() throws Exception {
    try (KvStore s = hybridOn(URI.create("http://127.0.0.1:" + freePort()))) {
      Arid small = Arid.random();
      s.put(small, Envelope.of("small still works")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(Optional.of(Envelope.of("small still works")),
          s.get(small, Duration.ofSeconds(30)).get(WAIT.toSeconds(), TimeUnit.SECONDS));
      Arid large = Arid.random();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> s.put(large, Envelope.of("y".repeat(3000))).get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertInstanceOf(BackendUnavailableException.class, e.getCause());
      assertFalse(s.exists(large).get(WAIT.toSeconds(), TimeUnit.SECONDS),
          "a failed large put left something at the caller's ARID");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // closed again: nobody listens there
    }
  }

  /** Delegates to a hybrid store and lets go of its parts with it. */
  private static final class ClosingKvStore implements KvStore {
    private final HybridKv hybrid;
    private final Runnable releaseParts;
    private final AtomicBoolean released = new AtomicBoolean();

    ClosingKvStore(HybridKv hybrid, Runnable releaseParts) {
      this.hybrid = hybrid;
      this.releaseParts = releaseParts;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
      return hybrid.put(arid, envelope, ttl, verbose);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
      return hybrid.get(arid, timeout, verbose);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> exists(Arid arid) {
      return hybrid.exists(arid);
    }

    @Override
    public Duration defaultTimeout() {
      return hybrid.defaultTimeout();
    }

    @Override
    public void close() {
      hybrid.close();
      if (released.compareAndSet(false, true)) {   // a DHT client goes back to the pool once
        releaseParts.run();
      }
    }
  }
}
