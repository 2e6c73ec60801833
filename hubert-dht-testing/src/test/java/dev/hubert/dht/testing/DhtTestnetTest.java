package dev.hubert.dht.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.dht.MainlineDhtKv;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class DhtTestnetTest {
  /** The test JVM runs inside the namespace: it can bind the testnet's addresses. */
  @Test
  void testJvmCanBindTestNetAddresses() throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(DhtTestnet.address(1), 0))) {
      assertEquals(DhtTestnet.address(1), s.getLocalAddress());
    }
    DhtTestnet.requireNamespace(20);
  }

  @Test
  void addressOutsideTheNamespaceFailsLoudly() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> DhtTestnet.requireNamespace(250));
    assertTrue(e.getMessage().contains("scripts/test.sh"), e.getMessage());
  }

  @Test
  void meshFormsAClientJoinsAndCloseEndsEveryThread() throws Exception {
    try (DhtTestnet net = DhtTestnet.start(1, 10)) {
      assertEquals(10, net.size());
      assertEquals(new InetSocketAddress(DhtTestnet.address(1), DhtTestnet.PORT),
          net.node(0).localAddress());
      MainlineDhtKv client = net.client(11);
      assertTrue(client.bootstrap().join() >= 9, "client should know the whole testnet");
      // a second store on a taken address:port fails instead of sharing the socket silently
      BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
          () -> MainlineDhtKv.start(net.clientConfig(11).build()));
      assertTrue(e.getMessage().contains("198.51.100.11:6881"), e.getMessage());
    }
    // closed: no DHT thread is left (mldht's selector thread ends on its own once idle)
    long end = System.nanoTime() + 15_000_000_000L;
    while (dhtThreads() > 0 && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertEquals(0, dhtThreads(), "DHT threads still running after close: " + Thread.getAllStackTraces()
        .keySet().stream().map(Thread::getName).sorted().toList());
  }

  private static long dhtThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("hubert-dht") || t.getName().startsWith("mlDHT"))
        .count();
  }
}
