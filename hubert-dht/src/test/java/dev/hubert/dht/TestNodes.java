package dev.hubert.dht;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A few raw {@link MldhtNode}s on 198.51.100.1..n:6881 (the test namespace's addresses), bootstrapped
 * as a full mesh, throttles off. For this module's node-level tests; other modules use
 * hubert-dht-testing.
 */
final class TestNodes implements AutoCloseable {
  static final int PORT = 6881;
  final List<MldhtNode> nodes = new ArrayList<>();
  private final FileLock lock;

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
    lock = lockTestAddresses();
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
    try {
      lock.channel().close();
    } catch (IOException ignored) {
      // released with the channel anyway
    }
  }

  /**
   * Whether threads whose names start with {@code prefix} are still alive after waiting up to
   * {@code wait} for them to end (a pool's awaitTermination returns a moment before its threads
   * end).
   */
  static boolean threadsAlive(String prefix, Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (anyThread(prefix) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    return anyThread(prefix);
  }

  private static boolean anyThread(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith(prefix));
  }

  /**
   * Takes turns on hosts 1–20 with other test runs on this machine: the same file lock as
   * hubert-dht-testing's DhtTestnet (block 0), waited for at most 15 minutes.
   */
  private static FileLock lockTestAddresses() {
    Path file = Path.of(System.getProperty("java.io.tmpdir"), "hubert-dht-testnet-0.lock");
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      for (FileLock l; ; Thread.sleep(200)) {
        if ((l = channel.tryLock()) != null) {
          return l;
        }
        if (System.nanoTime() > end) {
          channel.close();
          throw new IllegalStateException("test addresses held by another run for 15 minutes: " + file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
