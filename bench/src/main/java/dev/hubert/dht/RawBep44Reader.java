package dev.hubert.dht;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark-only access to hubert-dht's BEP-44 get by public key, without the Hubert protocol
 * around it: no key derivation from an ARID, no polling, no de-obfuscation or envelope decoding.
 * It runs the same {@link Bep44Store#lookup} that {@link MainlineDhtKv#get} runs (first valid,
 * signature-checked value), on a DHT node of its own.
 *
 * <p>It lives in the benchmark module (never published) but in hubert-dht's package, so that it
 * can reach the package-private classes on the class path without widening hubert-dht's API.
 */
public final class RawBep44Reader implements AutoCloseable {
  private final MldhtNode node;
  private final Bep44Store store;
  private final Duration lookupTimeout;

  private RawBep44Reader(MldhtNode node, Bep44Store store, Duration lookupTimeout) {
    this.node = node;
    this.store = store;
    this.lookupTimeout = lookupTimeout;
  }

  /**
   * Starts a node with {@code config}'s address, port, bootstrap list, throttling and salt, and
   * waits (within {@code config.operationTimeout()}) until its bootstrap ends.
   *
   * @throws IllegalStateException if it reached no node
   */
  public static RawBep44Reader start(MainlineDhtKv.Config config) {
    MldhtNode node = MldhtNode.start(config.bindAddress().orElse(null), config.port(),
        config.bootstrap(), config.requestThrottling(), Duration.ofSeconds(10));
    int known = node.bootstrap(config.operationTimeout(), false).join();
    if (known == 0) {
      node.close();
      throw new IllegalStateException("raw reader " + node.address() + " reached no DHT node");
    }
    return new RawBep44Reader(node,
        new Bep44Store(node, config.salt().orElse(null), config.lookupTimeout()),
        config.lookupTimeout());
  }

  /**
   * One lookup for {@code publicKey}'s item: its raw {@code v} bytes (the bencoded byte string's
   * content) from the first valid answer, or empty if none came within the lookup timeout.
   */
  public CompletableFuture<Optional<byte[]>> get(byte[] publicKey) {
    return store.lookup(publicKey, Instant.now().plus(lookupTimeout))
        .thenApply(lookup -> lookup.value().flatMap(MutableItem::valueOf));
  }

  @Override
  public void close() {
    node.close();
  }
}
