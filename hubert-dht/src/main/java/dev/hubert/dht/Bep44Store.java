package dev.hubert.dht;

import dev.hubert.dht.MldhtNode.Lookup;
import dev.hubert.dht.MldhtNode.PutReply;
import dev.hubert.dht.MldhtNode.PutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.KBucketEntry;
import lbms.plugins.mldht.kad.Key;

/**
 * Write-once BEP-44 on one node, at the level of raw values: a put that reads first and then
 * stores with {@code cas = 0} (create-if-absent on every storing node), and a get lookup. No
 * envelopes, no obfuscation: {@link MainlineDhtKv} adds those.
 */
final class Bep44Store {
  /**
   * Requests in flight at once in a get: the closest nodes usually all hold the value, and more
   * requests only compete with the first answer (measured on the testnet).
   */
  static final int GET_WIDTH = 3;

  /** The most of a put's time kept for the writes and the check of 301s (see {@link #putOnce}). */
  static final Duration MAX_WRITE_RESERVE = Duration.ofSeconds(5);

  private final MldhtNode node;
  private final byte[] salt;
  private final Duration bootstrapTimeout;

  Bep44Store(MldhtNode node, byte[] salt, Duration bootstrapTimeout) {
    this.node = node;
    this.salt = salt == null ? null : salt.clone();
    this.bootstrapTimeout = bootstrapTimeout;
  }

  /** What a write-once put did. */
  static final class PutResult {
    enum Outcome {
      /** At least one node stored the value (or already held exactly it). */
      STORED,
      /** The read before writing found a value: nothing was sent. */
      FOUND,
      /** A node refused with 301 and holds a different value. */
      CONFLICT,
      /**
       * A node refused with 301 (it holds some value) but did not answer when asked which one, and
       * none was seen holding another: this put may have lost a race. Not a success.
       */
      UNCONFIRMED,
      /** No node stored it: none reachable, or all refused. */
      FAILED
    }

    final Outcome outcome;
    /** Nodes that hold our value: stored it now, or answered 301 holding exactly it. */
    final int replicas;
    /** Nodes that answered 301 but could not be read back. */
    final int unconfirmed;
    /** The value found by the read, for FOUND. */
    final byte[] found;
    /** Every node's answer to the put, empty for FOUND. */
    final List<PutReply> replies;
    /** Nodes that answered the read lookup. */
    final int lookupResponses;
    /** Whether the deadline had passed before the write: nothing was sent (FAILED). */
    final boolean tooLate;

    PutResult(Outcome outcome, int replicas, byte[] found, List<PutReply> replies,
        int lookupResponses) {
      this(outcome, replicas, 0, found, replies, lookupResponses, false);
    }

    private PutResult(Outcome outcome, int replicas, int unconfirmed, byte[] found,
        List<PutReply> replies, int lookupResponses, boolean tooLate) {
      this.outcome = outcome;
      this.replicas = replicas;
      this.unconfirmed = unconfirmed;
      this.found = found;
      this.replies = List.copyOf(replies);
      this.lookupResponses = lookupResponses;
      this.tooLate = tooLate;
    }

    /** FAILED: the deadline passed before anything was sent. */
    static PutResult tooLate(int lookupResponses) {
      return new PutResult(Outcome.FAILED, 0, 0, null, List.of(), lookupResponses, true);
    }

    /** Nodes that did not answer the put: they may have stored the value all the same. */
    long unanswered() {
      return replies.stream().filter(r -> r.status == PutStatus.TIMEOUT).count();
    }

    /** Whether every node that answered refused with an error (none timed out). */
    boolean allRefused() {
      return !replies.isEmpty() && replies.stream().allMatch(r -> r.status == PutStatus.ERROR);
    }

