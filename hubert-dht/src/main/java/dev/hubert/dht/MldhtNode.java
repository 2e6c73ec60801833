package dev.hubert.dht;

import dev.hubert.api.BackendUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lbms.plugins.mldht.DHTConfiguration;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.DHT.DHTtype;
import lbms.plugins.mldht.kad.DHTConstants;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.KBucketEntry;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.RPCCall;
import lbms.plugins.mldht.kad.RPCCallListener;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.RPCState;
import lbms.plugins.mldht.kad.messages.ErrorMessage;
import lbms.plugins.mldht.kad.messages.FindNodeRequest;
import lbms.plugins.mldht.kad.messages.FindNodeResponse;
import lbms.plugins.mldht.kad.messages.GetRequest;
import lbms.plugins.mldht.kad.messages.GetResponse;
import lbms.plugins.mldht.kad.messages.MessageBase;
import lbms.plugins.mldht.kad.messages.PutRequest;
import lbms.plugins.mldht.kad.tasks.NodeLookup;
import lbms.plugins.mldht.kad.utils.AddressUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded mldht node (IPv4) with its own one-thread scheduler, and the few BEP-44 operations
 * hubert needs, each returning a future that completes by a deadline.
 *
 * <p>Threading: every call into mldht runs on the node's scheduler thread (one thread avoids
 * mldht's send/response race at sub-millisecond round trips). hubert's own requests (get lookups,
 * puts, the check of a 301) do not go through mldht's RPC layer but through a {@link KrpcClient}
 * beside it: they are sent from the calling thread and answered on the client's receiving thread,
 * which completes the futures, so callers must not block in dependent stages. mldht keeps the
 * routing table (lookups start from it), bootstraps, and answers other nodes. Production settings
 * from the project's mldht notes: each new task is followed by {@code dequeue()} (otherwise it
 * waits for the next 1-second tick), mldht's log goes to SLF4J, and mldht never resolves router
 * names itself.
 */
final class MldhtNode {
  private static final Logger LOG = LoggerFactory.getLogger(MldhtNode.class);

  /** Nodes a value is put to: the closest that handed out a write token (BEP-44 / mldht: 8). */
  static final int REPLICATION = DHTConstants.MAX_ENTRIES_PER_BUCKET;

  private final DHT dht;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Path storageDir;
  private final InetSocketAddress address;
  private final List<InetSocketAddress> bootstrapNodes;
  /** The socket of hubert's own requests (get lookups, puts); mldht's answers everyone else. */
  private final KrpcClient client;
  private final Object lock = new Object();
  /** Held while one put batch is sent (see {@link #putAll}). */
  private final Object putLock = new Object();
  private CompletableFuture<Integer> bootstrapping; // guarded by lock
  private volatile boolean closed;
  private volatile boolean joined;

  private MldhtNode(DHT dht, ScheduledThreadPoolExecutor scheduler, Path storageDir,
      InetSocketAddress address,
      List<InetSocketAddress> bootstrapNodes, KrpcClient client) {
    this.dht = dht;
    this.scheduler = scheduler;
    this.storageDir = storageDir;
    this.address = address;
    this.bootstrapNodes = List.copyOf(bootstrapNodes);
    this.client = client;
  }

