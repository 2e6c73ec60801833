package dev.hubert.dht;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.Checks;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.DaemonThreads;
import dev.hubert.api.Delivered;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.api.VerboseLog;
import dev.hubert.dht.Bep44Store.PutResult;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.DecodeException;
import dev.hubert.envelope.Envelope;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link KvStore} on the BitTorrent Mainline DHT: each value is a BEP-44 mutable item, written
 * by an embedded DHT node (libmldht). Wire-compatible with hubert 0.5.0: the item's Ed25519 key is
 * derived from the ARID ({@link AridDerivation#mainlineSigningSeed}), its target is {@code
 * SHA1(public key ‖ salt)}, {@code seq = 1}, and {@code v} is the tagged envelope CBOR obfuscated
 * with the ARID. The receipt is {@code dht://<public key hex>} and reports how many nodes stored
 * the value ({@link Receipt#replicas()}).
 *
 * <p>Start one with {@link #start(Config)} and {@link #config()}, close it when done. With the
 * default configuration it joins the public DHT through the public bootstrap routers.
 *
 * <h2>Behaviour (beyond {@link KvStore}'s rules)</h2>
 *
 * <ul>
 *   <li>put reads first, like the reference: any value found completes with {@link
 *       AlreadyExistsException} and nothing is sent. It then stores with {@code cas = 0}, so each
 *       storing node itself refuses to replace an item (BEP-44 error 301). A 301 from a node that
 *       holds exactly our value counts as a replica; a node holding a different value means
 *       another writer won: {@link AlreadyExistsException}. A 301 from a node that does not
 *       answer when asked what it holds makes the put fail with {@link
 *       BackendUnavailableException} (unless another node shows a different value), even if other
 *       nodes stored the value: the silent node may hold another writer's value. Of concurrent
 *       puts of different values at one ARID at most one succeeds, and it can happen that none
 *       does, as long as the nodes' answers arrive: a node whose answer to a put is lost counts as
 *       not storing, so two writers that reached different nodes can both succeed.
 *   <li>Values: the tagged envelope CBOR may be at most {@link Config#maxValueSize()} bytes (at
 *       most {@value #MAX_VALUE_SIZE}: storing nodes refuse a bencoded {@code v} over 1000 bytes).
 *       Larger ones complete with {@link ValueTooLargeException} before any network traffic.
 *   <li>get polls once a second until the timeout; each poll is one iterative lookup that ends at
 *       the first valid signed value. It completes at most about a second after its timeout (the
 *       lookup under way then ends within about a second and is the last; a zero timeout: one
 *       lookup, bounded by {@link Config#lookupTimeout()}): empty if nothing was found, or with
 *       {@link BackendUnavailableException} if the store never joined the DHT (no bootstrap node
 *       ever answered). A store that had joined and then lost every node completes empty at its
 *       timeout. A timeout over 100 years is cut to 100 years.
 *   <li>exists is one lookup, bounded by {@link Config#lookupTimeout()}; if no node answered, it
 *       completes with {@link BackendUnavailableException}.
 *   <li>put is bounded by {@link Config#operationTimeout()}: the read leaves a quarter of it (at
 *       most 5 s) for the writes, and nothing is written once it has passed. If no node stored
 *       the value, put completes with {@link BackendUnavailableException} (no answer) or {@link
 *       BackendException} (every node refused). A node that did not answer may have stored the
 *       value all the same; a retry then finds it and completes with {@link
 *       AlreadyExistsException}, as any put that finds a value does (the store cannot tell a
 *       retry of the same envelope from a second put).
 *   <li>The TTL is ignored: DHT nodes keep items for about two hours and hubert never republishes.
 * </ul>
 *
 * <p>Futures complete on the store's own callback threads (daemon threads, reused, more started
 * while dependent stages block), or on the thread that waits for them in {@code get}/{@code
 * join}; never on the DHT node's own threads. {@link #close()} ends the callback threads.
 */
public final class MainlineDhtKv implements KvStore {
  /** The largest raw value a BEP-44 item can carry on mldht, libtorrent and bittorrent-dht. */
  public static final int MAX_VALUE_SIZE = MutableItem.MAX_VALUE;

  /** The public routers the reference (mainline crate 6) bootstraps from. */
  public static final List<InetSocketAddress> PUBLIC_BOOTSTRAP = List.of(
      InetSocketAddress.createUnresolved("router.bittorrent.com", 6881),
      InetSocketAddress.createUnresolved("dht.transmissionbt.com", 6881),
      InetSocketAddress.createUnresolved("dht.libtorrent.org", 25401),
      InetSocketAddress.createUnresolved("relay.pkarr.org", 6881));

  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  private static final Duration LAST_LOOKUP = Duration.ofSeconds(1);
  private static final String STORE_NAME = "Mainline DHT";
  private static final HexFormat HEX = HexFormat.of();

  private final Config config;
  private final MldhtNode node;
  private final Bep44Store store;
  /**
   * Where a caller's stages run when no thread waits in get/join (see {@link Delivered}): pooled
   * threads, as many as stages block. CompletableFuture's default executor starts a new thread
   * per task on two cores or fewer, one per finished put with many in flight.
   */
  private final ExecutorService callbacks;
  /** Makes the callback threads, named {@code hubert-dht <address> callbacks n}. */
  private final DaemonThreads callbackThreads;
  private final Set<Delivered<?>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private MainlineDhtKv(Config config, MldhtNode node) {
    this.config = config;
    this.node = node;
    this.store = new Bep44Store(node, config.salt, config.lookupTimeout);
    this.callbackThreads = DaemonThreads.numbered("hubert-dht "
        + node.address().getAddress().getHostAddress() + ":" + node.address().getPort()
        + " callbacks ");
    this.callbacks = Executors.newCachedThreadPool(callbackThreads);
  }

  /**
   * Starts a store with its own DHT node: opens the UDP socket, then bootstraps in the background
   * (operations wait for it, within their own deadlines).
   *
   * @throws BackendUnavailableException if the UDP socket cannot be opened (address not assigned,
   *     port taken)
   * @throws IllegalStateException if the JVM's default locale breaks the DHT library (Turkish,
   *     Azeri); the message says how to fix it
   */
  public static MainlineDhtKv start(Config config) {
    Objects.requireNonNull(config, "config");
    MldhtNode node = MldhtNode.start(config.bindAddress, config.port, config.bootstrap,
        config.requestThrottling, Duration.ofSeconds(10));
    MainlineDhtKv kv = new MainlineDhtKv(config, node);
    node.bootstrap(config.operationTimeout, false);
    return kv;
  }

  /** Starts a store on the public DHT with the default configuration. */
  public static MainlineDhtKv start() {
    return start(config().build());
  }

  /** A builder of {@link Config}, starting from the defaults. */
  public static Config.Builder config() {
    return new Config.Builder();
  }

  /** The configuration this store was started with. */
  public Config configuration() {
    return config;
  }

  /**
   * The local address and UDP port of the embedded DHT node. The store's own requests (get, put)
   * go out from a second UDP socket on the same address and a free port, which answers no queries.
   */
  public InetSocketAddress localAddress() {
    return node.address();
  }

  /**
   * Contacts the bootstrap nodes again and completes with the number of verified nodes in the
   * routing table once the bootstrap lookup ends, or after {@link Config#operationTimeout()}.
   * Never completes exceptionally (0 means nobody answered), except after {@link #close()}.
   */
  public CompletableFuture<Integer> bootstrap() {
    if (closed) {
      return CompletableFuture.failedFuture(MldhtNode.closedError());
    }
    return deliver(() -> node.bootstrap(config.operationTimeout, true));
  }

  @Override
  public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
    Checks.put(arid, envelope, ttl);
    return deliver(() -> {
      log(verbose, "Starting Mainline DHT put operation");
      byte[] cbor = envelope.toCborData();
      log(verbose, "Envelope size: " + cbor.length + " bytes");
      if (cbor.length > config.maxValueSize) {
        throw new ValueTooLargeException("obfuscated envelope", cbor.length, config.maxValueSize,
            STORE_NAME);
      }
      log(verbose, "Obfuscated envelope data");
      log(verbose, "Deriving DHT signing key from ARID");
      MutableItem.Signer signer = signer(arid);
      String receipt = "dht://" + HEX.formatHex(signer.publicKey());
      log(verbose, "Checking for existing value (write-once check)");
      Instant deadline = Instant.now().plus(config.operationTimeout);
      CompletableFuture<MutableItem> signed = new CompletableFuture<>();
      CompletableFuture<PutResult> stored = store.putOnce(signer.target(), signed, deadline, () -> {
        log(verbose, "Creating mutable DHT item");
        log(verbose, "Putting value to DHT");
      });
      // obfuscate and sign while the read is in flight (the write waits for it)
      try {
        signed.complete(signer.sign(AridDerivation.obfuscate(arid, cbor)));
      } catch (RuntimeException e) {
        signed.completeExceptionally(e);
      }
      return stored.thenApply(result -> {
        switch (result.outcome) {
          case STORED:
            log(verbose, "Mainline DHT put operation completed");
            return Receipt.withReplicas(receipt, result.replicas);
          case FOUND:
          case CONFLICT:
            throw new AlreadyExistsException(arid, arid.urString());
          case UNCONFIRMED:
            throw new BackendUnavailableException("Mainline DHT put not confirmed: "
                + result.unconfirmed + " node(s) answered that they already hold a value at "
                + arid.urString() + " but did not answer when asked which one, so another writer"
                + " may have won (" + result.summary() + "); retry: the retry's read completes"
                + " with AlreadyExistsException if a value is stored there");
          default:
            throw notStored(result);
        }
      });
    });
  }

  private RuntimeException notStored(PutResult result) {
    if (result.allRefused()) {
      return new BackendException("Mainline DHT error: every node refused the value ("
          + result.summary() + ")");
    }
    long unanswered = result.unanswered();
    return new BackendUnavailableException("no Mainline DHT node stored the value within "
        + config.operationTimeout.toSeconds() + " s (" + result.summary() + "); "
        + (unanswered == 0 ? "" : unanswered + " node(s) did not answer and may hold it all the"
            + " same, and then a retry finds it and completes with AlreadyExistsException; ")
        + "check the network connection and the bootstrap nodes, then retry");
  }

  @Override
  public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
    Checks.get(arid, timeout);
    Duration wait = Checks.capped(timeout == null ? defaultTimeout() : timeout);
    // once a valid value is in, a caller blocked on the result wakes while it is decoded
    AtomicReference<Delivered<?>> caller = new AtomicReference<>();
    Runnable valueIn = () -> {
      Delivered<?> d = caller.get();
      if (d != null) {
        d.soon();
      }
    };
    AtomicReference<CompletableFuture<?>> polling = new AtomicReference<>();
    CompletableFuture<Optional<Envelope>> result = deliver(() -> {
      log(verbose, "Starting Mainline DHT get operation");
      log(verbose, "Deriving DHT public key from ARID");
      MutableItem.Signer key = signer(arid);
      Instant deadline = Instant.now().plus(wait);
      Duration lastLookup =
          wait.isZero() ? config.lookupTimeout : min(LAST_LOOKUP, config.lookupTimeout);
      log(verbose, "Polling DHT for value");
      AtomicInteger answers = new AtomicInteger();
      CompletableFuture<Optional<byte[]>> poll = Polling.poll(wait, POLL_INTERVAL,
          () -> lookupValue(key, later(deadline, Instant.now().plus(lastLookup)), answers, valueIn),
          () -> {
            if (verbose) {
              VerboseLog.dot();
            }
          });
      polling.set(poll);
      return poll.thenApply(found -> {
            if (verbose) {
              VerboseLog.newline();
            }
            if (found.isEmpty()) {
              if (answers.get() == 0 && !node.everJoined()) {
                throw notJoined(wait);
              }
              log(verbose, "Timeout reached, value not found");
              return Optional.empty();
            }
            log(verbose, "Value found in DHT");
            byte[] cbor = AridDerivation.obfuscate(arid, found.get());
            log(verbose, "Deobfuscated envelope data");
            Envelope envelope = decode(arid, cbor);
            log(verbose, "Mainline DHT get operation completed");
            return Optional.of(envelope);
          });
    });
    if (result instanceof Delivered) {
      caller.set((Delivered<?>) result);
    }
    CompletableFuture<?> poll = polling.get();
    if (poll != null) {
      result.whenComplete((v, e) -> poll.cancel(false)); // a cancel stops the polling
    }
    return result;
  }

  private BackendUnavailableException notJoined(Duration waited) {
    return new BackendUnavailableException("could not join the Mainline DHT within "
        + waited.toMillis() + " ms: none of the bootstrap nodes " + config.bootstrap
        + " answered; check the network connection and the bootstrap list, then retry");
  }

  /**
   * One lookup: the raw {@code v} bytes found, or a corrupt-value failure if not a byte string.
   * Adds the number of nodes that answered to {@code answers}; runs {@code found} on the I/O
   * thread once a valid value is in.
   */
  private CompletableFuture<Optional<byte[]>> lookupValue(MutableItem.Signer key, Instant deadline,
      AtomicInteger answers, Runnable found) {
    return store.lookup(key, deadline, found).thenApply(lookup -> {
      answers.addAndGet(lookup.responses);
      return lookup;
    }).thenApply(lookup -> lookup.value().map(item ->
        MutableItem.valueOf(item).orElseThrow(() -> new CorruptValueException(
            "the DHT item's value is not a byte string, so it was not written by hubert", null))));
  }

  /** The item's key pair (hubert 0.5.0's derivation) with this store's salt. */
  private MutableItem.Signer signer(Arid arid) {
    return MutableItem.signer(AridDerivation.mainlineSigningSeed(arid), config.salt);
  }

  private static Envelope decode(Arid arid, byte[] cbor) {
    try {
      return Envelope.fromCborData(cbor);
    } catch (DecodeException e) {
      throw new CorruptValueException("the value stored at " + arid.urString()
          + " is not an envelope once de-obfuscated (written by another program or by hubert"
          + " 0.3.0 or older?): " + e.getMessage(), e);
    }
  }

  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    Objects.requireNonNull(arid, "arid");
    return deliver(() -> {
      Instant deadline = Instant.now().plus(config.lookupTimeout);
      return store.lookup(signer(arid), deadline, () -> { }).thenApply(lookup -> {
        if (lookup.value().isPresent()) {
          return true;
        }
        if (lookup.responses == 0) {
          throw new BackendUnavailableException("no Mainline DHT node answered within "
              + config.lookupTimeout.toMillis() + " ms; check the network connection and the"
              + " bootstrap nodes, then retry");
        }
        return false;
      });
    });
  }

  /**
   * Runs {@code operation} and returns a future that takes its outcome (the exception unwrapped)
   * without running the caller's stages on the DHT node's threads (see {@link Delivered}), and that {@link
   * #close()} fails if still pending. An exception thrown by {@code operation} itself fails the
   * future.
   */
  private <T> CompletableFuture<T> deliver(Supplier<CompletableFuture<T>> operation) {
    if (closed) {
      return CompletableFuture.failedFuture(MldhtNode.closedError());
    }
    CompletableFuture<T> inner;
    try {
      inner = operation.get();
    } catch (RuntimeException e) {
      inner = CompletableFuture.failedFuture(e);
    }
    Delivered<T> result = Delivered.of(inner, callbacks);
    pending.add(result);
    result.whenComplete((v, e) -> pending.remove(result));
    if (closed) {
      result.fail(MldhtNode.closedError());
    }
    return result;
  }

  private static void log(boolean verbose, String message) {
    if (verbose) {
      VerboseLog.println(message);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * Stops the DHT node: closes its UDP socket, ends its thread, deletes its routing-table
   * directory. Operations still pending complete with {@link BackendUnavailableException}, and so
   * do later calls. Waits (at most 2 s) for the callback threads to end: a caller's stage still
   * running finishes first. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    node.close();
    for (Delivered<?> f : List.copyOf(pending)) {
      f.fail(MldhtNode.closedError());
    }
    callbacks.shutdown(); // stages already running finish; idle threads end now
    // no wait when closed from a caller's stage: its own thread cannot end yet
    callbackThreads.awaitTermination(callbacks, Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    return "MainlineDhtKv[" + node.address() + (closed ? ", closed]" : "]");
  }

  /**
   * How a {@link MainlineDhtKv} joins and uses the DHT. Immutable; build with {@link
   * MainlineDhtKv#config()}.
   */
  public static final class Config {
    private final List<InetSocketAddress> bootstrap;
    private final InetAddress bindAddress;
    private final int port;
    private final byte[] salt;
    private final int maxValueSize;
    private final boolean requestThrottling;
    private final Duration operationTimeout;
    private final Duration lookupTimeout;

    private Config(Builder b) {
      this.bootstrap = b.bootstrap;
      this.bindAddress = b.bindAddress;
      this.port = b.port;
      this.salt = b.salt;
      this.maxValueSize = b.maxValueSize;
      this.requestThrottling = b.requestThrottling;
      this.operationTimeout = b.operationTimeout;
      this.lookupTimeout = b.lookupTimeout;
    }

    /** The nodes contacted to join the DHT; default {@link MainlineDhtKv#PUBLIC_BOOTSTRAP}. */
    public List<InetSocketAddress> bootstrap() {
      return bootstrap;
    }

    /** The local address the node binds, if set; otherwise the address of the default route. */
    public Optional<InetAddress> bindAddress() {
      return Optional.ofNullable(bindAddress);
    }

    /** The UDP port; 0 (the default) means any free port. */
    public int port() {
      return port;
    }

    /** The BEP-44 salt, if set (a namespace: stores with different salts do not see each other). */
    public Optional<byte[]> salt() {
      return Optional.ofNullable(salt).map(byte[]::clone);
    }

    /** The largest tagged envelope CBOR put accepts, in bytes; default {@value #DEFAULT_MAX}. */
    public int maxValueSize() {
      return maxValueSize;
    }

    /** Whether mldht's per-IP spam throttles are on (default true). */
    public boolean requestThrottling() {
      return requestThrottling;
    }

    /** The deadline of a put, and of a bootstrap; default 30 s. */
    public Duration operationTimeout() {
      return operationTimeout;
    }

    /** The deadline of one lookup on its own (exists, a get with zero timeout); default 5 s. */
    public Duration lookupTimeout() {
      return lookupTimeout;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    @Override
    public String toString() {
      return "Config[bootstrap=" + bootstrap + ", bind=" + bindAddress + ", port=" + port
          + ", salt=" + (salt == null ? "none" : HEX.formatHex(salt)) + ", maxValueSize="
          + maxValueSize + ", requestThrottling=" + requestThrottling + ", operationTimeout="
          + operationTimeout + ", lookupTimeout=" + lookupTimeout + "]";
    }

    private static final int DEFAULT_MAX = MAX_VALUE_SIZE;

    /** Builds a {@link Config}. Each setter checks its argument and says what is wrong. */
    public static final class Builder {
      private List<InetSocketAddress> bootstrap = PUBLIC_BOOTSTRAP;
      private InetAddress bindAddress;
      private int port;
      private byte[] salt;
      private int maxValueSize = DEFAULT_MAX;
      private boolean requestThrottling = true;
      private Duration operationTimeout = Duration.ofSeconds(30);
      private Duration lookupTimeout = Duration.ofSeconds(5);

      Builder() {}

      Builder(Config c) {
        bootstrap = c.bootstrap;
        bindAddress = c.bindAddress;
        port = c.port;
        salt = c.salt;
        maxValueSize = c.maxValueSize;
        requestThrottling = c.requestThrottling;
        operationTimeout = c.operationTimeout;
        lookupTimeout = c.lookupTimeout;
      }

      /**
       * The nodes to join through. Give IP literals ({@code new InetSocketAddress("198.51.100.1",
       * 6881)}) to avoid DNS lookups entirely; host names are resolved when bootstrapping. An empty
       * list makes a node that waits for others to contact it.
       */
      public Builder bootstrap(List<InetSocketAddress> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        for (InetSocketAddress n : nodes) {
          Objects.requireNonNull(n, "bootstrap node");
          if (n.getPort() == 0) {
            throw new IllegalArgumentException("bootstrap node " + n + " has no port");
          }
        }
        this.bootstrap = List.copyOf(nodes);
        return this;
      }

      /**
       * The local IPv4 address to bind: a unicast address of an interface of this host that is up
       * (checked by {@link MainlineDhtKv#start(Config)}). Loopback addresses are refused: the DHT
       * library never binds them. Private (RFC 1918) addresses are accepted, e.g. behind NAT.
       *
       * @throws IllegalArgumentException if the address is not IPv4, or is the wildcard, a
       *     loopback, multicast or broadcast address
       */
      public Builder bindAddress(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof java.net.Inet4Address) || address.isAnyLocalAddress()) {
          throw new IllegalArgumentException(
              "bind address must be a specific IPv4 address, got " + address.getHostAddress());
        }
        if (address.isLoopbackAddress()) {
          throw new IllegalArgumentException("bind address " + address.getHostAddress()
              + " is a loopback address, which the DHT library (mldht) never binds; give an"
              + " address of a network interface");
        }
        if (address.isMulticastAddress() || address.getHostAddress().equals("255.255.255.255")) {
          throw new IllegalArgumentException("bind address must be a unicast address, got "
              + address.getHostAddress());
        }
        this.bindAddress = address;
        return this;
      }

      /** The UDP port, 1..65535, or 0 for any free port. */
      public Builder port(int port) {
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        this.port = port;
        return this;
      }

      /**
       * The BEP-44 salt (1 to 64 bytes), or {@code null} for none (the reference's default). An
       * empty salt is refused: libtorrent treats it as none and would refuse the signature.
       */
      public Builder salt(byte[] salt) {
        if (salt != null) {
          MutableItem.checkSalt(salt);
        }
        this.salt = salt == null ? null : salt.clone();
        return this;
      }

      /** The largest tagged envelope CBOR put accepts: 1..{@value MainlineDhtKv#MAX_VALUE_SIZE}. */
      public Builder maxValueSize(int bytes) {
        if (bytes < 1 || bytes > MAX_VALUE_SIZE) {
          throw new IllegalArgumentException("max value size must be 1.." + MAX_VALUE_SIZE
              + " bytes (DHT nodes refuse a bencoded value over 1000 bytes), got " + bytes);
        }
        this.maxValueSize = bytes;
        return this;
      }

      /**
       * Whether to keep mldht's per-IP spam throttles (default {@code true}). Turn them off only
       * on a private network such as a testnet, where a few nodes see all of each other's
       * traffic and the throttles would drop or delay most requests (libtorrent's {@code
       * dht_block_ratelimit} plays the same role). Never on the public DHT.
       */
      public Builder requestThrottling(boolean on) {
        this.requestThrottling = on;
        return this;
      }

      /** The deadline of a put and of a bootstrap; positive; over 100 years is cut to 100 years. */
      public Builder operationTimeout(Duration timeout) {
        this.operationTimeout = Checks.capped(Checks.positive(timeout, "operation timeout"));
        return this;
      }

      /**
       * The deadline of one lookup on its own (exists, a get with zero timeout); positive; over 100
       * years is cut to 100 years.
       */
      public Builder lookupTimeout(Duration timeout) {
        this.lookupTimeout = Checks.capped(Checks.positive(timeout, "lookup timeout"));
        return this;
      }

      public Config build() {
        return new Config(this);
      }
    }
  }
}
