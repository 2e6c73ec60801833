package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's sequence of RPC calls against a scripted Kubo (the real test node is js-ipfs; Kubo's
 * own forms, base36 ids and multipart key import, can only be checked this way).
 */
class IpfsStoreScriptedTest {
  private ScriptedDaemon kubo;
  private ExecutorService executor;
  private KuboRpc rpc;
  private IpfsStore store;

  @BeforeEach
  void start() throws Exception {
    kubo = new ScriptedDaemon();
    executor = Executors.newCachedThreadPool();
    rpc = new KuboRpc(kubo.uri(), Duration.ofSeconds(10), Duration.ofSeconds(20), executor);
    store = new IpfsStore(rpc, 1000, false, Duration.ofSeconds(5), Duration.ofSeconds(5),
        Arid::hex, executor);
    kubo.reply("version", 200, "{\"Version\":\"0.29.0\",\"Commit\":\"\",\"Repo\":\"16\","
        + "\"System\":\"amd64/linux\",\"Golang\":\"go1.22.4\"}");
    kubo.error("name/resolve", "could not resolve name");
    kubo.reply("add", 200, "{\"Name\":\"data\",\"Hash\":\"QmSTORED\",\"Size\":\"30\"}");
    kubo.reply("name/publish", 200, "{\"Name\":\"k51x\",\"Value\":\"/ipfs/QmSTORED\"}");
    kubo.reply("key/rm", 200, "{\"Keys\":[{\"Name\":\"x\",\"Id\":\"k51x\"}]}");
  }

  @AfterEach
  void stop() {
    rpc.close();
    kubo.close();
    executor.shutdownNow();
  }