  /**
   * Starts a node and returns once its UDP socket is open. Bootstrapping is left to {@link
   * #bootstrap}.
   *
   * @param bindAddress the local address to bind, or {@code null} for mldht's choice (the address
   *     of the default route)
   * @param port the UDP port, or 0 for a free one
   * @param throttled keep mldht's per-IP spam throttles (see {@link Throttles})
   * @throws BackendUnavailableException if the socket cannot be opened in time
   */
  static MldhtNode start(InetAddress bindAddress, int port, List<InetSocketAddress> bootstrapNodes,
      boolean throttled, Duration startTimeout) {
    checkLocale();
    MldhtLogging.install();
    RouterNames.replaceWith(bootstrapNodes);
    InetAddress probeAddress = bindAddress != null ? bindAddress : anyLocal();
    int chosenPort = checkBindable(probeAddress, port);
    if (bindAddress != null) {
      checkInterfaceUp(bindAddress);
    }

    Path dir;
    try {
      dir = Files.createTempDirectory("hubert-dht-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the DHT routing table", e);
    }
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "hubert-dht " + probeAddress.getHostAddress() + ":" + chosenPort);
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> LOG.error("uncaught in {}", thread, e));
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);

    DHT dht = new DHT(DHTtype.IPV4_DHT);
    dht.setScheduler(scheduler);
    Predicate<InetAddress> bindFilter = bindAddress == null ? a -> true : bindAddress::equals;
    DHTConfiguration config = new DHTConfiguration() {
      @Override
      public boolean isPersistingID() {
        return false;
      }

      @Override
      public Path getStoragePath() {
        return dir;
      }

      @Override
      public int getListeningPort() {
        return chosenPort;
      }

      @Override
      public boolean noRouterBootstrap() {
        return true; // bootstrap() contacts our own list instead
      }

      @Override
      public boolean allowMultiHoming() {
        return false;
      }

      @Override
      public Predicate<InetAddress> filterBindAddress() {
        return bindFilter;
      }
    };
    KrpcClient client = null;
    try {
      dht.start(config);
      RPCServer server = awaitRunning(dht, startTimeout);
      if (!throttled) {
        scheduler.submit(() -> Throttles.disable(dht)).get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      InetSocketAddress bound = new InetSocketAddress(server.getBindAddress(), chosenPort);
      client = KrpcClient.open(server.getBindAddress(),
          "hubert-dht " + bound.getAddress().getHostAddress() + ":" + chosenPort + " client");
      LOG.debug("mldht node up at {}, client requests from {}", bound, client.address());
      return new MldhtNode(dht, scheduler, dir, bound, bootstrapNodes, client);
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      if (client != null) {
        client.close();
      }
      stopQuietly(dht, scheduler, dir);
      if (e instanceof BackendUnavailableException) {
        throw (BackendUnavailableException) e;
      }
      throw new BackendUnavailableException("cannot start the DHT node on " + probeAddress.getHostAddress()
          + ":" + chosenPort + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(dht, scheduler, dir);
      throw new BackendUnavailableException("interrupted while starting the DHT node", e);
    }
  }

  /**
   * mldht writes request names with {@code name().toLowerCase()} in the default locale: under a
   * Turkish or Azeri locale "PING" becomes "pıng" (dotless i), which cannot be sent, so the node
   * would never talk to anyone. Refuse to start instead of failing silently.
   */
  static void checkLocale() {
    Locale locale = Locale.getDefault();
    if (!"find_node".equals("FIND_NODE".toLowerCase(locale))) {
      throw new IllegalStateException("the JVM default locale " + locale.toLanguageTag()
          + " lower-cases 'I' to a non-ASCII letter, which breaks the DHT library (mldht writes"
          + " protocol names with the default locale); start the JVM with another default locale,"
          + " e.g. -Duser.language=en, or call Locale.setDefault before creating the store");
    }
  }

  private static InetAddress anyLocal() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * mldht binds with SO_REUSEADDR and reports bind errors only as a stack trace, so a taken port
   * would be shared silently. Binding once without that option first turns such mistakes into a
   * clear error. Returns the port (a free one for 0).
   */
  private static int checkBindable(InetAddress address, int port) {
    try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
      probe.bind(new InetSocketAddress(address, port));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new BackendUnavailableException("cannot bind UDP " + address.getHostAddress() + ":" + port
          + " for the DHT node: " + e.getMessage()
          + " (is the address assigned to this host, and the port free?)", e);
    }
  }

  /**
   * mldht binds only addresses of interfaces that are up (and never a loopback one); any other
   * address would leave it without a socket, and start() would wait for one in vain.
   */
  private static void checkInterfaceUp(InetAddress address) {
    boolean up;
    try {
      NetworkInterface nic = NetworkInterface.getByInetAddress(address);
      up = nic != null && nic.isUp();
    } catch (SocketException e) {
      up = false;
    }
    if (!up) {
      throw new BackendUnavailableException("cannot start the DHT node on "
          + address.getHostAddress() + ": no network interface that is up has this address");
    }
  }

  private static RPCServer awaitRunning(DHT dht, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Optional<RPCServer> running = dht.getServerManager().getAllServers().stream()
          .filter(s -> s.getState() == RPCServer.State.RUNNING)
          .findFirst();
      if (running.isPresent()) {
        return running.get();
      }
      Thread.sleep(5);
    }
    throw new BackendUnavailableException(
        "the DHT node opened no UDP socket within " + timeout.toMillis() + " ms (mldht binds"
            + " only a non-loopback address of a network interface that is up)");
  }

  /** The address the node's UDP socket is bound to. */
  InetSocketAddress address() {
    return address;
  }

  /** Verified nodes in the routing table. */
  int routingTableSize() {
    DHT d = dht;
    int size = closed || !d.isRunning() ? 0 : d.getNode().getNumEntriesInRoutingTable();
    if (size > 0) {
      joined = true;
    }
    return size;
  }

  /** Whether the node has ever had a node in its routing table, i.e. ever joined a DHT. */
  boolean everJoined() {
    return joined || routingTableSize() > 0;
  }

  /**
   * Contacts the bootstrap nodes (find_node for our own ID), then looks up our own ID through the
   * nodes they name. Completes with the routing table size when that lookup ends, or at the
   * timeout. Joins an attempt that is still running unless {@code fresh}.
   */
  CompletableFuture<Integer> bootstrap(Duration timeout, boolean fresh) {
    Instant deadline = Instant.now().plus(timeout);
    CompletableFuture<Integer> attempt;
    synchronized (lock) {
      if (!fresh && bootstrapping != null && !bootstrapping.isDone()) {
        attempt = bootstrapping;
      } else {
        attempt = new CompletableFuture<>();
        bootstrapping = attempt;
        CompletableFuture<Integer> started = attempt;
        resolve(bootstrapNodes)
            .thenAccept(addresses -> execute(() -> findNodes(addresses, started), started))
            .exceptionally(e -> {
              started.complete(routingTableSize());
              return null;
            });
        // an attempt never outlives the longest RPC timeout by much, even if nobody waits for it
        within(attempt, Instant.now().plusMillis(2L * DHTConstants.RPC_CALL_TIMEOUT_MAX),
            this::routingTableSize).whenComplete((n, e) -> started.complete(n == null ? 0 : n));
      }
    }
    return within(attempt, deadline, this::routingTableSize);
  }

  /** Resolves host names (never the IP literals) off the DHT thread. */
  private static CompletableFuture<List<InetSocketAddress>> resolve(List<InetSocketAddress> nodes) {
    if (nodes.stream().noneMatch(InetSocketAddress::isUnresolved)) {
      return CompletableFuture.completedFuture(nodes);
    }
    CompletableFuture<List<InetSocketAddress>> resolved = new CompletableFuture<>();
    Thread resolver = new Thread(() -> {
      List<InetSocketAddress> out = new ArrayList<>();
      for (InetSocketAddress node : nodes) {
        if (!node.isUnresolved()) {
          out.add(node);
          continue;
        }
        try {
          for (InetAddress a : InetAddress.getAllByName(node.getHostString())) {
            if (a instanceof java.net.Inet4Address) {
              out.add(new InetSocketAddress(a, node.getPort()));
            }
          }
        } catch (UnknownHostException e) {
          LOG.debug("bootstrap node {} does not resolve: {}", node, e.getMessage());
        }
      }
      resolved.complete(out);
    }, "hubert-dht resolver");
    resolver.setDaemon(true);
    resolver.start();
    return resolved;
  }

  private void findNodes(List<InetSocketAddress> addresses, CompletableFuture<Integer> attempt) {
    RPCServer server = server();
    if (server == null) {
      attempt.complete(0);
      return;
    }
    Key self = dht.getNode().getRootID();
    List<CompletableFuture<RPCCall>> calls = new ArrayList<>();
    for (InetSocketAddress to : addresses) {
      if (to.equals(address) || AddressUtils.isBogon(to)) {
        continue;
      }
      FindNodeRequest request = new FindNodeRequest(self);
      request.setWant4(true);
      request.setDestination(to);
      calls.add(call(server, new RPCCall(request)));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).thenRunAsync(() -> {
      List<KBucketEntry> named = calls.stream()
          .map(CompletableFuture::join)
          .filter(c -> c.state() == RPCState.RESPONDED && c.getResponse() instanceof FindNodeResponse)
          .flatMap(c -> ((FindNodeResponse) c.getResponse()).getNodes(DHTtype.IPV4_DHT) == null
              ? Stream.empty()
              : ((FindNodeResponse) c.getResponse()).getNodes(DHTtype.IPV4_DHT).entries())
          .filter(e -> !AddressUtils.isBogon(e.getAddress()) && !dht.getNode().isLocalId(e.getID()))
          .collect(Collectors.toList());
      if (!dht.isRunning()) {
        attempt.complete(0);
        return;
      }
      NodeLookup lookup = new NodeLookup(self, server, dht.getNode(), true);
      lookup.setInfo("hubert bootstrap");
      lookup.injectCandidates(named);
      lookup.addListener(t -> attempt.complete(routingTableSize()));
      dht.getTaskManager().addTask(lookup, true);
      dht.getTaskManager().dequeue();
    }, scheduler).exceptionally(e -> {
      attempt.complete(routingTableSize());
      return null;
    });
  }

  /** What one get lookup found. {@code value} is the first valid signed item, if any. */
  static final class Lookup {
    final StorageItem value;
    final Map<KBucketEntry, byte[]> tokens;
    final int responses;

    Lookup(StorageItem value, Map<KBucketEntry, byte[]> tokens, int responses) {
      this.value = value;
      this.tokens = tokens;
      this.responses = responses;
    }

    Optional<StorageItem> value() {
      return Optional.ofNullable(value);
    }
  }

  /**
   * An iterative BEP-44 get for {@code target} ({@link ItemLookup}): values are checked (target and
   * signature) before they count. Completes at the first valid value if {@code stopAtValue}, once
   * the {@link ItemLookup#CLOSEST} closest nodes known have answered, once only stalled requests
   * (to dead or slow nodes) have remained for a while (250 ms with {@link #REPLICATION} write
   * tokens, 2 s with fewer), or at the deadline with what was found so far.
   *
   * @param width requests in flight at once: a few for a get that expects a value, {@link
   *     #REPLICATION} for the read before a put, which needs the closest nodes' write tokens
   */
  CompletableFuture<Lookup> lookup(Key target, byte[] salt, Instant deadline, boolean stopAtValue,
      int width) {
    return lookup(target, salt, item -> MutableItem.verify(item, target, salt), deadline,
        stopAtValue, width);
  }

  /**
   * {@link #lookup(Key, byte[], Instant, boolean, int)} with the check of found values given:
   * {@code valid} must accept only items of {@code target} with a valid signature.
   */
  CompletableFuture<Lookup> lookup(Key target, byte[] salt, Predicate<StorageItem> valid,
      Instant deadline, boolean stopAtValue, int width) {
    if (closed || !dht.isRunning()) {
      return CompletableFuture.completedFuture(new Lookup(null, Map.of(), 0));
    }
    ItemLookup lookup = new ItemLookup(dht, client, this::stallTimeout, target, salt, valid,
        stopAtValue, width);
    try {
      lookup.start(millisUntil(deadline)); // sends from this thread
    } catch (RejectedExecutionException e) {
      lookup.result().completeExceptionally(closedError()); // closed meanwhile
    }
    return lookup.result();
  }

  /** mldht's adaptive stall timeout (ms): how long an unanswered request waits before others go. */
  private long stallTimeout() {
    RPCServer server = server();
    return server == null ? KrpcClient.TIMEOUT_MS : server.getTimeoutFilter().getStallTimeout();
  }

  /** How one node answered a put. */
  enum PutStatus { STORED, CAS_MISMATCH, ERROR, TIMEOUT }

  /** One node's answer to a put: the status and, for errors, BEP-44's code and message. */
  static final class PutReply {
    final KBucketEntry node;
    final PutStatus status;
    final int code;
    final String message;

    PutReply(KBucketEntry node, PutStatus status, int code, String message) {
      this.node = node;
      this.status = status;
      this.code = code;
      this.message = message;
    }
  }

  /** BEP-44 error code for a failed compare-and-swap. */
  static final int CAS_MISMATCH = 301;

  /**
   * Sends one put of {@code item} to {@code node} with {@code cas} (the sequence number the node
   * must hold, 0 for "nothing stored"). Completes with the node's answer, or TIMEOUT at mldht's
   * RPC timeout or the deadline.
   */
  CompletableFuture<PutReply> put(KBucketEntry node, byte[] token, StorageItem item, long cas,
      Instant deadline) {
    return putAll(List.of(Map.entry(node, token)), item, cas, deadline).get(0);
  }

  /**
   * {@link #put} to each node of {@code targets} (node and its write token), all sent in one go
   * from this thread: no other put batch of this node interleaves with it, so that when writers
   * race, each storing node sees their puts in the same order and the first writer's {@code cas =
   * 0} wins on every node (on a real network, paths may still reorder them).
   */
  List<CompletableFuture<PutReply>> putAll(List<Map.Entry<KBucketEntry, byte[]>> targets,
      StorageItem item, long cas, Instant deadline) {
    List<CompletableFuture<PutReply>> replies = new ArrayList<>();
    synchronized (putLock) {
      for (Map.Entry<KBucketEntry, byte[]> t : targets) {
        replies.add(putOne(t.getKey(), t.getValue(), item, cas, deadline));
      }
    }
    return replies;
  }

  private CompletableFuture<PutReply> putOne(KBucketEntry node, byte[] token, StorageItem item,
      long cas, Instant deadline) {
    CompletableFuture<PutReply> reply = new CompletableFuture<>();
    PutRequest request = new PutRequest();
    request.populateFromStorage(item);
    request.setToken(token);
    request.setExpectedSequenceNumber(cas);
    // sent from this thread: normally the one that received the lookup's last answer
    send(request, node, new KrpcClient.Listener() {
      @Override
      public void answered(MessageBase message) {
        reply.complete(putReply(node, message));
      }

      @Override
      public void timedOut() {
        reply.complete(new PutReply(node, PutStatus.TIMEOUT, 0, "no answer (TIMEOUT)"));
      }
    }, reply);
    return within(reply, deadline,
        () -> new PutReply(node, PutStatus.TIMEOUT, 0, "no answer before the deadline"));
  }

  private static PutReply putReply(KBucketEntry node, MessageBase response) {
    if (response instanceof ErrorMessage) {
      ErrorMessage error = (ErrorMessage) response;
      return new PutReply(node,
          error.getCode() == CAS_MISMATCH ? PutStatus.CAS_MISMATCH : PutStatus.ERROR,
          error.getCode(), error.getMessage());
    }
    if (response.getMethod() == MessageBase.Method.PUT) {
      return new PutReply(node, PutStatus.STORED, 0, "");
    }
    return new PutReply(node, PutStatus.TIMEOUT, 0, "no answer (" + response.getMethod() + ")");
  }

  /**
   * Asks one node directly what it stores at {@code target}. Completes with the item if the node
   * answered with a valid signed one, empty otherwise (no item, no answer, bad signature).
   */
  CompletableFuture<Optional<StorageItem>> get(KBucketEntry node, Key target, byte[] salt,
      Instant deadline) {
    CompletableFuture<Optional<StorageItem>> item = new CompletableFuture<>();
    GetRequest request = new GetRequest(target);
    request.setWant4(true);
    send(request, node, new KrpcClient.Listener() {
      @Override
      public void answered(MessageBase message) {
        if (!(message instanceof GetResponse)) {
          item.complete(Optional.empty());
          return;
        }
        GetResponse response = (GetResponse) message;
        if (response.getRawValue() == null || response.getPubkey() == null) {
          item.complete(Optional.empty());
          return;
        }
        StorageItem stored = new StorageItem(response, salt);
        boolean valid = MutableItem.verify(stored, target, salt);
        item.complete(valid ? Optional.of(stored) : Optional.empty());
      }

      @Override
      public void timedOut() {
        item.complete(Optional.empty());
      }
    }, item);
    return within(item, deadline, Optional::empty);
  }

  /** Sends one request of hubert's own to {@code node}; if closed, fails {@code onClosed}. */
  private void send(MessageBase request, KBucketEntry node, KrpcClient.Listener listener,
      CompletableFuture<?> onClosed) {
    if (closed) {
      onClosed.completeExceptionally(closedError());
      return;
    }
    client.send(request, node.getAddress(), stallTimeout(), listener);
  }

  /** The nodes of a lookup's token map, closest to {@code target} first, at most {@code n}. */
  static List<Map.Entry<KBucketEntry, byte[]>> closest(Map<KBucketEntry, byte[]> tokens, Key target,
      int n) {
    Comparator<KBucketEntry> byDistance = new KBucketEntry.DistanceOrder(target);
    return tokens.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(byDistance))
        .limit(n)
        .collect(Collectors.toList());
  }

  /** Sends {@code call} and completes when it reaches a final state (answer, error, timeout). */
  private CompletableFuture<RPCCall> call(RPCServer server, RPCCall call) {
    CompletableFuture<RPCCall> done = new CompletableFuture<>();
    call.addListener(new RPCCallListener() {
      @Override
      public void stateTransition(RPCCall c, RPCState previous, RPCState current) {
        if (current == RPCState.RESPONDED || current == RPCState.ERROR
            || current == RPCState.TIMEOUT) {
          done.complete(c);
        }
      }
    });
    server.doCall(call);
    return done;
  }

  private RPCServer server() {
    if (closed || !dht.isRunning()) {
      return null;
    }
    return dht.getServerManager().getRandomActiveServer(true);
  }

  /**
   * A future that completes like {@code future}, or with {@code fallback} at the deadline if that
   * comes first.
   */
  <T> CompletableFuture<T> within(CompletableFuture<T> future, Instant deadline,
      java.util.function.Supplier<T> fallback) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    future.whenComplete((v, e) -> {
      if (e != null) {
        bounded.completeExceptionally(e);
      } else {
        bounded.complete(v);
      }
    });
    if (!bounded.isDone()) {
      try {
        ScheduledFuture<?> timer = client.schedule(() -> bounded.complete(fallback.get()),
            millisUntil(deadline));
        bounded.whenComplete((v, e) -> timer.cancel(false));
      } catch (RejectedExecutionException e) {
        bounded.completeExceptionally(closedError());
      }
    }
    return bounded;
  }

  /** Runs {@code action} on the DHT thread; if that is shut down, fails {@code onReject}. */
  private void execute(Runnable action, CompletableFuture<?> onReject) {
    try {
      scheduler.execute(() -> {
        try {
          action.run();
        } catch (RuntimeException e) {
          LOG.warn("DHT operation failed", e);
          onReject.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      onReject.completeExceptionally(closedError());
    }
  }

  static BackendUnavailableException closedError() {
    return new BackendUnavailableException("the Mainline DHT store is closed");
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Stops the node: closes its sockets (mldht's and the client's), cancels its timers and tasks,
   * ends its threads and deletes its directory. Idempotent. Pending futures are left as they are
   * (their timers are cancelled and late answers ignored, so callers must fail them; see {@link
   * MainlineDhtKv#close()}).
   */
  void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    client.close();
    stopQuietly(dht, scheduler, storageDir);
    awaitSocketClosed(address, Duration.ofSeconds(3));
  }

  /**
   * mldht closes its channel while it is still registered with its selector, so the socket is
   * released only at the selector's next wake-up (within about 100 ms). Waits for that, so that
   * the address is free when {@link #close()} returns.
   */
  private static void awaitSocketClosed(InetSocketAddress address, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
        probe.bind(address);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > end) {
          LOG.warn("the DHT socket {} was still open {} ms after close", address, timeout.toMillis());
          return;
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void stopQuietly(DHT dht, ScheduledThreadPoolExecutor scheduler, Path dir) {
    try {
      // DHT.stop() waits for its own scheduled actions; run it on the DHT thread so nothing races
      scheduler.submit(dht::stop).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      LOG.warn("DHT node did not stop cleanly", e);
    }
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("DHT scheduler thread did not end within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteQuietly(dir);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("could not delete {}", dir, e);
    }
  }

  static long millisUntil(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }
}
