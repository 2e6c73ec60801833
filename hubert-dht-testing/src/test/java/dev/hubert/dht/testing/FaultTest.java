package dev.hubert.dht.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nodes die: the store keeps working with what is left, and fails in bounded time with nothing. */
@Timeout(180)
class FaultTest {
  /** A third of the nodes stop after the writes: every value is still found, and new puts work. */
  @Test
  void aThirdOfTheNodesStopMidRun() throws Exception {
    try (DhtTestnet net = DhtTestnet.start(1, 9)) {
      MainlineDhtKv writer = net.client(11);
      MainlineDhtKv reader = net.client(12);
      List<Arid> arids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Arid arid = Arid.random();
        writer.blocking().put(arid, Envelope.of("before the fault " + i));
        arids.add(arid);
      }
      net.stop(0);
      net.stop(4);
      net.stop(8);
      for (int i = 0; i < arids.size(); i++) {
        Optional<Envelope> got = reader.blocking().get(arids.get(i), Duration.ofSeconds(30));
        assertTrue(got.isPresent(), "value " + i + " lost after a third of the nodes stopped");
        assertEquals(Envelope.of("before the fault " + i), got.get());
      }
      Arid after = Arid.random();
      assertTrue(writer.blocking().put(after, Envelope.of("after the fault")).replicas()
          .orElseThrow() >= 1);
      assertTrue(reader.blocking().get(after, Duration.ofSeconds(30)).isPresent());
    }
  }

  /**
   * Every other node is gone: get completes empty at its timeout, exists and put fail with
   * BackendUnavailableException, all within bounded time.
   */
  @Test
  void allNodesGone() throws Exception {
    Duration putTimeout = Duration.ofSeconds(15);
    try (DhtTestnet net = DhtTestnet.start(1, 6)) {
      MainlineDhtKv alone = net.client(net.clientConfig(13).operationTimeout(putTimeout)
          .lookupTimeout(Duration.ofSeconds(3)).build());
      Arid stored = Arid.random();
      alone.blocking().put(stored, Envelope.of("stored before the outage"));
      for (int i = 0; i < net.size(); i++) {
        net.stop(i);
      }

      Duration timeout = Duration.ofSeconds(3);
      long start = System.nanoTime();
      Optional<Envelope> got = alone.get(Arid.random(), timeout).get(60, TimeUnit.SECONDS);
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(Optional.empty(), got);
      assertTrue(elapsed >= timeout.toMillis(), "get ended before its timeout: " + elapsed + " ms");
      assertTrue(elapsed < timeout.toMillis() + 5000, "get ended long after its timeout: "
          + elapsed + " ms");

      ExecutionException e = assertThrows(ExecutionException.class,
          () -> alone.exists(stored).get(60, TimeUnit.SECONDS));
      assertInstanceOf(BackendUnavailableException.class, e.getCause());

      start = System.nanoTime();
      e = assertThrows(ExecutionException.class,
          () -> alone.put(Arid.random(), Envelope.of("nobody to store it")).get(60, TimeUnit.SECONDS));
      elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(BackendUnavailableException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("no Mainline DHT node stored the value"),
          e.getCause().getMessage());
      assertTrue(elapsed < putTimeout.toMillis() + 5000, "put took " + elapsed + " ms");
    }
  }
}
