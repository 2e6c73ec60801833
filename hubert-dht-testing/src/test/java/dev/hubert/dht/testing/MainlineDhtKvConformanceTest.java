package dev.hubert.dht.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.KvStore;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.testkit.Capabilities;
import dev.hubert.testkit.KvStoreConformance;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against {@link MainlineDhtKv} on a ten-node testnet: the store under test
 * and the second party are separate DHT nodes (198.51.100.11 and up), so every two-party rule
 * crosses the network. No rule is skipped: the unreachable store bootstraps from an address
 * where nothing listens, corrupt values are written by npm bittorrent-dht, and the TTL rules are
 * replaced by checks of what this store documents instead (it ignores TTLs, as the reference does).
 */
class MainlineDhtKvConformanceTest extends KvStoreConformance {
  private static final int FIRST_STORE_HOST = 11;
  private static final int UNREACHABLE_HOST = 19;
  private static final int NOBODY_HOST = 20;

  private DhtTestnet net;
  private InteropPeer writerOfCorruptValues;
  private int nextHost = FIRST_STORE_HOST;

  @BeforeAll
  void startTestnet() {
    net = DhtTestnet.start();
  }

  @AfterAll
  void stopTestnet() {
    if (writerOfCorruptValues != null) {
      writerOfCorruptValues.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private synchronized int host() {
    if (nextHost >= UNREACHABLE_HOST) {
      throw new IllegalStateException("out of test addresses");
    }
    return nextHost++;
  }

  @Override
  protected KvStore createStore() {
    return net.client(host());
  }

  @Override
  protected KvStore createSecondParty(KvStore first) {
    return net.client(host());
  }

  @Override
  protected Capabilities capabilities() {
    return Capabilities.builder()
        .maxValueSize(MainlineDhtKv.MAX_VALUE_SIZE)
        .exactValueSizeLimit(true)
        // storing nodes decide create-if-absent (cas = 0); a store's racing puts reach them in order
        .atomicWriteOnce(true)
        .build();
  }

  @Override
  protected KvStore createUnreachableStore() {
    return MainlineDhtKv.start(MainlineDhtKv.config()
        .bindAddress(DhtTestnet.address(UNREACHABLE_HOST))
        .port(DhtTestnet.PORT)
        .bootstrap(List.of(new InetSocketAddress(DhtTestnet.address(NOBODY_HOST), DhtTestnet.PORT)))
        .requestThrottling(false)
        .operationTimeout(Duration.ofSeconds(10))
        .lookupTimeout(Duration.ofSeconds(2))
        .build());
  }

  /** Stores bytes that de-obfuscate to 0xff 0x00… (not CBOR) through another implementation. */
  @Override
  protected boolean writeCorruptValue(KvStore store, Arid arid) throws Exception {
    if (writerOfCorruptValues == null) {
      writerOfCorruptValues = InteropPeer.start(InteropPeer.Kind.BITTORRENT_DHT,
          net.addresses().subList(0, 1));
    }
    byte[] notCbor = {(byte) 0xff, 0, 0, 0};
    JsonObject put = writerOfCorruptValues.put(AridDerivation.mainlineSigningSeed(arid), null,
        AridDerivation.obfuscate(arid, notCbor), 0);
    assertTrue(put.get("ok").getAsBoolean(), "bittorrent-dht put failed: " + put);
    return true;
  }

  /**
   * Replaces rule 2.4's expiry check: the Mainline DHT ignores TTLs (hubert 0.5.0 does too; nodes
   * keep items about two hours), so a value put with a short TTL is still there after it.
   */
  @Test
  @Override
  public void rule2_4_valueExpiresAfterItsTtl() {
    ttlIsIgnored();
  }

  /** Replaces rule 3.5 in the same way: with TTLs ignored, no value ever expires early. */
  @Test
  @Override
  public void rule3_5_expiredValueIsNeverReturned() {
    ttlIsIgnored();
  }

  private void ttlIsIgnored() {
    try (MainlineDhtKv writer = net.client(18)) {
      Arid arid = Arid.random();
      Envelope env = Envelope.of("TTL ignored");
      writer.put(arid, env, Duration.ofSeconds(1), false).get(60, TimeUnit.SECONDS);
      Thread.sleep(2000);
      Optional<Envelope> got = writer.get(arid, Duration.ofSeconds(10)).get(60, TimeUnit.SECONDS);
      assertTrue(got.isPresent() && got.get().isIdenticalTo(env),
          "a value put with a 1 s TTL is still readable after 2 s: the DHT ignores TTLs");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