  /** A put whose executor refuses the work (a store closed meanwhile) fails its future. */
  @Test
  void putRefusedByTheExecutorFailsTheFuture() {
    BackendUnavailableException closed = new BackendUnavailableException("closed");
    IpfsStore refusing = new IpfsStore(rpc, 1000, false, Duration.ofSeconds(5),
        Duration.ofSeconds(5), Arid::hex, command -> {
          throw closed;
        });
    CompletableFuture<?> put = refusing.put(Arid.random(), new byte[] {1}, null, false);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> put.get(10, TimeUnit.SECONDS));
    assertEquals(closed, e.getCause());
    assertEquals(List.of(), kubo.commands());
  }

  @Test
  void cancellingAGetStopsItsResolves() throws Exception {
    try (IpfsKv kv = IpfsKv.builder().rpcUrl(kubo.uri()).build()) {
      assertCancelStopsResolves(kv.get(Arid.random(), Duration.ofSeconds(30)));
    }
    assertCancelStopsResolves(store.get(Arid.random(), Duration.ofSeconds(30), false));
  }

  /** Cancels {@code get} once it has resolved twice; checks that it resolves no more. */
  private void assertCancelStopsResolves(CompletableFuture<?> get) throws Exception {
    int before = resolves();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (resolves() - before < 2) { // polling is under way
      assertTrue(System.nanoTime() - end < 0, "not two resolves within 10 s: " + kubo.commands());
      Thread.sleep(10);
    }
    assertTrue(get.cancel(false));
    Thread.sleep(1_500); // a resolve under way at the cancel may still end
    int atCancel = resolves();
    Thread.sleep(2_500); // two or three more resolves, had the polling gone on
    assertEquals(atCancel, resolves(), "resolves after the cancel");
  }

  private int resolves() {
    return (int) kubo.commands().stream().filter("name/resolve"::equals).count();
  }

  @Test
  void putChecksThenImportsAddsAndPublishesInKubosForms() throws Exception {
    Arid arid = Arid.random();
    IpnsKey key = IpnsKey.of(arid);
    kubo.reply("key/import", 200, "{\"Name\":\"" + key.keyName() + "\",\"Id\":\"" + KuboRpcLiveTest.base36Name(key) + "\"}");
    byte[] value = "envelope bytes".getBytes(StandardCharsets.UTF_8);
    String receipt = await(store.put(arid, value, Duration.ofDays(1), false)).text();
    assertEquals("ipns://" + key.ipnsName() + " -> ipfs://QmSTORED", receipt);
    // with a TTL the key is removed: Kubo's republisher would extend the record past it
    assertEquals(List.of("version", "name/resolve", "key/import", "add", "name/publish", "key/rm"),
        kubo.commands());
    assertEquals(key.keyName(), kubo.last("key/rm").param("arg"));
    assertEquals(key.ipnsName(), kubo.last("name/resolve").param("arg"));
    assertEquals("libp2p-protobuf-cleartext", kubo.last("key/import").param("format"));
    assertEquals("false", kubo.last("add").param("pin"));
    assertArrayEquals(AridDerivation.obfuscate(arid, value),
        KuboRpcFaultTest.multipartContent(kubo.last("add").body));
    ScriptedDaemon.Request publish = kubo.last("name/publish");
    assertEquals("/ipfs/QmSTORED", publish.param("arg"));
    assertEquals(key.keyName(), publish.param("key"));
    assertEquals("24h", publish.param("lifetime")); // the reference sends "1d", which Kubo rejects
    assertEquals("false", publish.param("resolve"));
    kubo.requests.forEach(r -> assertEquals("POST", r.method));
    // the dialect is asked once per store
    Arid second = Arid.random();
    IpnsKey secondKey = IpnsKey.of(second);
    kubo.reply("key/import", 200, "{\"Name\":\"x\",\"Id\":\"" + KuboRpcLiveTest.base36Name(secondKey) + "\"}");
    int before = kubo.commands().size();
    await(store.put(second, value, null, false));
    assertEquals(List.of("name/resolve", "key/import", "add", "name/publish"),
        kubo.commands().subList(before, kubo.commands().size()), "no TTL: the key stays");
    assertEquals(null, kubo.last("name/publish").param("lifetime"));
  }

  /** The key is removed after any put with a TTL; a TTL over 36 h is clamped to 36 h. */
  @Test
  void keyIsRemovedAfterEveryTtlPutAndTtlsAreClampedTo36Hours() throws Exception {
    Arid shortLived = Arid.random();
    IpnsKey key = IpnsKey.of(shortLived);
    kubo.reply("key/import", 200, "{\"Name\":\"x\",\"Id\":\"" + KuboRpcLiveTest.base36Name(key) + "\"}");
    await(store.put(shortLived, new byte[10], Duration.ofHours(36), false));
    assertEquals(List.of("version", "name/resolve", "key/import", "add", "name/publish", "key/rm"),
        kubo.commands());
    assertEquals(key.keyName(), kubo.last("key/rm").param("arg"));
    assertEquals("36h", kubo.last("name/publish").param("lifetime"));

    Arid longLived = Arid.random();
    kubo.reply("key/import", 200, "{\"Name\":\"x\",\"Id\":\""
        + KuboRpcLiveTest.base36Name(IpnsKey.of(longLived)) + "\"}");
    int before = kubo.commands().size();
    await(store.put(longLived, new byte[10], Duration.ofHours(36).plusSeconds(1), false));
    assertEquals(List.of("name/resolve", "key/import", "add", "name/publish", "key/rm"),
        kubo.commands().subList(before, kubo.commands().size()), "over 36 h: the key goes too");
    assertEquals("36h", kubo.last("name/publish").param("lifetime"), "clamped to 36 h");
  }

  /** A key that cannot be removed after a short TTL put is reported: Kubo would extend the TTL. */
  @Test
  void failedKeyRemovalAfterATtlPutIsReported() {
    Arid arid = Arid.random();
    IpnsKey key = IpnsKey.of(arid);
    kubo.reply("key/import", 200, "{\"Name\":\"x\",\"Id\":\"" + KuboRpcLiveTest.base36Name(key) + "\"}");
    kubo.error("key/rm", "keystore is read-only");
    BackendException e = assertCause(BackendException.class,
        store.put(arid, new byte[10], Duration.ofMinutes(5), false));
    assertTrue(e.getMessage().contains("keystore is read-only"), e.getMessage());
    assertTrue(e.getMessage().contains("ipfs key rm " + key.keyName()), e.getMessage());
    assertTrue(kubo.commands().contains("name/publish"));
  }

  @Test
  void refusedPutsWriteNothing() {
    Arid arid = Arid.random();
    assertCause(ValueTooLargeException.class, store.put(arid, new byte[1001], null, false));
    assertEquals(List.of(), kubo.commands());
    kubo.reply("name/resolve", 200, "{\"Path\":\"/ipfs/QmOLD\"}");
    assertCause(AlreadyExistsException.class, store.put(arid, new byte[10], null, false));
    assertEquals(List.of("version", "name/resolve"), kubo.commands());   // reads only
  }

  /**
   * A write-once check the daemon gave up on counts as "not published", as for get: on Kubo with
   * the public DHT, resolving a name nobody published commonly runs until the timeout.
   */
  @Test
  void resolveTimeoutCountsAsNotPublishedForPutAndGet() throws Exception {
    kubo.error("name/resolve", "context deadline exceeded");
    Arid arid = Arid.random();
    IpnsKey key = IpnsKey.of(arid);
    kubo.reply("key/import", 200, "{\"Name\":\"x\",\"Id\":\"" + KuboRpcLiveTest.base36Name(key) + "\"}");
    await(store.put(arid, new byte[10], null, false));
    assertEquals(List.of("version", "name/resolve", "key/import", "add", "name/publish"),
        kubo.commands());
    assertEquals(Optional.empty(), await(store.get(arid, Duration.ZERO, false)));
  }

  @Test
  void existingKeyIsReusedOnlyIfItIsTheDerivedOne() throws Exception {
    Arid arid = Arid.random();
    IpnsKey key = IpnsKey.of(arid);
    kubo.error("key/import", "key with name '" + key.keyName() + "' already exists");
    kubo.reply("key/list", 200, "{\"Keys\":[{\"Name\":\"" + key.keyName() + "\",\"Id\":\""
        + KuboRpcLiveTest.base36Name(key) + "\"}]}");
    await(store.put(arid, new byte[10], null, false));
    Arid other = Arid.random();
    kubo.reply("key/list", 200, "{\"Keys\":[{\"Name\":\"" + IpnsKey.of(other).keyName()
        + "\",\"Id\":\"" + KuboRpcLiveTest.base36Name(IpnsKey.of(Arid.random())) + "\"}]}");
    BackendException e = assertCause(BackendException.class, store.put(other, new byte[10], null, false));
    assertTrue(e.getMessage().contains("ipfs key rm"), e.getMessage());
    kubo.reply("key/list", 200, "{\"Keys\":[]}");
    e = assertCause(BackendException.class, store.put(Arid.random(), new byte[10], null, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void aDaemonThatImportsAnotherKeyIsAnError() {
    kubo.reply("key/import", 200, "{\"Name\":\"x\",\"Id\":\"" + KuboRpcLiveTest.base36Name(IpnsKey.of(Arid.random())) + "\"}");
    BackendException e = assertCause(BackendException.class,
        store.put(Arid.random(), new byte[10], null, false));
    assertTrue(e.getMessage().contains("imported key"), e.getMessage());
    assertTrue(!kubo.commands().contains("add"));
  }

  @Test
  void getRejectsPathsOutsideIpfsAndOversizedObjects() throws Exception {
    kubo.reply("name/resolve", 200, "{\"Path\":\"/ipns/elsewhere\"}");
    BackendException e = assertCause(BackendException.class,
        store.get(Arid.random(), Duration.ZERO, false));
    assertTrue(e.getMessage().contains("Unexpected IPNS path format: /ipns/elsewhere"), e.getMessage());
    kubo.reply("name/resolve", 200, "{\"Path\":\"/ipfs/QmBIG\"}");
    kubo.reply("cat", 200, "x".repeat(1001));
    assertCause(dev.hubert.api.CorruptValueException.class, store.get(Arid.random(), Duration.ZERO, false));
    assertEquals("1001", kubo.last("cat").param("length"));
    kubo.reply("cat", 200, "abc");
    Arid arid = Arid.random();
    // what the daemon holds is de-obfuscated on the way out
    assertArrayEquals(AridDerivation.obfuscate(arid, "abc".getBytes(StandardCharsets.UTF_8)),
        await(store.get(arid, Duration.ZERO, false)).orElseThrow());
  }

  /**
   * Timeouts up to Long.MAX_VALUE seconds, in the builder and per call, neither overflow nor make
   * js-ipfs give up at once (its timers fire at once beyond 2^31-1 ms).
   */
  @Test
  void hugeTimeoutsAreBounded() throws Exception {
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE);
    Arid arid = Arid.random();
    Envelope envelope = Envelope.of("found");
    byte[] stored = AridDerivation.obfuscate(arid, envelope.toCborData());
    kubo.reply("name/resolve", 200, "{\"Path\":\"/ipfs/QmFOUND\"}");
    kubo.on("cat", (ex, req) -> {
      ex.sendResponseHeaders(200, stored.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(stored);
      }
    });
    assertArrayEquals(envelope.toCborData(), await(store.get(arid, huge, false)).orElseThrow());
    try (IpfsKv kv = IpfsKv.builder().rpcUrl(kubo.uri()).resolveTimeout(huge).lookupTimeout(huge)
        .requestTimeout(huge).connectTimeout(huge).build()) {
      assertEquals(Optional.of(envelope), kv.blocking().get(arid, null));
      assertEquals(Optional.of(envelope), kv.blocking().get(arid, huge));
      assertEquals("2147483647ms", kubo.last("name/resolve").param("timeout"));
      assertEquals("2147483647ms", kubo.last("cat").param("timeout"));
      assertTrue(kv.blocking().exists(arid));
    }
  }

  @Test
  void lifetimeUsesOnlyUnitsKuboParses() {
    assertEquals(Optional.empty(), IpfsStore.lifetime(null));
    assertEquals(Optional.of("1s"), IpfsStore.lifetime(Duration.ZERO));
    assertEquals(Optional.of("1s"), IpfsStore.lifetime(Duration.ofMillis(300)));
    assertEquals(Optional.of("2s"), IpfsStore.lifetime(Duration.ofMillis(1001)));
    assertEquals(Optional.of("90s"), IpfsStore.lifetime(Duration.ofSeconds(90)));
    assertEquals(Optional.of("2m"), IpfsStore.lifetime(Duration.ofMinutes(2)));
    assertEquals(Optional.of("61m"), IpfsStore.lifetime(Duration.ofMinutes(61)));
    assertEquals(Optional.of("24h"), IpfsStore.lifetime(Duration.ofDays(1)));
    assertEquals(Optional.of("240h"), IpfsStore.lifetime(Duration.ofDays(10)));
    assertEquals(Optional.of("876000h"), IpfsStore.lifetime(Duration.ofSeconds(Long.MAX_VALUE)));
  }

  private static <T extends Throwable> T assertCause(Class<T> type, CompletableFuture<?> f) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
    return assertInstanceOf(type, e.getCause());
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }
}
