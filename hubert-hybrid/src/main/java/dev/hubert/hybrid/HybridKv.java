package dev.hubert.hybrid;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.Checks;
import dev.hubert.api.ContentNotFoundException;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.VerboseLog;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.ipfs.IpfsKv;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Small envelopes in the DHT, large ones in IPFS behind a reference envelope in the DHT, as hubert
 * 0.5.0's {@code HybridKv}.
 *
 * <p>An envelope whose tagged CBOR fits the DHT ({@link Builder#dhtLimit}: by default {@link
 * #DEFAULT_DHT_LIMIT} bytes, or the DHT store's {@linkplain MainlineDhtKv.Config#maxValueSize()
 * largest value} if smaller) is put in the
 * DHT at the caller's ARID. A larger one is put in IPFS under a fresh random reference ARID, and
 * the reference envelope {@code '' [ 'dereferenceVia': "ipfs", 'id': <reference ARID>, "size": n ]}
 * is put in the DHT at the caller's ARID. Receipts have the reference's texts; the receipts of the
 * underlying puts (with the IPFS CID) are its {@link Receipt#components()}. {@link #get} dereferences; {@link #exists} asks the DHT
 * only, so a reference counts as existing even if its IPFS content is gone.
 *
 * <p>Differences from the reference, on purpose:
 * <ul>
 *   <li>The threshold is 996 bytes, not 1000: mldht, libtorrent and bittorrent-dht nodes refuse a
 *       bencoded {@code v} over 1000 bytes, i.e. more than 996 raw bytes, so a 997–1000-byte
 *       envelope would be refused by the network the reference sends it to.
 *   <li>Before uploading a large envelope, the caller's ARID is checked to be free, so a put that
 *       would be refused leaves no orphan content in IPFS. (Two writers racing on one ARID can
 *       still both upload; the DHT's create-if-absent lets only one reference in.)
 *   <li>The TTL is ignored, as the DHT ignores it (rule 2.4: this store has no expiry): a value
 *       lives as long as DHT nodes keep its item, about 2 h. The reference passes the TTL on to
 *       IPFS, so once it has passed, a large value's reference is still found but its content is
 *       not, and {@code get} fails. Here a large envelope put with a TTL gets the longest IPNS
 *       lifetime, 36 h, so that its content outlives its reference; the IPNS key is still removed
 *       after the put, as {@link IpfsKv} does for every TTL.
 *   <li>Once a reference is found, its content is waited for until the caller's deadline, but at
 *       least {@linkplain Builder#contentGrace the content grace} (10 s by default) instead of a
 *       second full timeout; content still missing then fails with {@link
 *       ContentNotFoundException} rather than a bare error.
 * </ul>
 *
 * <p>A user envelope that itself has the reference's shape (an {@code ''} subject with {@code
 * 'dereferenceVia': "ipfs"} and {@code 'id'} assertions) is read as a reference, exactly as the
 * reference implementation does; do not store such envelopes directly.
 */
public final class HybridKv implements KvStore {
  /** The largest tagged envelope that goes to the DHT directly by default, in bytes. */
  public static final int DEFAULT_DHT_LIMIT = 996;
  /** The largest reference envelope: the DHT must take at least this much. */
  private static final int REFERENCE_SIZE = 74;

  private final KvStore dht;
  private final KvStore ipfs;
  private final int dhtLimit;
  private final Duration contentGrace;
  private volatile boolean closed;

  private HybridKv(Builder b) {
    this.dht = b.dht;
    this.ipfs = b.ipfs;
    this.dhtLimit = b.dhtLimit;
    this.contentGrace = b.contentGrace;
  }

  /**
   * A builder of a hybrid store over the given DHT store (small envelopes, references) and IPFS
   * store (large envelopes). The hybrid store owns neither: {@link #close()} leaves them open.
   *
   * @throws IllegalArgumentException if the DHT store's {@link MainlineDhtKv.Config#maxValueSize()}
   *     is below 74 bytes (a reference envelope must fit)
   */
  public static Builder builder(MainlineDhtKv dht, IpfsKv ipfs) {
    return new Builder(dht, dht.configuration().maxValueSize(), ipfs);
  }

  /** For tests: any two stores in the roles of the DHT (taking up to 996 bytes) and IPFS. */
  static Builder builderOver(KvStore dht, KvStore ipfs) {
    return builderOver(dht, MainlineDhtKv.MAX_VALUE_SIZE, ipfs);
  }

  /** For tests: as {@link #builderOver(KvStore, KvStore)}, the DHT taking up to {@code dhtMax} bytes. */
  static Builder builderOver(KvStore dht, int dhtMax, KvStore ipfs) {
    return new Builder(dht, dhtMax, ipfs);
  }

  @Override
  public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
    Checks.put(arid, envelope, ttl);
    if (closed) {
      return closedFuture();
    }
    int size = envelope.toCborData().length;
    if (size <= dhtLimit) {
      log(verbose, "Storing envelope in DHT (size ≤ " + dhtLimit + " bytes)");
      return Polling.then(dht.put(arid, envelope, ttl, verbose), r -> completedFuture(
          Receipt.composite("Stored in DHT at ARID: " + arid.urString(), List.of(r))));
    }
    log(verbose, "Envelope too large for DHT, using IPFS indirection");
    log(verbose, "Checking that the ARID is free before uploading to IPFS");
    // Polling.then, not thenCompose: failures stay the HubertException itself, unwrapped
    return Polling.then(dht.exists(arid), taken -> {
      if (taken) {
        throw new AlreadyExistsException(arid, arid.urString());
      }
      Arid reference = Arid.random();
      log(verbose, "Storing actual envelope in IPFS with reference ARID: " + reference.urString());
      return Polling.then(ipfs.put(reference, envelope, contentTtl(ttl), verbose), ipfsReceipt -> {
        log(verbose, "Storing reference envelope in DHT at original ARID");
        return Polling.then(dht.put(arid, ReferenceEnvelope.create(reference, size), ttl, verbose),
            dhtReceipt -> completedFuture(Receipt.composite(
                "Stored in IPFS (ref: " + reference.urString() + ") via DHT at ARID: " + arid.urString(),
                List.of(ipfsReceipt, dhtReceipt))));
      });
    });
  }

  /**
   * A TTL for the IPFS part: none stays none, any other is IPFS's longest ({@link IpfsKv#MAX_TTL}),
   * so that the content outlives its reference, which DHT nodes keep about 2 h whatever the TTL.
   */
  private static Duration contentTtl(Duration ttl) {
    return ttl == null ? null : IpfsKv.MAX_TTL;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A timeout over 100 years counts as 100 years.
   */
  @Override
  public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
    Checks.get(arid, timeout);
    if (closed) {
      return closedFuture();
    }
    Duration wait = Checks.capped(timeout == null ? defaultTimeout() : timeout);
    long deadline = System.nanoTime() + wait.toNanos();
    // Polling.then: failures unwrapped, and a cancel reaches the DHT's or IPFS's polling
    return Polling.then(dht.get(arid, wait, verbose), found -> {
      if (found.isEmpty()) {
        return completedFuture(found);
      }
      Envelope e = found.get();
      if (!ReferenceEnvelope.isReference(e)) {
        log(verbose, "Envelope is not a reference, treating as direct payload");
        return completedFuture(found);
      }
      log(verbose, "Found reference envelope, fetching actual envelope from IPFS");
      Arid reference;
      try {
        reference = ReferenceEnvelope.target(e);
      } catch (IllegalArgumentException ex) {
        throw new CorruptValueException(ex.getMessage() + " at " + arid.urString(), ex);
      }
      log(verbose, "Reference ARID: " + reference.urString());
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      Duration contentWait = left.compareTo(contentGrace) > 0 ? left : contentGrace;
      return Polling.then(ipfs.get(reference, contentWait, verbose), content -> {
        if (content.isEmpty()) {
          throw new ContentNotFoundException("Referenced IPFS content not found: the reference at "
              + arid.urString() + " points to " + reference.urString() + ", which IPFS did not return within "
              + contentWait.toSeconds() + " s; the writer's IPFS node may be offline or the content unpinned");
        }
        log(verbose, "Successfully retrieved actual envelope from IPFS");
        return completedFuture(content);
      });
    });
  }

  /** Asks the DHT only: a reference counts as existing even if its IPFS content is gone. */
  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    Objects.requireNonNull(arid, "arid");
    return closed ? closedFuture() : dht.exists(arid);
  }

  @Override
  public Duration defaultTimeout() {
    return dht.defaultTimeout();
  }

  /**
   * Closes this store: later calls fail with {@link BackendUnavailableException}. The DHT and
   * IPFS stores it was given stay open; their owner closes them.
   */
  @Override
  public void close() {
    closed = true;
  }

  private static <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(new BackendUnavailableException(
        "this HybridKv is closed: create a new one over open DHT and IPFS stores"));
  }

  private static void log(boolean verbose, String message) {
    if (verbose) {
      VerboseLog.println(message);
    }
  }

  /** Configures a {@link HybridKv}. */
  public static final class Builder {
    private final KvStore dht;
    private final KvStore ipfs;
    private final int dhtMax;
    private int dhtLimit;
    private Duration contentGrace = Duration.ofSeconds(10);

    private Builder(KvStore dht, int dhtMax, KvStore ipfs) {
      this.dht = Objects.requireNonNull(dht, "dht");
      this.ipfs = Objects.requireNonNull(ipfs, "ipfs");
      if (dhtMax < REFERENCE_SIZE) {
        throw new IllegalArgumentException("the DHT store takes values of at most " + dhtMax
            + " bytes; a hybrid store needs " + REFERENCE_SIZE + " (the largest reference envelope)");
      }
      this.dhtMax = dhtMax;
      this.dhtLimit = Math.min(DEFAULT_DHT_LIMIT, dhtMax);
    }

    /**
     * The largest tagged envelope, in bytes, put in the DHT directly (default 996, or the DHT
     * store's largest value if smaller).
     *
     * @throws IllegalArgumentException if {@code bytes} is below 74 (a reference envelope must fit)
     *     or above the DHT store's {@link MainlineDhtKv.Config#maxValueSize()} (such envelopes
     *     would be refused instead of going to IPFS)
     */
    public Builder dhtLimit(int bytes) {
      if (bytes < REFERENCE_SIZE) {
        throw new IllegalArgumentException("dhtLimit must be at least " + REFERENCE_SIZE
            + " bytes (the largest reference envelope), got " + bytes);
      }
      if (bytes > dhtMax) {
        throw new IllegalArgumentException("dhtLimit " + bytes + " is more than the DHT store "
            + "takes (its maxValueSize, " + dhtMax + " bytes): such envelopes would be refused "
            + "instead of going to IPFS; use at most " + dhtMax);
      }
      this.dhtLimit = bytes;
      return this;
    }

    /**
     * The least time {@link HybridKv#get} waits for the content once it found a reference, even if
     * the caller's timeout is nearly spent (default 10 s).
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder contentGrace(Duration grace) {
      this.contentGrace = Checks.nonNegative(grace, "contentGrace");
      return this;
    }

    /** Returns the store. */
    public HybridKv build() {
      return new HybridKv(this);
    }
  }
}
