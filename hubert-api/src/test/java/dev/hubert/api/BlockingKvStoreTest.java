package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BlockingKvStoreTest {
  /** A store whose every future is the one given. */
  private static KvStore storeCompletingWith(CompletableFuture<?> future) {
    return new KvStore() {
      @SuppressWarnings("unchecked")
      @Override
      public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
        return (CompletableFuture<Receipt>) future;
      }

      @SuppressWarnings("unchecked")
      @Override
      public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
        return (CompletableFuture<Optional<Envelope>>) future;
      }

      @SuppressWarnings("unchecked")
      @Override
      public CompletableFuture<Boolean> exists(Arid arid) {
        return (CompletableFuture<Boolean>) future;
      }
    };
  }

  @Test
  void returnsTheFuturesValue() {
    Receipt receipt = Receipt.withReplicas("dht://ab", 8);
    assertSame(receipt, storeCompletingWith(CompletableFuture.completedFuture(receipt))
        .blocking().put(Arid.random(), null));
    assertTrue(storeCompletingWith(CompletableFuture.completedFuture(true)).blocking().exists(Arid.random()));
  }

  @Test
  void throwsTheHubertExceptionItselfNotAWrapper() {
    AlreadyExistsException taken = new AlreadyExistsException(Arid.random(), "ur:arid/x");
    BlockingKvStore blocking = storeCompletingWith(CompletableFuture.failedFuture(taken)).blocking();
    assertSame(taken, assertThrows(AlreadyExistsException.class, () -> blocking.put(Arid.random(), null)));
  }

  @Test
  void anotherExceptionBecomesABackendExceptionAroundIt() {
    IllegalStateException bug = new IllegalStateException("bug");
    BlockingKvStore blocking = storeCompletingWith(CompletableFuture.failedFuture(bug)).blocking();
    BackendException e = assertThrows(BackendException.class, () -> blocking.exists(Arid.random()));
    assertSame(bug, e.getCause());
    AssertionError error = new AssertionError("error");
    assertSame(error, assertThrows(AssertionError.class,
        () -> storeCompletingWith(CompletableFuture.failedFuture(error)).blocking()
            .exists(Arid.random())));
  }

  @Test
  void interruptionKeepsTheFlagAndSaysSo() {
    BlockingKvStore blocking = storeCompletingWith(new CompletableFuture<>()).blocking();
    Thread.currentThread().interrupt();
    try {
      BackendUnavailableException e =
          assertThrows(BackendUnavailableException.class, () -> blocking.exists(Arid.random()));
      assertTrue(Thread.currentThread().isInterrupted());
      assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void receiptReportsReplicasOnlyWhenKnown() {
    assertTrue(Receipt.of("Stored in memory").replicas().isEmpty());
    assertEquals(8, Receipt.withReplicas("dht://ab", 8).replicas().getAsInt());
    assertEquals("dht://ab", Receipt.withReplicas("dht://ab", 8).toString());
    assertThrows(IllegalArgumentException.class, () -> Receipt.withReplicas("x", -1));
  }

  @Test
  void compositeReceiptKeepsItsComponentsInOrder() {
    Receipt ipfs = Receipt.of("ipns://k -> ipfs://Qm");
    Receipt dht = Receipt.withReplicas("dht://ab", 8);
    Receipt hybrid = Receipt.composite("Stored in IPFS (ref: r) via DHT at ARID: a", java.util.List.of(ipfs, dht));
    assertEquals(java.util.List.of(ipfs, dht), hybrid.components());
    assertTrue(hybrid.replicas().isEmpty());
    assertTrue(Receipt.of("x").components().isEmpty());
    assertEquals(hybrid, Receipt.composite(hybrid.text(), java.util.List.of(ipfs, dht)));
  }
}
