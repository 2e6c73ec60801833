package dev.hubert.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.dht.Bep44Store.PutResult;
import dev.hubert.dht.MldhtNode.Lookup;
import dev.hubert.dht.MldhtNode.PutReply;
import dev.hubert.dht.MldhtNode.PutStatus;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import lbms.plugins.mldht.kad.KBucketEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import the8472.bencode.BDecoder;
import the8472.bencode.BEncoder;

/** Write-once BEP-44 on raw values, on ten mldht nodes: cas = 0, 301, idempotent retries. */
@Timeout(120)
class Bep44StoreTest {
  private static TestNodes net;
  private static MldhtNode writer;
  private static MldhtNode reader;

  @BeforeAll
  static void start() {
    net = new TestNodes(10);
    writer = net.client(11);
    reader = net.client(12);
  }

  @AfterAll
  static void stop() {
    if (writer != null) {
      writer.close();
    }
    if (reader != null) {
      reader.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private static MutableItem item(String text) {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    return MutableItem.sign(seed, null, text.getBytes(StandardCharsets.UTF_8));
  }

  private static MutableItem withSeed(byte[] seed, String text) {
    return MutableItem.sign(seed, null, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Instant soon() {
    return Instant.now().plusSeconds(20);
  }

  private static Bep44Store store(MldhtNode node) {
    return new Bep44Store(node, null, Duration.ofSeconds(10));
  }

  private static byte[] publicKey(MutableItem item) {
    byte[] pk = new byte[32];
    item.storageItem().pubKey().orElseThrow().duplicate().get(pk);
    return pk;
  }

  @Test
  void putThenGetFromAnotherNode() {
    MutableItem item = item("hello mainline");
    PutResult r = store(writer).putOnce(item, soon(), () -> {}).join();
    assertEquals(PutResult.Outcome.STORED, r.outcome, r.summary());
    assertEquals(MldhtNode.REPLICATION, r.replicas, r.summary());

    Lookup got = store(reader).lookup(publicKey(item), soon()).join();
    assertArrayEquals(item.value(), MutableItem.valueOf(got.value().orElseThrow()).orElseThrow());
  }

  @Test
  void secondPutFindsTheFirstAndSendsNothing() {
    MutableItem item = item("first");
    assertEquals(PutResult.Outcome.STORED, store(writer).putOnce(item, soon(), () -> {}).join().outcome);
    boolean[] wrote = {false};
    PutResult again = store(reader).putOnce(item, soon(), () -> wrote[0] = true).join();
    assertEquals(PutResult.Outcome.FOUND, again.outcome);
    assertArrayEquals(item.value(), again.found);
    assertFalse(wrote[0], "a put that found a value must not write");
  }

  @Test
  void storingNodesRefuseAReplacementWithCas301() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    MutableItem first = withSeed(seed, "first");
    assertEquals(PutResult.Outcome.STORED, store(writer).putOnce(first, soon(), () -> {}).join().outcome);

    // a full lookup for tokens, then a direct cas=0 put of another value to a node holding the item
    Lookup lookup = writer.lookup(first.target(), null, soon(), false, MldhtNode.REPLICATION).join();
    Map.Entry<KBucketEntry, byte[]> holder =
        MldhtNode.closest(lookup.tokens, first.target(), 1).get(0);
    MutableItem second = withSeed(seed, "second");
    PutReply reply = writer.put(holder.getKey(), holder.getValue(), second.storageItem(), 0, soon()).join();
    assertEquals(PutStatus.CAS_MISMATCH, reply.status, reply.message);
    assertEquals(MldhtNode.CAS_MISMATCH, reply.code);

    // the write half, bypassing the read, sees the 301s and the other value: a conflict
    PutResult conflict = store(writer).write(second, lookup.tokens, lookup.responses, soon()).join();
    assertEquals(PutResult.Outcome.CONFLICT, conflict.outcome, conflict.summary());
    // the node still holds the first value
    assertTrue(first.sameValue(writer.get(holder.getKey(), first.target(), null, soon()).join()
        .orElseThrow()));
  }

  @Test
  void rewritingTheSameValueIsAnIdempotentRetry() {
    MutableItem item = item("same bytes twice");
    assertEquals(PutResult.Outcome.STORED, store(writer).putOnce(item, soon(), () -> {}).join().outcome);
    Lookup lookup = writer.lookup(item.target(), null, soon(), false, MldhtNode.REPLICATION).join();
    PutResult retry = store(writer).write(item, lookup.tokens, lookup.responses, soon()).join();
    assertEquals(PutResult.Outcome.STORED, retry.outcome, retry.summary());
    assertTrue(retry.replies.stream().allMatch(r -> r.status == PutStatus.CAS_MISMATCH),
        "every node already held it: " + retry.summary());
    assertEquals(MldhtNode.REPLICATION, retry.replicas, "the 301s holding our value count");
  }

  /**
   * Two racing writers: a node that got the other writer's put first answers ours with 301, and
   * our question what it holds is lost. The other nodes stored our value, but the silent node may
   * hold the other writer's: not a success (or both writers could be told they won).
   */
  @Test
  void a301WhoseHolderCannotBeReadBackIsNotASuccess() throws Exception {
    try (CasRefuser silent = new CasRefuser()) {
      PutResult r = silent.writeAmongTheClosest(item("raced"), Duration.ofSeconds(3));
      assertTrue(r.replies.stream().anyMatch(x -> x.status == PutStatus.STORED), r.summary());
      assertNotEquals(PutResult.Outcome.STORED, r.outcome, r.summary());
      assertEquals(PutResult.Outcome.UNCONFIRMED, r.outcome, r.summary());
      assertEquals(1, r.unconfirmed, r.summary());
      assertEquals(1, silent.puts.get());
      assertTrue(silent.received.get() > 1, "it was asked what it holds");
    }
  }

  /**
   * A read that ended at the deadline leaves no time for answers: the write sends nothing (it
   * could only store the value on nodes while the caller is told nothing was stored).
   */
  @Test
  void aWriteAtItsDeadlineSendsNothing() throws Exception {
    MutableItem item = item("too late");
    try (CasRefuser node = new CasRefuser()) {
      PutResult r = node.writeAmongTheClosest(item, Duration.ZERO);
      assertEquals(PutResult.Outcome.FAILED, r.outcome, r.summary());
      assertTrue(r.tooLate && r.replies.isEmpty(), r.summary());
      assertTrue(r.summary().contains("nothing was sent"), r.summary());
      assertTrue(store(reader).lookup(publicKey(item), soon()).join().value().isEmpty(),
          "no node stored it");
      assertEquals(0, node.received.get(), "no put reached the scripted node");
    }
  }

  @Test
  void theReadLeavesAQuarterOfThePutsTimeAtMostFiveSecondsForTheWrites() {
    Instant now = Instant.now();
    Instant deadline = now.plusSeconds(4);
    Duration reserve = Duration.between(Bep44Store.readDeadline(deadline), deadline);
    assertTrue(reserve.compareTo(Duration.ofMillis(900)) > 0
        && reserve.compareTo(Duration.ofSeconds(1)) <= 0, reserve.toString());
    Instant far = now.plusSeconds(60);
    assertEquals(far.minusSeconds(5), Bep44Store.readDeadline(far));
    Instant past = now.minusSeconds(1);
    assertEquals(past, Bep44Store.readDeadline(past));
  }

  /**
   * A scripted node on 198.51.100.13 (a free port): answers every put with 301 and ignores every
   * other request; counts what it receives.
   */
  private static final class CasRefuser implements AutoCloseable {
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger puts = new AtomicInteger();
    private final DatagramSocket socket;
    private final Thread thread;

    CasRefuser() throws IOException {
      socket = new DatagramSocket(new InetSocketAddress(TestNodes.address(13), 0));
      thread = new Thread(this::serve, "scripted 301 node");
      thread.setDaemon(true);
      thread.start();
    }

    /**
     * A lookup for write tokens, then the write half of a put of {@code item} by the deadline
     * {@code timeLeft} from now, with this node among the closest: it gets the ID of the item's
     * target, the closest there can be.
     */
    PutResult writeAmongTheClosest(MutableItem item, Duration timeLeft) {
      Lookup lookup =
          writer.lookup(item.target(), null, soon(), false, MldhtNode.REPLICATION).join();
      Map<KBucketEntry, byte[]> tokens = new HashMap<>(lookup.tokens);
      InetSocketAddress self = (InetSocketAddress) socket.getLocalSocketAddress();
      tokens.put(new KBucketEntry(self, item.target()),
          "scripted".getBytes(StandardCharsets.US_ASCII));
      return store(writer).write(item, tokens, lookup.responses, Instant.now().plus(timeLeft))
          .join();
    }

    private void serve() {
      byte[] buffer = new byte[2048];
      while (!socket.isClosed()) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (IOException e) {
          return; // closed
        }
        received.incrementAndGet();
        try {
          Map<String, Object> query =
              new BDecoder().decode(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
          if (!Arrays.equals("put".getBytes(StandardCharsets.US_ASCII), (byte[]) query.get("q"))) {
            continue;
          }
          puts.incrementAndGet();
          Map<String, Object> error = new TreeMap<>();
          error.put("e", List.of((long) MldhtNode.CAS_MISMATCH, "CAS mismatch"));
          error.put("t", query.get("t"));
          error.put("y", "e");
          ByteBuffer out = ByteBuffer.allocate(1500);
          new BEncoder().encodeInto(error, out); // flips the buffer
          socket.send(new DatagramPacket(out.array(), out.remaining(), packet.getSocketAddress()));
        } catch (IOException | RuntimeException e) {
          // not a query we understand, or closed meanwhile: ignore
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      socket.close();
      thread.join(2000);
    }
  }

  @Test
  void lookupOfAMissingItemEndsEmptyWithResponses() {
    Lookup none = store(reader).lookup(publicKey(item("never stored")), soon()).join();
    assertTrue(none.value().isEmpty());
    assertTrue(none.responses > 0, "the nodes answered");
  }
}
