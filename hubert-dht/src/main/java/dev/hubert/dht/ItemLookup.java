package dev.hubert.dht;

import dev.hubert.dht.MldhtNode.Lookup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.DHT.DHTtype;
import lbms.plugins.mldht.kad.DHTConstants;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.KBucketEntry;
import lbms.plugins.mldht.kad.KClosestNodesSearch;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.NodeList;
import lbms.plugins.mldht.kad.messages.GetRequest;
import lbms.plugins.mldht.kad.messages.GetResponse;
import lbms.plugins.mldht.kad.messages.MessageBase;
import lbms.plugins.mldht.kad.utils.AddressUtils;

/**
 * One iterative BEP-44 get (Kademlia lookup) for a target, done by hand on hubert's own client
 * socket ({@link KrpcClient}) instead of mldht's {@code GetLookupTask}, for reasons measured on the
 * testnet: values are checked with BouncyCastle (mldht's i2p Ed25519 check costs several times
 * more CPU, on the critical path of every get); the lookup ends as soon as the {@link #CLOSEST}
 * closest nodes known have answered, instead of waiting for every request in flight (farther nodes
 * too); a get starts with a few requests instead of ten at once, which on a small or busy machine
 * only compete with the answer that matters; and each answer is handled on the thread that
 * received it, which also sends the next requests (mldht passes every packet through two threads).
 *
 * <p>Rules: candidates start as the closest nodes of the routing table and grow with the nodes
 * each answer names; at most {@code width} requests are in flight (a stalled request frees its
 * slot); a candidate is asked only while fewer than {@link #CLOSEST} closer ones have answered.
 * The lookup ends when the {@link #CLOSEST} closest live candidates have all answered (or all
 * candidates did), at the first valid value if asked to, when only stalled requests (dead or very
 * slow nodes) have remained for a grace period, or at the deadline. A node's answer counts only if
 * it comes from the node ID that was asked. A request stalls after twice the node's last round
 * trip, or mldht's adaptive stall timeout, and fails after {@link KrpcClient#TIMEOUT_MS}.
 *
 * <p>Thread-safe: the state is guarded by this object's lock; the result is completed outside it,
 * on whichever thread ends the lookup (the caller's, the client's receiving or timer thread).
 */
final class ItemLookup {
  /** The closest nodes a lookup must hear from: those a value is stored on (BEP-44 / mldht: 8). */
  static final int CLOSEST = DHTConstants.MAX_ENTRIES_PER_BUCKET;

  private static final long SETTLE_CHECK_MS = 25;
  private static final long SETTLE_FULL_MS = 250;
  private static final long SETTLE_PARTIAL_MS = 2000;

  private enum State { NEW, ASKED, STALLED, ANSWERED, FAILED }

  private static final class Candidate {
    final KBucketEntry entry;
    State state = State.NEW;
    byte[] token;
    KrpcClient.Call call;

    Candidate(KBucketEntry entry) {
      this.entry = entry;
    }
  }

  private final DHT dht;
  private final KrpcClient client;
  private final LongSupplier stallTimeout;
  private final Key target;
  private final byte[] salt;
  private final Predicate<StorageItem> valid;
  private final boolean stopAtValue;
  private final int width;
  private final CompletableFuture<Lookup> result = new CompletableFuture<>();
  private final TreeSet<Candidate> byDistance;
  private final Map<Key, Candidate> byId = new HashMap<>();
  private final Set<InetSocketAddress> addresses = new HashSet<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private StorageItem found;
  private int responses;
  private long stalledSince;
  /** Set once when the lookup ends; completed into {@link #result} outside the lock. */
  private Lookup outcome;

  /**
   * @param stallTimeout the stall timeout for a node whose round trip is not known (mldht's
   *     adaptive one), in milliseconds
   * @param valid whether a stored item found is {@code target}'s, validly signed (see {@link
   *     MutableItem#verify})
   */
  ItemLookup(DHT dht, KrpcClient client, LongSupplier stallTimeout, Key target, byte[] salt,
      Predicate<StorageItem> valid, boolean stopAtValue, int width) {
    this.dht = dht;
    this.client = client;
    this.stallTimeout = stallTimeout;
    this.target = target;
    this.salt = salt;
    this.valid = valid;
    this.stopAtValue = stopAtValue;
    this.width = width;
    KBucketEntry.DistanceOrder order = new KBucketEntry.DistanceOrder(target);
    this.byDistance = new TreeSet<>((a, b) -> order.compare(a.entry, b.entry));
  }

  CompletableFuture<Lookup> result() {
    return result;
  }

  /**
   * Seeds the candidates from the routing table and sends the first requests from the calling
   * thread.
   *
   * @throws java.util.concurrent.RejectedExecutionException if the client is closed
   */
  void start(long deadlineMillis) {
    locked(() -> {
      KClosestNodesSearch seeds = new KClosestNodesSearch(target, CLOSEST * 4, dht);
      seeds.fill();
      seeds.getEntries().forEach(this::addCandidate);
      pump();
      // timers after the first requests are out (no answer is handled before the lock is released)
      if (outcome == null) {
        timers.add(client.schedule(() -> locked(this::finish), deadlineMillis)); // the deadline
        timers.add(client.every(() -> locked(this::checkStalled), SETTLE_CHECK_MS));
      }
    });
  }

  /** Runs {@code step} under the lock, then completes the result if the lookup has ended. */
  private void locked(Runnable step) {
    synchronized (this) {
      step.run();
    }
    publish();
  }

