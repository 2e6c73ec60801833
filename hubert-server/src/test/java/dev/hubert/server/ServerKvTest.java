package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.BlockingKvStore;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a real server, with each storage: the KvStore rules and the reference's. */
@ParameterizedClass(name = "{0} storage")
@ValueSource(strings = {"memory", "sqlite"})
class ServerKvTest {
  @Parameter String kind;
  @TempDir Path dir;

  private HubertServer server;
  private ServerKv kv;
  private BlockingKvStore store;

  @BeforeEach
  void start() {
    server = ServerFixture.start(storage(), b -> b.maxTtl(Duration.ofSeconds(2)));
    kv = ServerKv.create(server.baseUrl());
    store = kv.blocking();
  }

  private Storage storage() {
    return kind.equals("memory") ? Storage.memory() : Storage.sqlite(dir.resolve("hubert.sqlite"));
  }

  @AfterEach
  void stop() {
    kv.close();
    server.close();
  }

  @Test
  void roundTripWithTheReferenceReceipt() {
    Arid a = Arid.random();
    Envelope e = Envelope.of("Test").addAssertion("key", "value");
    assertFalse(store.exists(a));
    Receipt r = store.put(a, e);
    assertEquals("Stored successfully", r.text());
    assertTrue(store.exists(a));
    Envelope got = store.get(a, Duration.ofSeconds(30)).orElseThrow();
    assertTrue(got.isIdenticalTo(e));
  }

  @Test
  void writeOnce() {
    Arid a = Arid.random();
    store.put(a, Envelope.of("First"));
    AlreadyExistsException x =
        assertThrows(AlreadyExistsException.class, () -> store.put(a, Envelope.of("Second")));
    assertEquals(a.urString() + " already exists", x.getMessage());
    assertEquals(a, x.arid());
    assertEquals("First", store.get(a, Duration.ZERO).orElseThrow().text().orElseThrow());
  }

