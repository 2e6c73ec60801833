package dev.hubert.dht.testing;

import dev.hubert.dht.MainlineDhtKv;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Mainline DHT for tests and benchmarks: N embedded DHT nodes (default {@value
 * #DEFAULT_NODES}), each a {@link MainlineDhtKv} on its own TEST-NET-2 address 198.51.100.x, UDP
 * port {@value #PORT}, bootstrapped as a full mesh (every node contacts every other: mldht only
 * hands out nodes it has verified itself), with mldht's per-IP spam throttles off and one
 * scheduler thread per node.
 *
 * <p>mldht refuses loopback and private addresses, so the addresses must be assigned to an
 * interface: the forked test JVM must run inside the network namespace {@code hubert-test} that
 * {@code scripts/test.sh} creates (as root). {@link #start} fails with a message saying so
 * otherwise. Nothing leaves the namespace.
 *
 * <p>Address plan: tests use hosts 1–20 (nodes 1–10, clients 11–20 by default), benchmarks 21–40.
 * Test runs on one machine (several modules, several checkouts) take turns: a testnet holds a
 * file lock on its block of 20 addresses until it closes. Two stores must never use the same
 * address at once; mldht would share the port silently, so {@link MainlineDhtKv#start} checks and
 * fails instead.
 *
 * <p>Never a production dependency.
 */
public final class DhtTestnet implements AutoCloseable {
  /** Nodes in a default testnet. */
  public static final int DEFAULT_NODES = 10;
  /** The UDP port of every node and client. */
  public static final int PORT = 6881;

  private static final Duration MESH_TIMEOUT = Duration.ofSeconds(30);

  private final int firstHost;
  private final List<MainlineDhtKv> nodes;
  private final List<InetSocketAddress> addresses;
  private final List<MainlineDhtKv> clients = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closed;

  private DhtTestnet(int firstHost, List<InetSocketAddress> addresses) {
    this.firstHost = firstHost;
    this.nodes = Collections.synchronizedList(new ArrayList<>());
    this.addresses = List.copyOf(addresses);
  }

  /** Starts {@value #DEFAULT_NODES} nodes on 198.51.100.1–10. */
  public static DhtTestnet start() {
    return start(1, DEFAULT_NODES);
  }

  /**
   * Starts {@code count} nodes on 198.51.100.{firstHost}… and waits until every node's routing
   * table holds all the others.
   *
   * @throws IllegalStateException if the addresses are not assigned (not inside the namespace),
   *     or the mesh does not form within 30 s
   */
  public static DhtTestnet start(int firstHost, int count) {
    if (count < 2 || firstHost < 1 || firstHost + count - 1 > 254) {
      throw new IllegalArgumentException(
          "need 2 or more nodes on hosts 1..254, got " + count + " from " + firstHost);
    }
    requireNamespace(firstHost);
    AddressBlockLock.acquire(firstHost);
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      addresses.add(new InetSocketAddress(address(firstHost + i), PORT));
    }
    DhtTestnet net = new DhtTestnet(firstHost, addresses);
    try {
      for (InetSocketAddress a : addresses) {
        net.nodes.add(MainlineDhtKv.start(net.config(a.getAddress()).build()));
      }
      net.awaitMesh();
      return net;
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  /** Every node bootstraps again (now that all listen) until each knows all the others. */
  private void awaitMesh() {
    long end = System.nanoTime() + MESH_TIMEOUT.toNanos();
    int want = addresses.size() - 1;
    while (true) {
      List<CompletableFuture<Integer>> rounds = new ArrayList<>();
      for (MainlineDhtKv n : nodes) {
        rounds.add(n.bootstrap());
      }
      int least = Integer.MAX_VALUE;
      for (CompletableFuture<Integer> r : rounds) {
        try {
          least = Math.min(least, r.get(MESH_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
          throw new IllegalStateException("testnet bootstrap failed", e);
        }
      }
      if (least >= want) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException("testnet mesh did not form within " + MESH_TIMEOUT
            + ": a node knows only " + least + " of the " + want + " others");
      }
    }
  }

  /**
   * Fails unless 198.51.100.{host} is assigned to an interface of this host, i.e. unless the JVM
   * runs inside the test namespace.
   */
  public static void requireNamespace(int host) {
    InetAddress a = address(host);
    boolean assigned;
    try {
      assigned = NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      assigned = false;
    }
    if (!assigned) {
      throw new IllegalStateException("the DHT testnet needs " + a.getHostAddress()
          + " on a local interface, i.e. this JVM inside the network namespace 'hubert-test':"
          + " run the tests with scripts/test.sh as root (it creates the namespace and runs every"
          + " test JVM in it), or pass -Dhubert.test.jvm=<repo>/scripts/netns/bin/java to Maven"
          + " after 'scripts/setup.d/10-netns.sh start'");
    }
  }

  /** 198.51.100.{host}. */
  public static InetAddress address(int host) {
    if (host < 1 || host > 254) {
      throw new IllegalArgumentException("host must be 1..254, got " + host);
    }
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) host});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private MainlineDhtKv.Config.Builder config(InetAddress bind) {
    return MainlineDhtKv.config()
        .bindAddress(bind)
        .port(PORT)
        .bootstrap(addresses)
        .requestThrottling(false);
  }

  /**
   * A configuration for a store that joins this testnet from 198.51.100.{host}: bootstraps from
   * every node, throttles off. Adjust it (salt, timeouts) and start it yourself, or use {@link
   * #client(int)}.
   */
  public MainlineDhtKv.Config.Builder clientConfig(int host) {
    requireNamespace(host);
    return config(address(host));
  }

  /**
   * Starts a store on 198.51.100.{host} that has joined this testnet (its bootstrap finished). The
   * testnet closes it on {@link #close()} unless the caller did.
   */
  public MainlineDhtKv client(int host) {
    return client(clientConfig(host).build());
  }

  /** Starts a store with {@code config} (from {@link #clientConfig}) and waits for its bootstrap. */
  public MainlineDhtKv client(MainlineDhtKv.Config config) {
    MainlineDhtKv kv = MainlineDhtKv.start(config);
    clients.add(kv);
    try {
      int known = kv.bootstrap().get(MESH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (known == 0) {
        throw new IllegalStateException("client " + kv.localAddress() + " reached no testnet node");
      }
      return kv;
    } catch (Exception e) {
      kv.close();
      throw e instanceof RuntimeException ? (RuntimeException) e
          : new IllegalStateException("client bootstrap failed", e);
    }
  }

  /** The addresses of all nodes, running or stopped, in order. */
  public List<InetSocketAddress> addresses() {
    return addresses;
  }

  /** The first host number (198.51.100.{firstHost} is node 0). */
  public int firstHost() {
    return firstHost;
  }

  /** Nodes started, including stopped ones. */
  public int size() {
    return addresses.size();
  }

  /** The store of node {@code index} (0-based), e.g. to put or get through a testnet node. */
  public MainlineDhtKv node(int index) {
    return nodes.get(index);
  }

  /** Stops node {@code index} (0-based): its socket closes and it answers nobody from now on. */
  public void stop(int index) {
    nodes.get(index).close();
  }

  /** Stops every node and every client started through {@link #client}. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stopAll();
    } finally {
      AddressBlockLock.release(firstHost);
    }
  }

  private void stopAll() {
    List<MainlineDhtKv> all = new ArrayList<>();
    synchronized (clients) {
      all.addAll(clients);
    }
    synchronized (nodes) {
      all.addAll(nodes);
    }
    all.parallelStream().forEach(MainlineDhtKv::close);
  }

  @Override
  public String toString() {
    return "DhtTestnet" + addresses;
  }
}
