package dev.hubert.cli;

import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A hybrid store that also closes the DHT and IPFS stores beneath it. */
final class HybridStore implements KvStore {
  private final HybridBackend backend;

  HybridStore(HybridBackend backend) {
    this.backend = backend;
  }

  @Override
  public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
    return backend.store().put(arid, envelope, ttl, verbose);
  }

  @Override
  public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
    return backend.store().get(arid, timeout, verbose);
  }

  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    return backend.store().exists(arid);
  }

  @Override
  public Duration defaultTimeout() {
    return backend.store().defaultTimeout();
  }

  @Override
  public void close() {
    try {
      backend.store().close();
    } finally {
      try {
        backend.dht().close();
      } finally {
        backend.ipfs().close();
      }
    }
  }
}