  @Test
  void missingAridTimesOutEmptyNoEarlierThanTheTimeout() {
    long t0 = System.nanoTime();
    assertEquals(Optional.empty(), store.get(Arid.random(), Duration.ofSeconds(2)));
    assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(2).toNanos(), "not before the timeout");
    // timeout zero: one lookup
    assertEquals(Optional.empty(), store.get(Arid.random(), Duration.ZERO));
  }

  /** Rule 5.2: a dependent stage may itself block on the same store (no stall of the client). */
  @Test
  void aStageMayBlockOnTheSameStore() throws Exception {
    Arid a = Arid.random();
    long t0 = System.nanoTime();
    Optional<Envelope> got = kv.put(a, Envelope.of("nested"))
        .thenApply(receipt -> store.get(a, Duration.ZERO))
        .get(60, TimeUnit.SECONDS);
    assertEquals("nested", got.orElseThrow().text().orElseThrow());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(millis < 10_000, "the nested get waited " + millis + " ms: a stage ran on the"
        + " thread that must read the nested call's response");
  }

  @Test
  void getFindsAValuePutWhileItPolls() throws Exception {
    Arid a = Arid.random();
    CompletableFuture<Optional<Envelope>> waiting = kv.get(a, Duration.ofSeconds(20));
    Thread.sleep(1_500);
    assertFalse(waiting.isDone());
    store.put(a, Envelope.of("late"));
    assertEquals("late", waiting.get(30, TimeUnit.SECONDS).orElseThrow().text().orElseThrow());
  }

  @Test
  void ttlIsClampedToTheServerMaximumAndDefaultsToIt() throws Exception {
    // the server's max TTL is 2 s: a put asking 10 s, and one asking nothing, are gone after it
    Arid asked = Arid.random();
    Arid none = Arid.random();
    Arid shortTtl = Arid.random();
    store.put(asked, Envelope.of("ten"), Duration.ofSeconds(10), false);
    store.put(none, Envelope.of("default"));
    store.put(shortTtl, Envelope.of("one"), Duration.ofMillis(300), false); // rounded up to 1 s
    assertTrue(store.exists(asked));
    assertTrue(store.exists(none));
    Thread.sleep(3_200);
    assertFalse(store.exists(asked));
    assertFalse(store.exists(none));
    assertFalse(store.exists(shortTtl));
    assertEquals(Optional.empty(), store.get(asked, Duration.ZERO));
    // expired means free again
    store.put(asked, Envelope.of("again"));
    assertEquals("again", store.get(asked, Duration.ZERO).orElseThrow().text().orElseThrow());
  }

  @Test
  void multipleAridsAndConcurrentCallers() throws Exception {
    List<Arid> arids = new ArrayList<>();
    List<CompletableFuture<Receipt>> puts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Arid a = Arid.random();
      arids.add(a);
      puts.add(kv.put(a, Envelope.of("Msg " + i)));
    }
    CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    for (int i = 0; i < arids.size(); i++) {
      assertEquals(
          "Msg " + i, store.get(arids.get(i), Duration.ZERO).orElseThrow().text().orElseThrow());
    }
  }

  @Test
  void concurrentPutsOfOneAridExactlyOneWins() throws Exception {
    for (int round = 0; round < 5; round++) {
      Arid a = Arid.random();
      List<CompletableFuture<Receipt>> puts = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        puts.add(kv.put(a, Envelope.of("writer " + i)));
      }
      int won = 0;
      String winner = null;
      for (int i = 0; i < puts.size(); i++) {
        try {
          puts.get(i).get(60, TimeUnit.SECONDS);
          won++;
          winner = "writer " + i;
        } catch (ExecutionException e) {
          assertInstanceOf(AlreadyExistsException.class, e.getCause());
        }
      }
      assertEquals(1, won, "exactly one put wins");
      assertEquals(winner, store.get(a, Duration.ZERO).orElseThrow().text().orElseThrow());
    }
  }

  @Test
  void putOverTheServersBodyLimitFailsWithValueTooLarge() {
    Arid a = Arid.random();
    ValueTooLargeException x =
        assertThrows(
            ValueTooLargeException.class,
            () -> store.put(a, Envelope.of("x".repeat(HubertServer.DEFAULT_MAX_BODY_BYTES))));
    assertEquals(HubertServer.DEFAULT_MAX_BODY_BYTES, x.limit());
    assertTrue(x.size() > x.limit());
    assertFalse(store.exists(a));
  }

  /** A body this large is sent after the server's {@code 100 Continue}. */
  @Test
  void largePutUnderTheBodyLimitIsStoredAndRead() {
    Arid a = Arid.random();
    Envelope big = Envelope.of("y".repeat(HubertServer.DEFAULT_MAX_BODY_BYTES / 4));
    store.put(a, big);
    assertEquals(big, store.get(a, Duration.ZERO).orElseThrow());
  }

  @Test
  void argumentErrorsAreThrownEagerly() {
    Arid a = Arid.random();
    Envelope e = Envelope.of("x");
    assertThrows(NullPointerException.class, () -> kv.put(null, e, null, false));
    assertThrows(NullPointerException.class, () -> kv.put(a, null, null, false));
    assertThrows(IllegalArgumentException.class, () -> kv.put(a, e, Duration.ofSeconds(-1), false));
    assertThrows(NullPointerException.class, () -> kv.get(null, null, false));
    assertThrows(IllegalArgumentException.class, () -> kv.get(a, Duration.ofSeconds(-1), false));
    assertThrows(NullPointerException.class, () -> kv.exists(null));
  }

  @Test
  void afterCloseCallsFailWithBackendUnavailable() {
    kv.close();
    kv.close(); // idempotent
    assertThrows(BackendUnavailableException.class, () -> store.put(Arid.random(), Envelope.of("x")));
    assertThrows(BackendUnavailableException.class, () -> store.get(Arid.random(), Duration.ZERO));
    assertThrows(BackendUnavailableException.class, () -> store.exists(Arid.random()));
  }

  @Test
  void unreachableServerFailsWithBackendUnavailableNotAHang() {
    int port = server.port();
    server.close();
    ServerKv gone = ServerKv.create("http://127.0.0.1:" + port);
    BackendUnavailableException x =
        assertThrows(
            BackendUnavailableException.class,
            () -> gone.blocking().get(Arid.random(), Duration.ofSeconds(5)));
    assertTrue(x.getMessage().contains("127.0.0.1:" + port), x.getMessage());
    assertThrows(BackendUnavailableException.class, () -> gone.blocking().put(Arid.random(), Envelope.of("x")));
  }
}
