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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.DHT.DHTtype;
import lbms.plugins.mldht.kad.DHTConstants;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.KBucketEntry;
import lbms.plugins.mldht.kad.KClosestNodesSearch;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.NodeList;
import lbms.plugins.mldht.kad.RPCCall;
import lbms.plugins.mldht.kad.RPCCallListener;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.RPCState;
import lbms.plugins.mldht.kad.messages.GetRequest;
import lbms.plugins.mldht.kad.messages.GetResponse;
import lbms.plugins.mldht.kad.messages.MessageBase;
import lbms.plugins.mldht.kad.utils.AddressUtils;

/**
 * One iterative BEP-44 get (Kademlia lookup) for a target, done by hand on mldht's RPC layer
 * instead of mldht's {@code GetLookupTask}, for three reasons measured on the testnet: values are
 * checked with BouncyCastle (mldht's i2p Ed25519 check costs several times more CPU, on the
 * critical path of every get); the lookup ends as soon as the {@link #CLOSEST} closest nodes
 * known have answered, instead of waiting for every request in flight (farther nodes too); and a
 * get starts with a few requests instead of ten at once, which on a small or busy machine only
 * compete with the answer that matters.
 *
 * <p>Rules: candidates start as the closest nodes of the routing table and grow with the nodes
 * each answer names; at most {@code width} requests are in flight (a stalled request frees its
 * slot); a candidate is asked only while fewer than {@link #CLOSEST} closer ones have answered.
 * The lookup ends when the {@link #CLOSEST} closest live candidates have all answered (or all
 * candidates did), at the first valid value if asked to, when only stalled requests (dead or very
 * slow nodes) have remained for a grace period, or at the deadline. A node's answer counts only if
 * it comes from the node ID that was asked.
 *
 * <p>Confined to the node's DHT thread: {@link #start} and every callback run there.
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

    Candidate(KBucketEntry entry) {
      this.entry = entry;
    }
  }

  private final DHT dht;
  private final RPCServer server;
  private final ScheduledExecutorService scheduler;
  private final Key target;
  private final byte[] salt;
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

  ItemLookup(DHT dht, RPCServer server, ScheduledExecutorService scheduler, Key target,
      byte[] salt, boolean stopAtValue, int width) {
    this.dht = dht;
    this.server = server;
    this.scheduler = scheduler;
    this.target = target;
    this.salt = salt;
    this.stopAtValue = stopAtValue;
    this.width = width;
    KBucketEntry.DistanceOrder order = new KBucketEntry.DistanceOrder(target);
    this.byDistance = new TreeSet<>((a, b) -> order.compare(a.entry, b.entry));
  }

  CompletableFuture<Lookup> result() {
    return result;
  }

  /** Seeds the candidates from the routing table and sends the first requests. DHT thread. */
  void start(long deadlineMillis) {
    timers.add(scheduler.schedule(this::finish, deadlineMillis, TimeUnit.MILLISECONDS));
    timers.add(scheduler.scheduleWithFixedDelay(this::checkStalled, SETTLE_CHECK_MS,
        SETTLE_CHECK_MS, TimeUnit.MILLISECONDS));
    KClosestNodesSearch seeds = new KClosestNodesSearch(target, CLOSEST * 4, dht);
    seeds.fill();
    seeds.getEntries().forEach(this::addCandidate);
    pump();
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
    if (result.isDone()) {
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
      // result.isDone(): a failed send ends its call at once, which may have ended the lookup
      if (closerAnswered >= CLOSEST || inFlight >= width || result.isDone()) {
        break;
      }
      if (c.state == State.ANSWERED) {
        closerAnswered++;
      } else if (c.state == State.NEW) {
        ask(c);
        inFlight++;
      }
    }
    if (!result.isDone() && complete()) {
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
    request.setDestination(e.getAddress());
    RPCCall call = new RPCCall(request).setExpectedID(e.getID());
    call.builtFromEntry(e);
    long rtt = e.getRTT() * 2L;
    if (rtt > 0 && rtt < DHTConstants.RPC_CALL_TIMEOUT_MAX
        && rtt < server.getTimeoutFilter().getStallTimeout()) {
      call.setExpectedRTT(rtt);
    }
    call.addListener(new RPCCallListener() {
      @Override
      public void stateTransition(RPCCall rpc, RPCState previous, RPCState current) {
        switch (current) {
          case RESPONDED:
            answered(c, rpc);
            break;
          case STALLED:
            if (c.state == State.ASKED) {
              c.state = State.STALLED;
            }
            pump();
            break;
          case ERROR:
          case TIMEOUT:
            c.state = State.FAILED;
            pump();
            break;
          default:
            break;
        }
      }
    });
    server.doCall(call);
  }

  private void answered(Candidate c, RPCCall rpc) {
    MessageBase message = rpc.getResponse();
    if (!(message instanceof GetResponse) || !rpc.matchesExpectedID()) {
      c.state = State.FAILED; // a node answering under another ID is not the node we asked
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
      if ((found == null || item.seq() > found.seq()) && MutableItem.verify(item, target, salt)) {
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
   * mldht times a request out only after 10 s. When nothing but stalled requests has been in
   * flight for a while, end: soon if {@link #CLOSEST} nodes handed out write tokens, later if
   * fewer did (a put needs the full set of closest nodes, so that concurrent writers meet at the
   * same storing nodes).
   */
  private void checkStalled() {
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

  /** Completes the result with what was found so far; later answers are ignored. */
  private void finish() {
    if (result.isDone()) {
      return;
    }
    timers.forEach(t -> t.cancel(false));
    Map<KBucketEntry, byte[]> tokens = byDistance.stream()
        .filter(c -> c.token != null)
        .collect(Collectors.toMap(c -> c.entry, c -> c.token));
    result.complete(new Lookup(found, tokens, responses));
  }

  /** Ends the lookup now with what was found (the node is closing, or the caller gave up). */
  void abort() {
    finish();
  }
}
