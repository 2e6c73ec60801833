package dev.hubert.ipfs;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.BackendException;
import dev.hubert.api.Checks;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The IPFS store's logic on envelope bytes: what is added, published and resolved, in which order,
 * with which deadlines. Blocking RPC calls run on the given executor. {@link IpfsKv} adds argument
 * checks, the closed state and envelope coding.
 *
 * <p>Storage is hubert 0.5.0's: the obfuscated tagged envelope is added as content and an IPNS
 * record under the key named {@link AridDerivation#ipfsKeyName} points at {@code /ipfs/<cid>}. The
 * key pair is derived from the ARID ({@link AridDerivation#ipnsKeySeed}), so every party computes
 * the IPNS name and resolves it on its own node. Thread-safe.
 */
final class IpfsStore {
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  /** Shortest daemon-side wait of one resolve while polling, so a lookup can finish. */
  private static final Duration MIN_LOOKUP = Duration.ofSeconds(1);
  /** Longest IPNS lifetime sent (100 years): larger ones overflow js-ipfs's dates. */
  private static final long MAX_LIFETIME_SECONDS = 100L * 365 * 24 * 3600;

  private final KuboRpc rpc;
  private final long maxSize;
  private final boolean pin;
  private final Duration lookupTimeout;
  private final Duration contentTimeout;
  private final Function<Arid, String> aridText;
  private final Executor executor;
  /** Serializes puts of one ARID through this store, so at most one of them publishes. */
  private final ReentrantLock[] putLocks = new ReentrantLock[64];
  private volatile KuboRpc.Dialect dialect;

  IpfsStore(KuboRpc rpc, long maxSize, boolean pin, Duration lookupTimeout,
      Duration contentTimeout, Function<Arid, String> aridText, Executor executor) {
    this.rpc = rpc;
    this.maxSize = maxSize;
    this.pin = pin;
    this.lookupTimeout = lookupTimeout;
    this.contentTimeout = contentTimeout;
    this.aridText = aridText;
    this.executor = executor;
    for (int i = 0; i < putLocks.length; i++) {
      putLocks[i] = new ReentrantLock();
    }
  }

  /**
   * Stores {@code envelopeBytes} (tagged envelope CBOR) at {@code arid}, once. The write-once check
   * (a resolve of the derived name) comes before anything is written, so a refused put leaves
   * nothing behind; a resolve the daemon gives up on at the lookup timeout counts as "not
   * published", as for get and exists. If the executor refuses the work (the store was closed
   * meanwhile), the future fails with the executor's exception rather than the call throwing it.
   */
  CompletableFuture<Receipt> put(Arid arid, byte[] envelopeBytes, Duration ttl, boolean verbose) {
    try {
      return CompletableFuture.supplyAsync(() -> putNow(arid, envelopeBytes, ttl, verbose), executor);
    } catch (RuntimeException refused) {
      return CompletableFuture.failedFuture(refused);
    }
  }

  private Receipt putNow(Arid arid, byte[] envelopeBytes, Duration ttl, boolean verbose) {
    log(verbose, "Starting IPFS put operation");
    log(verbose, "Envelope size: " + envelopeBytes.length + " bytes");
    byte[] data = AridDerivation.obfuscate(arid, envelopeBytes);
    if (data.length > maxSize) {
      throw new ValueTooLargeException("obfuscated envelope", data.length, maxSize, "IPFS");
    }
    log(verbose, "Obfuscated envelope data");
    IpnsKey key = IpnsKey.of(arid);
    ReentrantLock lock = putLocks[Math.floorMod(key.keyName().hashCode(), putLocks.length)];
    lock.lock();
    try {
      KuboRpc.Dialect d = dialect();
      log(verbose, "Checking IPNS name " + key.ipnsName() + " (write-once check)");
      // a resolve the daemon gave up on counts as free (IpfsKv's Javadoc: write-once)
      CompletableFuture<Optional<String>> existing = rpc.resolveAsync(key.ipnsName(), lookupTimeout);
      // the import request (a PBKDF2 for js-ipfs) is made while the network is asked; it is sent
      // only if the check passes
      KuboRpc.KeyImport importForm = KuboRpc.importForm(key, d);
      if (KuboRpc.await("name/resolve", existing).isPresent()) {
        throw new AlreadyExistsException(arid, aridText.apply(arid));
      }
      log(verbose, "Getting or creating IPNS key");
      importKey(key, importForm);
      log(verbose, "Adding content to IPFS");
      if (pin) {
        log(verbose, "Pinning content");
      }
      String cid = rpc.add(data, pin);
      log(verbose, "Content CID: " + cid);
      log(verbose, "Publishing to IPNS");
      Duration kept = ttl == null || ttl.compareTo(IpfsKv.MAX_TTL) <= 0 ? ttl : IpfsKv.MAX_TTL;
      rpc.publish(cid, key.keyName(), lifetime(kept));
      if (ttl != null) {
        log(verbose, "Removing the IPNS key, so that the daemon does not republish past the TTL");
        removeKey(arid, key);
      }
      log(verbose, "IPFS put operation completed");
      return Receipt.of("ipns://" + key.ipnsName() + " -> ipfs://" + cid);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Polls the derived IPNS name every second ({@link Polling}) until it resolves or {@code timeout}
   * has passed, then fetches and de-obfuscates the content on the executor. No thread is held
   * while resolving or between polls. Cancelling the future stops the polling.
   *
   * @param timeout how long to poll; longer than 100 years counts as 100 years
   * @return the tagged envelope CBOR, or empty if nothing was published before the timeout
   */
  CompletableFuture<Optional<byte[]>> get(Arid arid, Duration timeout, boolean verbose) {
    Duration wait = Checks.capped(timeout);
    log(verbose, "Starting IPFS get operation");
    IpnsKey key = IpnsKey.of(arid);
    log(verbose, "Resolving IPNS name " + key.ipnsName() + " (polling)");
    long deadline = System.nanoTime() + wait.toNanos();
    CompletableFuture<Optional<String>> poll = Polling.poll(wait, POLL_INTERVAL,
        () -> {
          Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
          return rpc.resolveAsync(key.ipnsName(), clamp(remaining, MIN_LOOKUP, lookupTimeout));
        },
        verbose ? VerboseLog::dot : () -> { });
    // Polling.then: a cancel of the result reaches the poll
    return Polling.then(poll, found -> CompletableFuture.supplyAsync(() -> {
      if (verbose) {
        VerboseLog.newline();
      }
      if (found.isEmpty()) {
        log(verbose, "IPNS name not published");
        return Optional.empty();
      }
      return Optional.of(fetch(arid, key, cidOf(found.get()), verbose));
    }, executor));
  }

  private byte[] fetch(Arid arid, IpnsKey key, String cid, boolean verbose) {
    log(verbose, "Resolved to CID: " + cid);
    log(verbose, "Fetching content from IPFS");
    byte[] data = rpc.cat(cid, maxSize, contentTimeout);
    if (data.length > maxSize) {
      throw new CorruptValueException("the IPFS object " + cid + " at " + key.ipnsName()
          + " is larger than " + maxSize + " bytes, so it is not a hubert value", null);
    }
    byte[] envelopeBytes = AridDerivation.obfuscate(arid, data);
    log(verbose, "Deobfuscated envelope data");
    return envelopeBytes;
  }

  /** One resolve of the derived IPNS name: true if it points somewhere. */
  CompletableFuture<Boolean> exists(Arid arid) {
    return rpc.resolveAsync(IpnsKey.of(arid).ipnsName(), lookupTimeout).thenApply(Optional::isPresent);
  }

  /**
   * Imports the derived key under its name. If the name is taken, the existing key must be the
   * derived one (an earlier put, or another store on the same daemon); a different key under that
   * name (hubert 0.5.0 makes random ones) is an error, as publishing with it would put the record
   * where no reader looks.
   */
  private void importKey(IpnsKey key, KuboRpc.KeyImport form) {
    String id;
    try {
      id = rpc.keyImport(form);
    } catch (BackendException importFailed) {
      id = rpc.keyList().get(key.keyName());
      if (id == null) {
        throw importFailed;
      }
      if (!key.matches(id)) {
        throw new BackendException("the IPFS keystore already holds a key named " + key.keyName()
            + " with id " + id + ", not the ARID-derived " + key.ipnsName() + " (hubert 0.5.0 "
            + "creates random keys under this name); remove it with 'ipfs key rm " + key.keyName()
            + "' to store here");
      }
      return;
    }
    if (!key.matches(id)) {
      throw new BackendException("the IPFS daemon imported key " + key.keyName() + " as " + id
          + ", expected " + key.ipnsName());
    }
  }

  /**
   * Removes the key after a put with a TTL. Kubo's republisher re-signs the record of every
   * keystore key every 4 h, extending its lifetime (even an expired one); without the key it
   * cannot. Resolving does not need the key, and a later put imports it again.
   */
  private void removeKey(Arid arid, IpnsKey key) {
    try {
      rpc.keyRm(key.keyName());
    } catch (BackendException e) {
      throw new BackendException("the value at " + aridText.apply(arid) + " is published, but "
          + "removing its IPNS key failed (" + e.getMessage() + "), so Kubo would republish it "
          + "past its TTL; remove it with 'ipfs key rm " + key.keyName() + "'", e);
    }
  }

  /** The daemon's dialect, asked once per store. */
  private KuboRpc.Dialect dialect() {
    KuboRpc.Dialect d = dialect;
    if (d == null) {
      d = rpc.dialect();
      dialect = d;
    }
    return d;
  }

  /**
   * The IPNS lifetime for a TTL, in the units both Kubo (Go durations) and js-ipfs parse: whole
   * hours, minutes or seconds, whichever is exact; at least {@code 1s} (Kubo rejects zero). Empty
   * for no TTL (the daemon's default). hubert 0.5.0 sends {@code <n>d} from one day on, which Kubo
   * rejects.
   */
  static Optional<String> lifetime(Duration ttl) {
    if (ttl == null) {
      return Optional.empty();
    }
    long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
    seconds = Math.min(Math.max(seconds, 1), MAX_LIFETIME_SECONDS);
    if (seconds % 3600 == 0) {
      return Optional.of(seconds / 3600 + "h");
    }
    if (seconds % 60 == 0) {
      return Optional.of(seconds / 60 + "m");
    }
    return Optional.of(seconds + "s");
  }

  private static String cidOf(String path) {
    if (!path.startsWith("/ipfs/") || path.length() == "/ipfs/".length()) {
      throw new BackendException("Unexpected IPNS path format: " + path);
    }
    return path.substring("/ipfs/".length());
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  private static void log(boolean verbose, String message) {
    if (verbose) {
      VerboseLog.println(message);
    }
  }
}
