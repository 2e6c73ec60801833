package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded load: many clients (each its own connection pool) put and read at once. No request
 * fails, and every acknowledged put reads back unchanged afterwards. Counts are fixed; no speed
 * is asserted.
 */
class LoadTest {
  private static final int CLIENTS = 32;
  private static final int PUTS_PER_CLIENT = 25;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} storage")
  @ValueSource(strings = {"memory", "sqlite"})
  void manyClientsNoErrorsNoLostWrites(String kind) throws Exception {
    Storage storage =
        kind.equals("memory") ? Storage.memory() : Storage.sqlite(dir.resolve("hubert.sqlite"));
    Map<Arid, Envelope> acknowledged = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try (HubertServer server = ServerFixture.start(storage)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(
            pool.submit(
                () -> {
                  try (ServerKv kv = ServerKv.create(server.baseUrl())) {
                    go.await();
                    List<Arid> mine = new ArrayList<>();
                    for (int i = 0; i < PUTS_PER_CLIENT; i++) {
                      Arid a = Arid.random();
                      Envelope e = Envelope.of("client " + client + " value " + i);
                      kv.blocking().put(a, e, Duration.ofHours(1), false);
                      acknowledged.put(a, e);
                      mine.add(a);
                      // read one of the own earlier values while others write
                      Arid back = mine.get(i / 2);
                      Optional<Envelope> got = kv.blocking().get(back, Duration.ZERO);
                      if (got.isEmpty() || !got.get().isIdenticalTo(acknowledged.get(back))) {
                        throw new AssertionError("read-your-writes failed for client " + client);
                      }
                    }
                  } catch (Throwable t) {
                    errors.add(t);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : clients) {
        f.get(5, TimeUnit.MINUTES);
      }
      assertTrue(errors.isEmpty(), () -> errors.size() + " clients failed, first: " + errors.peek());
      assertEquals(CLIENTS * PUTS_PER_CLIENT, acknowledged.size());
      try (ServerKv kv = ServerKv.create(server.baseUrl())) {
        for (Map.Entry<Arid, Envelope> e : acknowledged.entrySet()) {
          Envelope got = kv.blocking().get(e.getKey(), Duration.ZERO).orElseThrow();
          assertTrue(got.isIdenticalTo(e.getValue()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
