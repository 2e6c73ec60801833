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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against {@link HybridKv} on the real networks: a ten-node Mainline DHT
 * testnet and the two js-ipfs test nodes. The store under test writes through DHT client
 * 198.51.100.11 and IPFS node A; the second party reads through DHT client .12 and IPFS node B,
 * so every two-party rule crosses both networks. Extra tests put envelopes on both sides of the
 * 996-byte threshold and at it, and take IPFS away while the DHT stays up.
 */
class HybridKvConformanceTest extends KvStoreConformance {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int UNREACHABLE_HOST = 19;
  private static final int NOBODY_HOST = 20;

  private DhtTestnet net;
  private int nextHost = 11;

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

  private synchronized MainlineDhtKv dhtClient() {
    if (nextHost >= UNREACHABLE_HOST) {
      throw new IllegalStateException("out of test addresses 198.51.100.11-18");
    }
    return net.client(nextHost++);
  }

  /** A hybrid store that owns its two parts (the hybrid store itself closes neither). */
  private static KvStore owning(HybridKv hybrid, KvStore... parts) {
    return new ClosingKvStore(hybrid, List.of(parts));
  }

  @Override
  protected KvStore createStore() {
    MainlineDhtKv dht = dhtClient();
    IpfsKv ipfs = IpfsKv.builder().rpcUrl(IpfsNodes.a()).build();
    return owning(HybridKv.builder(dht, ipfs).build(), dht, ipfs);
  }

  @Override
  protected KvStore createSecondParty(KvStore first) {
    MainlineDhtKv dht = dhtClient();
    IpfsKv ipfs = IpfsKv.builder().rpcUrl(IpfsNodes.b()).build();
    return owning(HybridKv.builder(dht, ipfs).build(), dht, ipfs);
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
    return owning(HybridKv.builder(dht, ipfs).build(), dht, ipfs);
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
    try (MainlineDhtKv writer = net.client(18)) {
      writer.put(arid, broken).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    return true;
  }

  /** Rule 2.4 does not apply as written: the DHT ignores TTLs, so the reference never expires. */
  @Test
  @Override
  public void rule2_4_valueExpiresAfterItsTtl() {
    ttlIsIgnoredByTheDht();
  }

  /** Rule 3.5 likewise: with TTLs ignored by the DHT, no value ever expires early. */
  @Test
  @Override
  public void rule3_5_expiredValueIsNeverReturned() {
    ttlIsIgnoredByTheDht();
  }

  private void ttlIsIgnoredByTheDht() {
    try (KvStore s = createStore()) {
      Arid arid = Arid.random();
      Envelope e = Envelope.of("TTL ignored by the DHT");
      s.put(arid, e, Duration.ofSeconds(1), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Thread.sleep(2000);
      assertEquals(Optional.of(e), s.get(arid, Duration.ofSeconds(10)).get(WAIT.toSeconds(), TimeUnit.SECONDS),
          "a small value put with a 1 s TTL is still readable after 2 s: the DHT keeps items about 2 h");
    } catch (Exception e) {
      throw new AssertionError(e);
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

  /** IPFS down, DHT up: small values still work; large ones fail typed and leave the ARID free. */
  @Test
  void ipfsDownWhileTheDhtIsUp() throws Exception {
    MainlineDhtKv dht = dhtClient();
    IpfsKv deadIpfs = IpfsKv.builder().rpcUrl("http://127.0.0.1:" + freePort()).build();
    try (KvStore s = owning(HybridKv.builder(dht, deadIpfs).build(), dht, deadIpfs)) {
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

  /** Delegates to a hybrid store and closes its parts with it. */
  private static final class ClosingKvStore implements KvStore {
    private final HybridKv hybrid;
    private final List<KvStore> parts;

    ClosingKvStore(HybridKv hybrid, List<KvStore> parts) {
      this.hybrid = hybrid;
      this.parts = parts;
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
      parts.forEach(KvStore::close);
    }
  }
}
