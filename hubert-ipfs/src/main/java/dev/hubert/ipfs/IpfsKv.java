package dev.hubert.ipfs;

import dev.hubert.api.Checks;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.DaemonThreads;
import dev.hubert.api.HubertException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.DecodeException;
import dev.hubert.envelope.Envelope;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link KvStore} on IPFS: envelopes of up to 10 MiB, stored through the HTTP RPC API of a
 * local Kubo daemon (js-ipfs 0.66 works too), and found through IPNS.
 *
 * <p><b>Storage</b> is hubert 0.5.0's: the tagged envelope CBOR, obfuscated with the ARID ({@link
 * AridDerivation#obfuscate}), is added as an IPFS object, and an IPNS record in the daemon's
 * keystore key named {@link AridDerivation#ipfsKeyName} points at {@code /ipfs/<cid>}. The receipt
 * is {@code ipns://<name> -> ipfs://<cid>}.
 *
 * <p><b>Beyond the reference:</b> the IPNS key pair is derived from the ARID ({@link
 * AridDerivation#ipnsKeySeed}, constant {@code "hubert-ipfs-ipns-key-v1"}) and imported into the
 * daemon, so any party holding the ARID computes the IPNS name (the base58btc peer id {@code
 * 12D3KooW…} of the derived public key) and resolves it on its own IPFS node. hubert 0.5.0 lets the
 * daemon generate a random key, so only the writer's node can read; values written by hubert 0.5.0
 * are therefore not found by this store, and a random key it left under the derived name makes a
 * put here fail with instructions.
 *
 * <p>Also unlike the reference: the RPC URL is honoured; {@code get} polls every second until the
 * name resolves or the timeout passes (the reference gives up at the first "not found");
 * write-once is checked by resolving the name <em>before</em> anything is imported, added or
 * published, so a refused put leaves nothing behind; the TTL becomes the IPNS lifetime in hours,
 * minutes or seconds (the reference's {@code <n>d} is rejected by Kubo), at most 36 h, and after
 * such a put the key is removed so that Kubo's republisher cannot extend it (see {@link #put});
 * the content is pinned only
 * with {@link Builder#pinContent} (Kubo pins every add by default). Expired records are not found
 * (rule 3.5).
 *
 * <p><b>Write-once</b> (rule 2.2): puts of one ARID through one {@code IpfsKv} are serialized, so
 * at most one succeeds. Puts through different daemons or stores can race: IPNS has no
 * create-if-absent, and the record with the higher sequence number wins. A write-once check that
 * the daemon gives up on at {@link Builder#lookupTimeout} ({@code context deadline exceeded})
 * counts as "not published", as for get and exists: on Kubo with the public DHT, resolving a name
 * nobody published commonly runs until the timeout. So a put whose lookup of an existing but
 * unreachable record times out publishes over it (readers on that network would not have found
 * that value either).
 *
 * <p>Every RPC call has a deadline; a daemon that cannot be reached or does not answer in time gives
 * {@link BackendUnavailableException}, a daemon error gives {@link BackendException} carrying the
 * daemon's message; a get whose name resolves but whose content the daemon cannot fetch within
 * {@link Builder#requestTimeout} gives {@link dev.hubert.api.ContentNotFoundException}.
 * Thread-safe; {@link #close()} stops its threads.
 *
 * <p>Futures complete on the HTTP client's threads or on the store's own (daemon threads named
 * {@code hubert-ipfs-…}, reused, more started while dependent stages block): a call that runs out
 * of time fails there, never on the thread that keeps the deadlines; calls in flight when the
 * store is closed fail on the closing thread, except a put or a fetch of found content, which
 * fails on the store thread that runs it.
 *
 * <pre>{@code
 * try (IpfsKv store = IpfsKv.builder().rpcUrl("http://127.0.0.1:5001").build()) {
 *   store.blocking().put(arid, envelope);
 * }
 * }</pre>
 */
public final class IpfsKv implements KvStore {
  /** The reference's size limit: 10 MiB of obfuscated envelope. */
  public static final long DEFAULT_MAX_ENVELOPE_SIZE = 10L * 1024 * 1024;
  /** Kubo's default RPC address. */
  public static final URI DEFAULT_RPC_URL = URI.create("http://127.0.0.1:5001");
  /**
   * The longest TTL: a longer one is clamped to it (rule 2.4). The key is removed after a TTL put,
   * so nothing republishes the record, and DHT peers drop stored records after 36 h
   * (go-libp2p-kad-dht's MaxRecordAge) whatever their lifetime.
   */
  public static final Duration MAX_TTL = Duration.ofHours(36);

  private final IpfsStore store;
  private final KuboRpc rpc;
  /** Runs puts, fetches and the failing of calls that ran out of time. */
  private final ExecutorService pool;
  /** The pool's threads: hubert-ipfs-1, -2, … */
  private final DaemonThreads threads = DaemonThreads.numbered("hubert-ipfs-");
  private final Duration resolveTimeout;
  private volatile boolean closed;

  private IpfsKv(Builder b) {
    this.pool = Executors.newCachedThreadPool(threads);
    Executor executor = command -> {
      try {
        pool.execute(command);
      } catch (RejectedExecutionException e) {
        throw closedError();
      }
    };
    this.resolveTimeout = b.resolveTimeout;
    this.rpc = new KuboRpc(b.rpcUrl, b.connectTimeout, b.requestTimeout, executor);
    this.store = new IpfsStore(rpc, b.maxEnvelopeSize, b.pinContent, b.lookupTimeout,
        b.requestTimeout, Arid::urString, executor);
  }

  /**
   * A builder with the defaults: {@link #DEFAULT_RPC_URL}, 10 MiB, no pinning, 30 s timeouts (5 s
   * to connect).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The TTL becomes the IPNS record's lifetime, rounded up to whole seconds (at least one) and
   * clamped to 36 h (rule 2.4), and the key is removed from the daemon's keystore after
   * publishing: Kubo republishes the record of every keystore key every 4 h, extending its
   * lifetime, and without republishing DHT peers drop a record after 36 h whatever its lifetime.
   * With {@code null} the key stays and the daemon's default lifetime applies: 24 h on js-ipfs
   * (republished only when its daemon runs with a keychain password, {@code --pass}); on Kubo (48 h
   * from 0.24) the republisher renews it for as long as the writer's node runs. If removing the
   * key fails, the put fails with a {@link BackendException} that says the value is published and
   * how to remove the key by hand; a retry then completes with {@link
   * dev.hubert.api.AlreadyExistsException}.
   */
  @Override
  public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
    Checks.put(arid, envelope, ttl);
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    return hubertOnly(store.put(arid, envelope.toCborData(), ttl, verbose));
  }

  @Override
  public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
    Checks.get(arid, timeout);
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    Duration t = timeout == null ? resolveTimeout : timeout;
    // cancelling the result cancels, through Polling.then, the polling in store.get
    return hubertOnly(Polling.then(store.get(arid, t, verbose),
        found -> CompletableFuture.completedFuture(found.map(bytes -> {
          Envelope envelope = decode(arid, bytes);
          if (verbose) {
            VerboseLog.println("IPFS get operation completed");
          }
          return envelope;
        }))));
  }

  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    Objects.requireNonNull(arid, "arid");
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    return hubertOnly(store.exists(arid));
  }

  /** The get timeout used for {@code null}: {@link Builder#resolveTimeout}, 30 s by default. */
  @Override
  public Duration defaultTimeout() {
    return resolveTimeout;
  }

  /**
   * Stops the store's threads; operations in flight fail with {@link BackendUnavailableException}.
   * Waits (at most 3 s) for the threads to end: a caller's stage still running on one finishes
   * first. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    rpc.close(); // the deadlines' thread ends; calls in flight fail
    pool.shutdownNow(); // puts waiting on the daemon are interrupted
    // no wait when closed from a caller's stage: its own thread cannot end yet
    threads.awaitTermination(pool, Duration.ofSeconds(2));
  }

  private static Envelope decode(Arid arid, byte[] bytes) {
    try {
      return Envelope.fromCborData(bytes);
    } catch (DecodeException e) {
      throw new CorruptValueException("the IPFS value at " + arid.urString() + " is not an "
          + "envelope once de-obfuscated (" + e.getMessage() + "); it was not written by hubert "
          + "0.4 or later with this ARID", e);
    }
  }

  private static BackendUnavailableException closedError() {
    return new BackendUnavailableException("this IpfsKv is closed; build a new one");
  }

  /**
   * The same outcome, with every failure a {@link HubertException} (rule: one family); cancelling
   * it cancels {@code future}.
   */
  private static <T> CompletableFuture<T> hubertOnly(CompletableFuture<T> future) {
    CompletableFuture<T> out = new CompletableFuture<>();
    out.whenComplete((v, e) -> future.cancel(false));
    future.whenComplete((value, error) -> {
      if (error == null) {
        out.complete(value);
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      out.completeExceptionally(cause instanceof HubertException ? cause
          : new BackendException("IPFS store failed unexpectedly: " + cause, cause));
    });
    return out;
  }

  /** Settings of an {@link IpfsKv}. Not thread-safe; {@link #build()} may be called repeatedly. */
  public static final class Builder {
    private URI rpcUrl = DEFAULT_RPC_URL;
    private long maxEnvelopeSize = DEFAULT_MAX_ENVELOPE_SIZE;
    private boolean pinContent;
    private Duration resolveTimeout = DEFAULT_TIMEOUT;
    private Duration lookupTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The daemon's RPC address (default {@code http://127.0.0.1:5001}); {@code /api/v0/} is
     * appended.
     *
     * @throws IllegalArgumentException if it is not an absolute {@code http} or {@code https} URL
     *     with a host, or has a query or fragment
     */
    public Builder rpcUrl(URI url) {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null
          || url.getRawQuery() != null || url.getRawFragment() != null) {
        throw new IllegalArgumentException("the IPFS RPC URL must look like http://127.0.0.1:5001,"
            + " got " + url);
      }
      this.rpcUrl = url;
      return this;
    }

    /** Same as {@link #rpcUrl(URI)} with a string. */
    public Builder rpcUrl(String url) {
      Objects.requireNonNull(url, "url");
      try {
        return rpcUrl(URI.create(url));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the IPFS RPC URL must look like "
            + "http://127.0.0.1:5001, got " + url, e);
      }
    }

    /** Largest obfuscated envelope accepted, in bytes (default 10 MiB). */
    public Builder maxEnvelopeSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxEnvelopeSize must be positive, got " + bytes);
      }
      this.maxEnvelopeSize = bytes;
      return this;
    }

    /** Pin added content on the daemon (default false: the content is added unpinned). */
    public Builder pinContent(boolean pin) {
      this.pinContent = pin;
      return this;
    }

    /**
     * How long {@code get} polls when given no timeout (default 30 s, as in the reference). A get's
     * timeout over 100 years counts as 100 years.
     */
    public Builder resolveTimeout(Duration timeout) {
      this.resolveTimeout = Checks.positive(timeout, "resolveTimeout");
      return this;
    }

    /**
     * Longest wait for one IPNS resolve: {@code exists}, the write-once check and each poll of
     * {@code get} (default 30 s). The daemon is told the same deadline. This and the other RPC
     * timeouts below count as 2^31-1 ms (24.8 days) if longer: js-ipfs's timers fire at once beyond.
     */
    public Builder lookupTimeout(Duration timeout) {
      this.lookupTimeout = Checks.positive(timeout, "lookupTimeout");
      return this;
    }

    /**
     * Longest wait for any other RPC call, including fetching found content (default 30 s).
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Checks.positive(timeout, "requestTimeout");
      return this;
    }

    /** Longest wait for a TCP connection to the daemon (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Checks.positive(timeout, "connectTimeout");
      return this;
    }

    /** A builder with the same settings. */
    Builder copy() {
      Builder c = new Builder();
      c.rpcUrl = rpcUrl;
      c.maxEnvelopeSize = maxEnvelopeSize;
      c.pinContent = pinContent;
      c.resolveTimeout = resolveTimeout;
      c.lookupTimeout = lookupTimeout;
      c.requestTimeout = requestTimeout;
      c.connectTimeout = connectTimeout;
      return c;
    }

    /** A new store with these settings. Does not contact the daemon. */
    public IpfsKv build() {
      return new IpfsKv(this);
    }
  }
}
