package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.HubertException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a server under write load, then a restart on the same SQLite file: every put the
 * server acknowledged (200) is there, unchanged. Also: the server's log at its default level names
 * no ARID.
 */
class CrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedPutSurvivesKill9AndRestart() throws Exception {
    Path file = dir.resolve("hubert.sqlite");
    Map<Arid, Envelope> acknowledged = new ConcurrentHashMap<>();
    List<Arid> attempted = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> firstOutput;
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (ChildServer child = ChildServer.start(file)) {
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<?>> running = new ArrayList<>();
      try (ServerKv kv = ServerKv.create(ServerKv.Config.of(child.baseUrl()).withRequestTimeout(Duration.ofSeconds(20)))) {
        for (int w = 0; w < writers; w++) {
          int writer = w;
          running.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 10_000 && !stop.get(); i++) { // bounded in count and time
                      Arid a = Arid.random();
                      Envelope e = Envelope.of("writer " + writer + " put " + i);
                      attempted.add(a);
                      try {
                        kv.blocking().put(a, e);
                        acknowledged.put(a, e);
                      } catch (HubertException x) {
                        return; // the server is gone
                      }
                    }
                  }));
        }
        // let the load run until a few hundred puts are acknowledged (at most 60 s), then kill -9
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < 300 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        child.kill9();
        stop.set(true);
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
      firstOutput = child.output();
    } finally {
      pool.shutdownNow();
    }
    assertFalse(acknowledged.isEmpty(), "the load acknowledged no put before the kill");

    try (ChildServer restarted = ChildServer.start(file);
        ServerKv kv = ServerKv.create(restarted.baseUrl())) {
      int missing = 0;
      for (Map.Entry<Arid, Envelope> e : acknowledged.entrySet()) {
        var got = kv.blocking().get(e.getKey(), Duration.ZERO);
        if (got.isEmpty()) {
          missing++;
        } else {
          assertTrue(got.get().isIdenticalTo(e.getValue()), "value changed for an acknowledged put");
        }
      }
      assertEquals(0, missing, missing + " of " + acknowledged.size() + " acknowledged puts were lost");
      // the restarted server keeps serving, and an acknowledged ARID is still taken
      Arid fresh = Arid.random();
      kv.blocking().put(fresh, Envelope.of("after restart"));
      Arid taken = acknowledged.keySet().iterator().next();
      assertTrue(kv.blocking().exists(taken));

      List<String> log = new ArrayList<>(firstOutput);
      log.addAll(restarted.output());
      assertTrue(log.stream().anyMatch(l -> l.contains("INFO")), "the child logged at INFO: " + log);
      for (Arid a : attempted) {
        for (String line : log) {
          assertFalse(line.contains(a.urString()) || line.contains(a.hex()), "ARID in the log: " + line);
        }
      }
    }
  }
}