  /** Completes the result if the lookup has ended. Never called with the lock held. */
  private void publish() {
    Lookup done;
    synchronized (this) {
      done = outcome;
    }
    if (done != null) {
      result.complete(done);
    }
  }

  private void addCandidate(KBucketEntry e) {
    if (AddressUtils.isBogon(e.getAddress()) || dht.getNode().isLocalId(e.getID())
        || byId.containsKey(e.getID()) || !addresses.add(e.getAddress())) {
      return;
    }
    Candidate c = new Candidate(e);
    byId.put(e.getID(), c);
    byDistance.add(c);
  }

  /** Sends requests while slots are free, then ends the lookup if it is complete. */
  private void pump() {
    if (outcome != null) {
      return;
    }
    int inFlight = 0;
    for (Candidate c : byDistance) {
      if (c.state == State.ASKED) {
        inFlight++;
      }
    }
    int closerAnswered = 0;
    for (Candidate c : byDistance) {
      if (closerAnswered >= CLOSEST || inFlight >= width) {
        break;
      }
      if (c.state == State.ANSWERED) {
        closerAnswered++;
      } else if (c.state == State.NEW) {
        ask(c);
        inFlight++;
      }
    }
    if (complete()) {
      finish();
    }
  }

  /** Whether the {@link #CLOSEST} closest live candidates (or all there are) have answered. */
  private boolean complete() {
    int answered = 0;
    for (Candidate c : byDistance) {
      if (answered >= CLOSEST) {
        return true;
      }
      if (c.state == State.ANSWERED) {
        answered++;
      } else if (c.state != State.FAILED) {
        return false;
      }
    }
    return true;
  }

  private void ask(Candidate c) {
    c.state = State.ASKED;
    KBucketEntry e = c.entry;
    GetRequest request = new GetRequest(target);
    request.setWant4(dht.getType() == DHTtype.IPV4_DHT);
    request.setWant6(dht.getType() == DHTtype.IPV6_DHT);
    long stall = stallTimeout.getAsLong();
    long rtt = e.getRTT() * 2L;
    if (rtt > 0 && rtt < KrpcClient.TIMEOUT_MS && rtt < stall) {
      stall = rtt;
    }
    c.call = client.send(request, e.getAddress(), stall, new KrpcClient.Listener() {
      @Override
      public void answered(MessageBase message) {
        locked(() -> ItemLookup.this.answered(c, message));
      }

      @Override
      public void stalled() {
        locked(() -> {
          if (c.state == State.ASKED) {
            c.state = State.STALLED;
          }
          pump();
        });
      }

      @Override
      public void timedOut() {
        locked(() -> {
          c.state = State.FAILED;
          pump();
        });
      }
    });
  }

  private void answered(Candidate c, MessageBase message) {
    if (outcome != null) {
      return;
    }
    if (!(message instanceof GetResponse) || !c.entry.getID().equals(message.getID())) {
      c.state = State.FAILED; // an error, or a node answering under another ID than the one asked
      pump();
      return;
    }
    c.state = State.ANSWERED;
    responses++;
    GetResponse response = (GetResponse) message;
    if (response.getToken() != null) {
      c.token = response.getToken();
    }
    if (response.getRawValue() != null && response.getPubkey() != null) {
      StorageItem item = new StorageItem(response, salt);
      if ((found == null || item.seq() > found.seq()) && valid.test(item)) {
        found = item;
        if (stopAtValue) {
          finish();
          return;
        }
      }
    }
    NodeList nodes = response.getNodes(dht.getType());
    if (nodes != null) {
      nodes.entries().forEach(this::addCandidate);
    }
    pump();
  }

  /**
   * Requests time out only after 10 s. When nothing but stalled requests has been in flight for a
   * while, end: soon if {@link #CLOSEST} nodes handed out write tokens, later if fewer did (a put
   * needs the full set of closest nodes, so that concurrent writers meet at the same storing
   * nodes). Timer thread, lock held.
   */
  private void checkStalled() {
    if (outcome != null) {
      return;
    }
    boolean onlyStalled = true;
    boolean anyStalled = false;
    int tokens = 0;
    for (Candidate c : byDistance) {
      onlyStalled &= c.state != State.ASKED;
      anyStalled |= c.state == State.STALLED;
      tokens += c.token != null ? 1 : 0;
    }
    if (!onlyStalled || !anyStalled || tokens == 0) {
      stalledSince = 0;
      return;
    }
    long now = System.nanoTime();
    if (stalledSince == 0) {
      stalledSince = now;
    }
    long grace = tokens >= CLOSEST ? SETTLE_FULL_MS : SETTLE_PARTIAL_MS;
    if (now - stalledSince >= TimeUnit.MILLISECONDS.toNanos(grace)) {
      finish();
    }
  }

  /**
   * Ends the lookup with what was found so far (completed by {@link #publish()}); requests still
   * in flight are dropped, later answers ignored. Lock held.
   */
  private void finish() {
    if (outcome != null) {
      return;
    }
    timers.forEach(t -> t.cancel(false));
    for (Candidate c : byDistance) {
      if (c.call != null) {
        c.call.cancel();
      }
    }
    Map<KBucketEntry, byte[]> tokens = byDistance.stream()
        .filter(c -> c.token != null)
        .collect(Collectors.toMap(c -> c.entry, c -> c.token));
    outcome = new Lookup(found, tokens, responses);
  }
}
