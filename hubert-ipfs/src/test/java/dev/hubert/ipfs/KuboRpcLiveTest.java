package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendException;
import dev.hubert.envelope.Arid;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RPC client against the real js-ipfs test nodes. js-ipfs is an implementation nobody here
 * wrote, so its answers check our key derivation and encodings independently.
 */
class KuboRpcLiveTest {
  private static ExecutorService executor;
  private static KuboRpc a;
  private static KuboRpc b;

  @BeforeAll
  static void nodes() {
    executor = Executors.newCachedThreadPool();
    a = new KuboRpc(TestNodes.a(), Duration.ofSeconds(5), Duration.ofSeconds(30), executor);
    b = new KuboRpc(TestNodes.b(), Duration.ofSeconds(5), Duration.ofSeconds(30), executor);
  }

  @AfterAll
  static void close() {
    a.close();
    b.close();
    executor.shutdownNow();
  }

  @Test
  void theTestNodesAreJsIpfs() {
    assertEquals(KuboRpc.Dialect.JS_IPFS, a.dialect());
    assertEquals(KuboRpc.Dialect.JS_IPFS, b.dialect());
  }

  /** js-ipfs derives the peer id from the imported key itself: it must equal ours, on both nodes. */
  @Test
  void importedDerivedKeyHasTheComputedPeerIdOnBothNodes() {
    IpnsKey key = IpnsKey.of(Arid.random());
    assertEquals(key.ipnsName(), a.keyImport(key, KuboRpc.Dialect.JS_IPFS));
    assertEquals(key.ipnsName(), b.keyImport(key, KuboRpc.Dialect.JS_IPFS));
    assertEquals(key.ipnsName(), a.keyList().get(key.keyName()));
    BackendException again = assertThrows(BackendException.class,
        () -> a.keyImport(key, KuboRpc.Dialect.JS_IPFS));
    assertTrue(again.getMessage().contains("already exists"), again.getMessage());
  }

  /** js-ipfs prints the name as a base36 CIDv1 in its not-found message: same key, other form. */
  @Test
  void daemonsBase36FormOfTheNameIsOurs() {
    IpnsKey key = IpnsKey.of(Arid.random());
    String answer = TestNodes.raw(TestNodes.b(), "name/resolve?arg=" + key.ipnsName());
    assertTrue(answer.startsWith("500 "), answer);
    assertTrue(answer.contains(base36Name(key)), answer + " should name " + base36Name(key));
    assertTrue(key.matches(base36Name(key)));
    assertEquals(Optional.empty(), b.resolve(key.ipnsName(), Duration.ofSeconds(5)));
  }

  @Test
  void addedContentIsReadableFromTheOtherNode() {
    byte[] data = ("hubert " + Arid.random().hex()).getBytes(StandardCharsets.UTF_8);
    String cid = a.add(data, false);
    assertTrue(cid.startsWith("Qm"), cid);
    assertArrayEquals(data, a.cat(cid, 1000, Duration.ofSeconds(10)));
    assertArrayEquals(data, b.cat(cid, 1000, Duration.ofSeconds(20)));
    // length=max+1 bounds what is read
    assertEquals(6, a.cat(cid, 5, Duration.ofSeconds(10)).length);
  }

  @Test
  void publishedNameResolvesOnTheOtherNode() throws Exception {
    IpnsKey key = IpnsKey.of(Arid.random());
    a.keyImport(key, KuboRpc.Dialect.JS_IPFS);
    String cid = a.add(new byte[] {1, 2, 3}, false);
    a.publish(cid, key.keyName(), Optional.of("1h"));
    Optional<String> path = Optional.empty();
    for (int i = 0; i < 20 && path.isEmpty(); i++) {   // the record is pushed to B during publish
      path = b.resolve(key.ipnsName(), Duration.ofSeconds(5));
      if (path.isEmpty()) {
        Thread.sleep(500);
      }
    }
    assertEquals(Optional.of("/ipfs/" + cid), path);
  }

  @Test
  void wrongUrlIsClearlyReported() {
    KuboRpc wrong = new KuboRpc(URI.create(TestNodes.a() + "/not-the-api"), Duration.ofSeconds(5),
        Duration.ofSeconds(10), executor);
    BackendException e = assertThrows(BackendException.class, wrong::keyList);
    wrong.close();
    assertTrue(e.getMessage().contains("no RPC command key/list"), e.getMessage());
  }

  /** A doubled {@code /api/v0}: js-ipfs's 404 says "Not Found", which is no unpublished name. */
  @Test
  void doubledApiPathIsAnErrorNotAnUnpublishedName() {
    KuboRpc doubled = new KuboRpc(URI.create(TestNodes.a() + "/api/v0"), Duration.ofSeconds(5),
        Duration.ofSeconds(10), executor);
    try {
      BackendException e = assertThrows(BackendException.class,
          () -> doubled.resolve(IpnsKey.of(Arid.random()).ipnsName(), Duration.ofSeconds(5)));
      assertTrue(e.getMessage().contains("no RPC command name/resolve"), e.getMessage());
    } finally {
      doubled.close();
    }
  }

  /** base36 (multibase 'k') of the CIDv1 libp2p-key of the peer id, computed independently. */
  static String base36Name(IpnsKey key) {
    byte[] mh = key.peerIdMultihash();
    byte[] cid = new byte[mh.length + 2];
    cid[0] = 1;
    cid[1] = 0x72;
    System.arraycopy(mh, 0, cid, 2, mh.length);
    return "k" + new BigInteger(1, cid).toString(36);
  }
}