    /** A short account of the replies, e.g. {@code "stored 7, 301 1, timeout 0, error 0"}. */
    String summary() {
      if (tooLate) {
        return "lookup answered by " + lookupResponses + " nodes; the deadline passed before the"
            + " put, so nothing was sent";
      }
      Map<PutStatus, Long> counts = replies.stream()
          .collect(Collectors.groupingBy(r -> r.status, Collectors.counting()));
      String errors = replies.stream()
          .filter(r -> r.status == PutStatus.ERROR)
          .map(r -> r.code + " '" + r.message + "'")
          .distinct()
          .collect(Collectors.joining(", "));
      return "lookup answered by " + lookupResponses + " nodes; put to " + replies.size()
          + " nodes: stored " + counts.getOrDefault(PutStatus.STORED, 0L)
          + ", already there " + counts.getOrDefault(PutStatus.CAS_MISMATCH, 0L)
          + ", no answer " + counts.getOrDefault(PutStatus.TIMEOUT, 0L)
          + ", refused " + counts.getOrDefault(PutStatus.ERROR, 0L)
          + (errors.isEmpty() ? "" : " (" + errors + ")")
          + (unconfirmed == 0 ? "" : "; " + unconfirmed + " of those already there did not say"
              + " what they hold");
    }
  }

  /**
   * Stores {@code item} unless something is already stored at its target.
   *
   * <ol>
   *   <li>Bootstraps first if the routing table is empty.
   *   <li>Reads, like hubert 0.5.0: a value found ends the put with FOUND.
   *   <li>Puts with {@code cas = 0} to the {@link MldhtNode#REPLICATION} closest nodes that gave
   *       a write token. A node that already holds an item answers 301.
   *   <li>Asks each 301 node what it holds: exactly our value counts as a replica (our value got
   *       there first, e.g. through a racing put of the same bytes, or the read missed it);
   *       anything else is a CONFLICT. A 301 node that does not answer that question leaves the
   *       outcome UNCONFIRMED (unless another is a CONFLICT): it may hold another writer's value,
   *       so the put must not count as stored.
   * </ol>
   *
   * <p>The read gets the time up to {@code deadline} minus a reserve for the writes (a quarter
   * of the time, at most {@link #MAX_WRITE_RESERVE}); if the deadline has passed when the read
   * ends, nothing is sent (FAILED, {@code tooLate}). {@code beforeWrite} runs once the
   * read found nothing, just before the first put is sent. Completes by {@code deadline} (plus
   * scheduling slack), never exceptionally except when the node is closed.
   */
  CompletableFuture<PutResult> putOnce(MutableItem item, Instant deadline, Runnable beforeWrite) {
    return putOnce(item.target(), CompletableFuture.completedFuture(item), deadline, beforeWrite);
  }

  /**
   * {@link #putOnce(MutableItem, Instant, Runnable)} for an item that is still being signed: the
   * read starts at once, the write waits for {@code item} (whose target must be {@code target}).
   * Fails like {@code item} if signing fails.
   */
  CompletableFuture<PutResult> putOnce(Key target, CompletableFuture<MutableItem> item,
      Instant deadline, Runnable beforeWrite) {
    Instant readDeadline = readDeadline(deadline);
    return ready(readDeadline)
        .thenCompose(n -> node.lookup(target, salt, readDeadline, true, MldhtNode.REPLICATION))
        .thenCompose(lookup -> {
          Optional<byte[]> found = lookup.value().map(v -> MutableItem.valueOf(v).orElse(new byte[0]));
          if (found.isPresent()) {
            return CompletableFuture.completedFuture(new PutResult(
                PutResult.Outcome.FOUND, 0, found.get(), List.of(), lookup.responses));
          }
          return item.thenCompose(
              signed -> write(signed, lookup.tokens, lookup.responses, deadline, beforeWrite));
        });
  }

  /** The end of a put's read: {@code deadline} minus a quarter of the time left, at most 5 s. */
  static Instant readDeadline(Instant deadline) {
    Duration reserve = Duration.between(Instant.now(), deadline).dividedBy(4);
    if (reserve.isNegative()) {
      return deadline;
    }
    return deadline.minus(reserve.compareTo(MAX_WRITE_RESERVE) < 0 ? reserve : MAX_WRITE_RESERVE);
  }

  /**
   * The write half of {@link #putOnce}: puts {@code item} with {@code cas = 0} to the closest
   * nodes of a lookup's token map and sorts out their answers. Sends nothing once {@code
   * deadline} has passed: every answer would come too late to count, yet nodes could store the
   * value.
   */
  CompletableFuture<PutResult> write(MutableItem item, Map<KBucketEntry, byte[]> tokens,
      int lookupResponses, Instant deadline) {
    return write(item, tokens, lookupResponses, deadline, () -> { });
  }

