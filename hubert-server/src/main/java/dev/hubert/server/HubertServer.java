package dev.hubert.server;

import dev.hubert.api.Checks;
import dev.hubert.api.DaemonThreads;
import dev.hubert.api.VerboseLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hubert HTTP server, wire-compatible with hubert 0.5.0's {@code hubert server}: a client of
 * either implementation talks to a server of either. Built on Jetty (HTTP/1.1).
 *
 * <pre>{@code
 * try (HubertServer server = HubertServer.builder()
 *     .port(0)                                          // 0: any free port
 *     .storage(Storage.sqlite(Path.of("/var/lib/hubert")))
 *     .build()
 *     .start()) {
 *   KvStore store = ServerKv.create(server.baseUrl());
 *   ...
 * }
 * }</pre>
 *
 * <h2>Protocol (as the reference)</h2>
 *
 * <ul>
 *   <li>{@code GET /health} → 200 {@code {"server":"hubert","status":"ok","version":"0.5.0"}}
 *       (the protocol version this server speaks).
 *   <li>{@code POST /put}, body {@code ur:arid\nur:envelope[\nttl-seconds]} → 200 {@code OK}; 400
 *       {@code Invalid UTF-8}, {@code Expected at least 2 lines: ur:arid and ur:envelope}, {@code
 *       Invalid ur:arid}, {@code Invalid ur:envelope}, {@code Invalid TTL}; 409 {@code <ur:arid>
 *       already exists}.
 *   <li>{@code POST /get}, body {@code ur:arid} (trimmed) → 200 with the {@code ur:envelope}; 400
 *       {@code Invalid UTF-8}, {@code Expected ur:arid}, {@code Invalid ur:arid}; 404 {@code Not
 *       found}.
 *   <li>Texts are {@code text/plain; charset=utf-8}; other paths 404 (empty), wrong methods 405.
 *   <li>TTL: a requested TTL above the maximum is clamped to it, no TTL means the maximum; every
 *       entry expires. Expired entries are never returned and a sweeper deletes them.
 * </ul>
 *
 * <h2>Beyond the reference (deliberate)</h2>
 *
 * <ul>
 *   <li>The bind address is configurable (default {@code 127.0.0.1}, as the reference's only one).
 *   <li>Status codes tell the truth: 409 only for an ARID already taken; 413 for a body over the
 *       limit (default 2 MiB, as axum's default); 408 for a body that stalls past the idle
 *       timeout; 503 (with {@code Retry-After: 1}) when the storage is busy or locked; 500 for
 *       other storage faults. The reference answered 409 for every storage failure.
 *   <li>Concurrent puts at one ARID: exactly one wins (an atomic insert).
 *   <li>With SQLite storage an acknowledged put survives {@code kill -9} and power loss ({@code
 *       journal_mode=WAL}, {@code synchronous=FULL}); the file stores a key derived from the ARID,
 *       never the ARID (see {@link Storage#sqlite}).
 *   <li>An expired entry that is still stored counts as absent (the reference's memory storage
 *       refused puts over it).
 *   <li>ARIDs are never logged through SLF4J; they appear only in the verbose lines, as in the
 *       reference. The sweeper's line goes through verbose only (the reference printed it always)
 *       and gives the count: {@code Pruned <n> expired entry|entries} (the file holds no ARIDs to
 *       print).
 * </ul>
 *
 * <p>Threads: a request is handled on the I/O thread that read it (verbose mode, which prints:
 * on a worker thread). An SQLite put is answered by the storage's commit thread once the group
 * commit holding it is on disk, no thread waiting for it; in verbose mode that answer is printed
 * and sent from a worker thread, so a slow standard output never holds up the commits.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, ends the sweeper and closes the storage.
 */
public final class HubertServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HubertServer.class);

  /** The reference's default port. */
  public static final int DEFAULT_PORT = 45678;
  /** The reference's default (and maximum) TTL: 24 hours. */
  public static final Duration DEFAULT_MAX_TTL = Duration.ofSeconds(86_400);
  /** Default request body limit: 2 MiB, axum's default in the reference. */
  public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
  /** Response header of a 413 that gives the server's body limit in bytes (not in the reference). */
  public static final String BODY_LIMIT_HEADER = "X-Hubert-Body-Limit";

  private final String bindAddress;
  private final int requestedPort;
  private final long maxTtlSeconds;
  private final Storage storage;
  private final boolean verbose;
  private final int maxBodyBytes;
  private final Duration idleTimeout;
  private final Duration sweepInterval;
  private final int maxThreads;

  private final Object lock = new Object();
  private Server jetty;
  private int boundPort; // 0 until started
  private Store store;
  private ScheduledExecutorService sweeper;
  private boolean closed;

  private HubertServer(Builder b) {
    this.bindAddress = b.bindAddress;
    this.requestedPort = b.port;
    this.maxTtlSeconds = b.maxTtl.getSeconds();
    this.storage = b.storage;
    this.verbose = b.verbose;
    this.maxBodyBytes = b.maxBodyBytes;
    this.idleTimeout = b.idleTimeout;
    this.sweepInterval = b.sweepInterval;
    this.maxThreads = b.maxThreads;
  }

  /** A builder with the reference's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Opens the storage, binds the address and starts serving; prints the reference's line {@code ✓
   * Hubert server listening on <address>:<port>} to standard output.
   *
   * @return this server
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException if the storage cannot be opened or the address not bound
   */
  public HubertServer start() {
    synchronized (lock) {
      if (closed || jetty != null) {
        throw new IllegalStateException(closed ? "server is closed" : "server already started");
      }
      Store opened = storage.open();
      QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
      threads.setName("hubert-server");
      threads.setDaemon(true);
      Server server = new Server(threads);
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
      ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
      c.setHost(bindAddress);
      c.setPort(requestedPort);
      c.setIdleTimeout(idleTimeout.toMillis());
      c.setShutdownIdleTimeout(Math.min(250, idleTimeout.toMillis())); // close() drops idle keep-alives fast
      server.addConnector(c);
      server.setHandler(new ServerHandler(opened, maxTtlSeconds, maxBodyBytes, verbose));
      server.setStopTimeout(5_000);
      try {
        server.start();
      } catch (Exception e) {
        stopQuietly(server);
        opened.close();
        throw new UncheckedIOException(
            new IOException(
                "cannot start the Hubert server on " + bindAddress + ":" + requestedPort + ": " + e,
                e));
      }
      jetty = server;
      boundPort = c.getLocalPort();
      store = opened;
      sweeper =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("hubert-server-sweeper"));
      long every = sweepInterval.toMillis();
      sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
      System.out.println("✓ Hubert server listening on " + hostForUrl() + ":" + c.getLocalPort());
      LOG.info("listening on {}:{} with {}", bindAddress, c.getLocalPort(), opened.description());
      return this;
    }
  }

  private void sweep() {
    try {
      int n = store.sweep();
      if (n > 0) {
        LOG.debug("pruned {} expired entries", n);
        if (verbose) {
          VerboseLog.println("Pruned " + n + " expired " + (n == 1 ? "entry" : "entries"));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("pruning expired entries failed: {}", e.getMessage());
    }
  }

  /**
   * The bound port once started (useful with port 0), also after {@link #close()}; before {@link
   * #start()}, the configured port.
   */
  public int port() {
    synchronized (lock) {
      return boundPort != 0 ? boundPort : requestedPort;
    }
  }

  /** {@code http://<bind address>:<port>}, the base URL a {@link ServerKv} takes. */
  public String baseUrl() {
    return "http://" + hostForUrl() + ":" + port();
  }

  private String hostForUrl() {
    return bindAddress.indexOf(':') >= 0 && !bindAddress.startsWith("[")
        ? "[" + bindAddress + "]"
        : bindAddress;
  }

  /** The storage this server uses. */
  public Storage storage() {
    return storage;
  }

  /** Blocks until the server stops (for a {@code main}); returns at once if not started. */
  public void join() throws InterruptedException {
    Server s;
    synchronized (lock) {
      s = jetty;
    }
    if (s != null) {
      s.join();
    }
  }

  /** Stops serving, ends the sweeper and closes the storage. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (sweeper != null) {
        sweeper.shutdownNow();
      }
      if (jetty != null) {
        stopQuietly(jetty);
      }
      if (store != null) {
        store.close();
      }
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("stopping Jetty failed: {}", e.toString());
    }
  }

  /**
   * Starts a server until the process is stopped: {@code [--bind ADDRESS] [--port N] [--sqlite
   * PATH] [--max-ttl SECONDS] [--verbose]}. Prints the reference CLI's startup lines.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder b = builder();
    Path sqlite = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--verbose") || a.equals("-v")) {
        b.verbose(true);
        continue;
      }
      if (i + 1 >= args.length) {
        usage("missing value after " + a);
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--bind":
            b.bindAddress(v);
            break;
          case "--port":
            b.port(Integer.parseInt(v));
            break;
          case "--sqlite":
            sqlite = Path.of(v);
            break;
          case "--max-ttl":
            b.maxTtl(Duration.ofSeconds(Long.parseLong(v)));
            break;
          default:
            usage("unknown option " + a);
        }
      } catch (IllegalArgumentException e) {
        usage(a + ": " + e.getMessage());
      }
    }
    b.storage(sqlite == null ? Storage.memory() : Storage.sqlite(sqlite));
    HubertServer server = b.build();
    System.out.println(
        "Starting Hubert server on port " + server.requestedPort + " with " + server.storage);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "hubert-server-shutdown"));
    server.join();
  }

  private static void usage(String problem) {
    System.err.println("Error: " + problem);
    System.err.println(
        "usage: HubertServer [--bind ADDRESS] [--port N] [--sqlite PATH] [--max-ttl SECONDS]"
            + " [--verbose]");
    System.exit(2);
  }

  /**
   * Configures a {@link HubertServer}; every setter validates its argument at once, except that a
   * bind address that cannot be bound fails only at {@link HubertServer#start()}.
   */
  public static final class Builder {
    private String bindAddress = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private Duration maxTtl = DEFAULT_MAX_TTL;
    private Storage storage = Storage.memory();
    private boolean verbose;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration sweepInterval = Duration.ofSeconds(60);
    private int maxThreads = 200;

    private Builder() {}

    /**
     * The address to listen on; default {@code 127.0.0.1} (loopback only, as the reference). Only a
     * blank one is refused here; one that cannot be bound makes {@link HubertServer#start()} fail.
     */
    public Builder bindAddress(String address) {
      Objects.requireNonNull(address, "address");
      if (address.isBlank()) {
        throw new IllegalArgumentException("bind address must not be blank");
      }
      this.bindAddress = address;
      return this;
    }

    /** The TCP port, 0 for any free one; default 45678. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The longest TTL, in whole seconds; also the TTL of puts that give none. Default 24 hours.
     */
    public Builder maxTtl(Duration maxTtl) {
      Objects.requireNonNull(maxTtl, "maxTtl");
      if (maxTtl.isNegative() || maxTtl.getNano() != 0) {
        throw new IllegalArgumentException(
            "max TTL must be a non-negative whole number of seconds, got " + maxTtl);
      }
      this.maxTtl = maxTtl;
      return this;
    }

    /** Where envelopes are kept; default {@link Storage#memory()}. */
    public Builder storage(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /** Print the reference's per-request lines ({@code [ts] ip:port: PUT …}); default off. */
    public Builder verbose(boolean verbose) {
      this.verbose = verbose;
      return this;
    }

    /** Largest accepted request body; larger ones get 413. Default 2 MiB. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("body limit must be positive, got " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * How long a connection may stay silent (no request, or a stalled body) before it is closed;
     * default 30 seconds; at least 1 ms; over 100 years is cut to 100 years.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idle timeout");
      return this;
    }

    /**
     * How often expired entries are deleted; default 60 seconds, as the reference; at least 1 ms;
     * over 100 years is cut to 100 years.
     */
    public Builder sweepInterval(Duration sweepInterval) {
      this.sweepInterval = positive(sweepInterval, "sweep interval");
      return this;
    }

    /** Most request threads, at least 8; default 200. */
    public Builder maxThreads(int maxThreads) {
      if (maxThreads < 8) {
        throw new IllegalArgumentException("max threads must be at least 8, got " + maxThreads);
      }
      this.maxThreads = maxThreads;
      return this;
    }

    /** A server with this configuration, not yet started. */
    public HubertServer build() {
      return new HubertServer(this);
    }

    /** {@code d} if at least 1 ms; over 100 years is cut to 100 years (no overflow in ms). */
    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(what + " must be at least 1 ms, got " + d);
      }
      return Checks.capped(d);
    }
  }
}
