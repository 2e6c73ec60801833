package dev.hubert.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A few raw {@link MldhtNode}s on 198.51.100.1..n:6881 (the test namespace's addresses), bootstrapped
 * as a full mesh, throttles off. For this module's node-level tests; other modules use
 * hubert-dht-testing.
 */
final class TestNodes implements AutoCloseable {
  static final int PORT = 6881;
  final List<MldhtNode> nodes = new ArrayList<>();

  static InetAddress address(int host) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) host});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static List<InetSocketAddress> addresses(int from, int count) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new InetSocketAddress(address(from + i), PORT));
    }
    return out;
  }

  TestNodes(int count) {
    List<InetSocketAddress> all = addresses(1, count);
    try {
      for (InetSocketAddress a : all) {
        nodes.add(MldhtNode.start(a.getAddress(), PORT, all, false, Duration.ofSeconds(5)));
      }
      List<CompletableFuture<Integer>> boots = new ArrayList<>();
      for (MldhtNode n : nodes) {
        boots.add(n.bootstrap(Duration.ofSeconds(20), true));
      }
      for (int i = 0; i < nodes.size(); i++) {
        int size = boots.get(i).join();
        if (size < count - 1) {
          throw new IllegalStateException("node " + all.get(i) + " knows only " + size + " of "
              + (count - 1) + " others after bootstrap");
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A client node on 198.51.100.{host} that bootstraps from the first node only. */
  MldhtNode client(int host) {
    MldhtNode client = MldhtNode.start(address(host), PORT, addresses(1, 1), false,
        Duration.ofSeconds(5));
    client.bootstrap(Duration.ofSeconds(10), true).join();
    return client;
  }

  @Override
  public void close() {
    nodes.forEach(MldhtNode::close);
  }
}