  private CompletableFuture<PutResult> write(MutableItem item, Map<KBucketEntry, byte[]> tokens,
      int lookupResponses, Instant deadline, Runnable beforeWrite) {
    if (!Instant.now().isBefore(deadline)) {
      return CompletableFuture.completedFuture(PutResult.tooLate(lookupResponses));
    }
    beforeWrite.run();
    List<Map.Entry<KBucketEntry, byte[]>> targets =
        MldhtNode.closest(tokens, item.target(), MldhtNode.REPLICATION);
    List<CompletableFuture<PutReply>> puts = node.putAll(targets, item.storageItem(), 0, deadline);
    return allOf(puts).thenCompose(replies ->
        checkCasReplies(item, replies, deadline, lookupResponses));
  }

  private CompletableFuture<PutResult> checkCasReplies(MutableItem item, List<PutReply> replies,
      Instant deadline, int lookupResponses) {
    long stored = replies.stream().filter(r -> r.status == PutStatus.STORED).count();
    List<CompletableFuture<Optional<StorageItem>>> holders = replies.stream()
        .filter(r -> r.status == PutStatus.CAS_MISMATCH)
        .map(r -> node.get(r.node, item.target(), salt, deadline))
        .collect(Collectors.toList());
    return allOf(holders).thenApply(held -> {
      long same = held.stream().filter(h -> h.isPresent() && item.sameValue(h.get())).count();
      long other = held.stream().filter(h -> h.isPresent() && !item.sameValue(h.get())).count();
      // lost UDP or the deadline: the node holds something, maybe another writer's value
      int unread = (int) held.stream().filter(Optional::isEmpty).count();
      int replicas = (int) (stored + same);
      PutResult.Outcome outcome = other > 0 ? PutResult.Outcome.CONFLICT
          : unread > 0 ? PutResult.Outcome.UNCONFIRMED
          : replicas > 0 ? PutResult.Outcome.STORED
          : PutResult.Outcome.FAILED;
      return new PutResult(outcome, replicas, unread, null, replies, lookupResponses, false);
    });
  }

  /**
   * One get lookup for the item of {@code publicKey} (and this store's salt), ending at the first
   * valid value, when the lookup ends, or at the deadline.
   */
  CompletableFuture<Lookup> lookup(byte[] publicKey, Instant deadline) {
    Key target = MutableItem.target(publicKey, salt);
    return ready(deadline).thenCompose(n -> node.lookup(target, salt, deadline, true, GET_WIDTH));
  }

  /**
   * {@link #lookup(byte[], Instant)} by the item's key pair, which checks values found signed with
   * it at a third of the cost ({@link MutableItem.Signer#valid}); the signer's salt must be this
   * store's. {@code found} runs on the I/O thread once a valid value is in, just before the
   * lookup ends with it.
   */
  CompletableFuture<Lookup> lookup(MutableItem.Signer key, Instant deadline, Runnable found) {
    Predicate<StorageItem> valid = item -> {
      if (!key.valid(item)) {
        return false;
      }
      found.run();
      return true;
    };
    return ready(deadline).thenCompose(
        n -> node.lookup(key.target(), salt, valid, deadline, true, GET_WIDTH));
  }

  /** Completes when the routing table has nodes, after a bootstrap attempt, or at the deadline. */
  private CompletableFuture<Integer> ready(Instant deadline) {
    int known = node.routingTableSize();
    if (known > 0) {
      return CompletableFuture.completedFuture(known);
    }
    Duration left = Duration.between(Instant.now(), deadline);
    Duration timeout = left.compareTo(bootstrapTimeout) < 0 ? left : bootstrapTimeout;
    return node.bootstrap(timeout.isNegative() ? Duration.ZERO : timeout, false);
  }

  private static <T> CompletableFuture<List<T>> allOf(List<CompletableFuture<T>> futures) {
    return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).collect(Collectors.toList()));
  }
}
