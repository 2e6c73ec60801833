package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendException;
import dev.hubert.api.Receipt;
import dev.hubert.envelope.Arid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's logic on envelope bytes against the two real js-ipfs nodes: writer on A, reader on
 * B. (The {@code KvStore} conformance suite runs on {@link IpfsKv}; this covers what is specific
 * to IPFS: derived names across nodes, write-once before any write, pins, lifetimes, key clashes.)
 */
class IpfsStoreLiveTest {
  private static final Duration NO_HANG = Duration.ofSeconds(120);
  private static ExecutorService executor;
  private static final List<KuboRpc> clients = new ArrayList<>();
  private static URI nodeA;
  private static URI nodeB;
  private static IpfsStore a;
  private static IpfsStore b;

  @BeforeAll
  static void start() {
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ipfs-store-test");
      t.setDaemon(true);
      return t;
    });
    nodeA = TestNodes.a();
    nodeB = TestNodes.b();
    a = store(nodeA, 10 * 1024 * 1024, false);
    b = store(nodeB, 10 * 1024 * 1024, false);
  }

  @AfterAll
  static void stop() {
    clients.forEach(KuboRpc::close);
    executor.shutdownNow();
  }

  static IpfsStore store(URI node, long maxSize, boolean pin) {
    KuboRpc rpc = new KuboRpc(node, Duration.ofSeconds(5), Duration.ofSeconds(30), executor);
    clients.add(rpc);
    return new IpfsStore(rpc, maxSize, pin, Duration.ofSeconds(10), Duration.ofSeconds(30),
        Arid::toString, executor);
  }

  @Test
  void writerOnAReaderOnB() throws Exception {
    Arid arid = Arid.random();
    byte[] value = bytes("two parties " + arid.hex());
    assertFalse(await(b.exists(arid)));
    Receipt receipt = await(a.put(arid, value, null, false));
    String name = IpnsKey.of(arid).ipnsName();
    assertTrue(receipt.text().startsWith("ipns://" + name + " -> ipfs://Qm"), receipt.text());
    Optional<byte[]> got = await(b.get(arid, Duration.ofSeconds(30), false));
    assertArrayEquals(value, got.orElseThrow());
    assertTrue(await(b.exists(arid)));
    assertTrue(await(a.exists(arid)));
    // what is stored is obfuscated: the IPFS object is not the plain value
    String cid = receipt.text().substring(receipt.text().indexOf("ipfs://") + 7);
    String stored = TestNodes.raw(nodeA, "cat?arg=" + cid);
    assertFalse(stored.contains("two parties"), stored);
  }

  @Test
  void writeOnceIsCheckedOnEitherNodeAndARefusedPutLeavesNothing() throws Exception {
    Arid arid = Arid.random();
    String firstCid = cid(await(a.put(arid, bytes("first"), null, false)));
    awaitResolvable(b, arid);
    byte[] second = bytes("second " + arid.hex());
    assertAlreadyExists(a.put(arid, second, null, false), arid);
    assertAlreadyExists(b.put(arid, second, null, false), arid);
    assertEquals("first", new String(await(b.get(arid, Duration.ZERO, false)).orElseThrow(),
        StandardCharsets.UTF_8));
    // B refused before importing the key or adding the content
    String keyName = IpnsKey.of(arid).keyName();
    assertFalse(TestNodes.raw(nodeB, "key/list").contains(keyName));
    String refused = TestNodes.onlyHash(nodeB, dev.hubert.api.AridDerivation.obfuscate(arid, second));
    String stat = TestNodes.raw(nodeB, "block/stat?arg=" + refused + "&offline=true&timeout=1s");
    assertFalse(stat.startsWith("200"), "refused content must not be on B: " + stat);
    String statA = TestNodes.raw(nodeA, "block/stat?arg=" + refused + "&offline=true&timeout=1s");
    assertFalse(statA.startsWith("200"), "refused content must not be on A: " + statA);
    String control = TestNodes.raw(nodeA, "block/stat?arg=" + firstCid + "&offline=true&timeout=1s");
    assertTrue(control.startsWith("200"), "the stored content is on A: " + control);
  }

  @Test
  void concurrentPutsOfOneAridThroughOneStoreLetOneWin() throws Exception {
    Arid arid = Arid.random();
    List<CompletableFuture<Receipt>> puts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      puts.add(a.put(arid, bytes("racer " + i), null, false));
    }
    int won = 0;
    for (CompletableFuture<Receipt> put : puts) {
      try {
        put.get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
        won++;
      } catch (ExecutionException e) {
        assertInstanceOf(AlreadyExistsException.class, e.getCause());
      }
    }
    assertEquals(1, won);
  }

  @Test
  void getPollsUntilTheValueIsPublished() throws Exception {
    Arid arid = Arid.random();
    CompletableFuture<Optional<byte[]>> get = b.get(arid, Duration.ofSeconds(60), false);
    Thread.sleep(2500);
    assertFalse(get.isDone(), "get must keep polling a name that is not published yet");
    await(a.put(arid, bytes("late"), null, false));
    assertArrayEquals(bytes("late"), await(get).orElseThrow());
  }

  @Test
  void missingValueTimesOutEmptyNoEarlierThanTheTimeout() throws Exception {
    Arid arid = Arid.random();
    long t0 = System.nanoTime();
    assertEquals(Optional.empty(), await(b.get(arid, Duration.ofSeconds(2), false)));
    assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(2).toNanos());
    assertEquals(Optional.empty(), await(b.get(arid, Duration.ZERO, false)));
    assertFalse(await(a.exists(arid)));
  }

  @Test
  void anExpiredRecordIsNotFound() throws Exception {
    Arid arid = Arid.random();
    await(a.put(arid, bytes("short-lived"), Duration.ofSeconds(2), false));
    Thread.sleep(4000);
    assertEquals(Optional.empty(), await(b.get(arid, Duration.ZERO, false)));
    assertFalse(await(a.exists(arid)));
  }

  /**
   * A put with a TTL removes its key (Kubo would republish the record past the TTL); the writer's
   * own node still finds the value and still refuses a second put.
   */
  @Test
  void aTtlPutLeavesNoKeyAndItsValueStaysReadableAndWriteOnce() throws Exception {
    Arid arid = Arid.random();
    await(a.put(arid, bytes("with a TTL"), Duration.ofHours(1), false));
    assertFalse(TestNodes.raw(nodeA, "key/list").contains(IpnsKey.of(arid).keyName()));
    assertTrue(await(a.exists(arid)));
    assertEquals("with a TTL", new String(await(a.get(arid, Duration.ZERO, false)).orElseThrow(),
        StandardCharsets.UTF_8));
    awaitResolvable(b, arid);
    assertAlreadyExists(a.put(arid, bytes("again"), Duration.ofHours(1), false), arid);
    Arid kept = Arid.random();
    await(a.put(kept, bytes("no TTL"), null, false));
    assertTrue(TestNodes.raw(nodeA, "key/list").contains(IpnsKey.of(kept).keyName()));
  }

  /** A 30-day lookup timeout: js-ipfs's timers would fire at once beyond 2^31-1 ms. */
  @Test
  void longLookupTimeoutsWork() throws Exception {
    Duration month = Duration.ofDays(30);
    KuboRpc rpcA = new KuboRpc(nodeA, Duration.ofSeconds(5), month, executor);
    KuboRpc rpcB = new KuboRpc(nodeB, Duration.ofSeconds(5), month, executor);
    clients.add(rpcA);
    clients.add(rpcB);
    IpfsStore patientA = new IpfsStore(rpcA, 1024, false, month, month, Arid::toString, executor);
    IpfsStore patientB = new IpfsStore(rpcB, 1024, false, month, month, Arid::toString, executor);
    Arid arid = Arid.random();
    await(patientA.put(arid, bytes("patient"), null, false));
    assertArrayEquals(bytes("patient"), await(patientB.get(arid, month, false)).orElseThrow());
  }

  @Test
  void pinOptionDecidesWhetherTheContentIsPinned() throws Exception {
    IpfsStore pinning = store(nodeA, 10 * 1024 * 1024, true);
    String pinned = cid(await(pinning.put(Arid.random(), bytes("pinned"), null, false)));
    String unpinned = cid(await(a.put(Arid.random(), bytes("unpinned"), null, false)));
    String pins = TestNodes.raw(nodeA, "pin/ls?type=recursive");
    assertTrue(pins.contains(pinned), pins);
    assertFalse(pins.contains(unpinned), pins);
  }

  @Test
  void aForeignKeyUnderTheDerivedNameIsRefusedClearly() {
    Arid arid = Arid.random();
    String keyName = IpnsKey.of(arid).keyName();
    // what hubert 0.5.0 does: a random key under the derived name
    String gen = TestNodes.raw(nodeA, "key/gen?arg=" + keyName + "&type=ed25519");
    assertTrue(gen.startsWith("200"), gen);
    CompletableFuture<Receipt> put = a.put(arid, bytes("x"), null, false);
    ExecutionException e = assertThrows(ExecutionException.class, () -> put.get(60, TimeUnit.SECONDS));
    assertInstanceOf(BackendException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("ipfs key rm " + keyName), e.getCause().getMessage());
  }

  @Test
  void largeValueCrossesNodes() throws Exception {
    Arid arid = Arid.random();
    byte[] value = new byte[3 * 1024 * 1024];
    new java.util.Random(7).nextBytes(value);
    await(a.put(arid, value, null, false));
    assertArrayEquals(value, await(b.get(arid, Duration.ofSeconds(60), false)).orElseThrow());
  }

  private static void assertAlreadyExists(CompletableFuture<Receipt> put, Arid arid) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> put.get(NO_HANG.toSeconds(), TimeUnit.SECONDS));
    AlreadyExistsException ae = assertInstanceOf(AlreadyExistsException.class, e.getCause());
    assertEquals(arid, ae.arid());
  }

  private static void awaitResolvable(IpfsStore store, Arid arid) throws Exception {
    assertTrue(await(store.get(arid, Duration.ofSeconds(30), false)).isPresent());
  }

  private static String cid(Receipt receipt) {
    return receipt.text().substring(receipt.text().indexOf("ipfs://") + 7);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(NO_HANG.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
