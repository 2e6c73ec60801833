package dev.hubert.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.messages.ErrorMessage;
import lbms.plugins.mldht.kad.messages.GetRequest;
import lbms.plugins.mldht.kad.messages.GetResponse;
import lbms.plugins.mldht.kad.messages.MessageBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import the8472.bencode.BDecoder;
import the8472.bencode.BEncoder;

/**
 * hubert's own request socket against scripted nodes (plain UDP sockets on 198.51.100.19–20, free
 * ports): what it sends, which datagrams it accepts as the answer, stalls and timeouts, close.
 */
@Timeout(60)
class KrpcClientTest {
  private static final String NAME = "krpc-client-test";

  private KrpcClient client;
  private DatagramSocket node;
  private DatagramSocket other;

  /** What a listener saw, in order: "stalled", "timedOut", or the message answered. */
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final KrpcClient.Listener recorder = new KrpcClient.Listener() {
    @Override
    public void answered(MessageBase message) {
      events.add(message);
    }

    @Override
    public void stalled() {
      events.add("stalled");
    }

    @Override
    public void timedOut() {
      events.add("timedOut");
    }
  };

  @BeforeEach
  void start() throws IOException {
    client = KrpcClient.open(TestNodes.address(18), NAME, 1500);
    node = new DatagramSocket(new InetSocketAddress(TestNodes.address(19), 0));
    other = new DatagramSocket(new InetSocketAddress(TestNodes.address(20), 0));
    node.setSoTimeout(5000);
    other.setSoTimeout(300);
  }

  @AfterEach
  void stop() {
    client.close();
    node.close();
    other.close();
  }

  private InetSocketAddress nodeAddress() {
    return (InetSocketAddress) node.getLocalSocketAddress();
  }

  private static GetRequest get() {
    GetRequest request = new GetRequest(Key.createRandomKey());
    request.setWant4(true);
    return request;
  }

  /** The next datagram {@code socket} receives, decoded. */
  private static Map<String, Object> receive(DatagramSocket socket) throws IOException {
    DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
    socket.receive(packet);
    return new BDecoder().decode(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
  }

  private void send(DatagramSocket from, byte[] datagram) throws IOException {
    from.send(new DatagramPacket(datagram, datagram.length, client.address()));
  }

  private static byte[] encode(Map<String, Object> message) {
    ByteBuffer out = ByteBuffer.allocate(1500);
    new BEncoder().encodeInto(message, out);
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  /** A get response {@code {"t": tid, "y": "r", "r": {"id": id, "token": token}}}. */
  private static byte[] response(byte[] tid, byte[] id, String token) {
    Map<String, Object> body = new TreeMap<>();
    if (id != null) {
      body.put("id", id);
    }
    body.put("token", token.getBytes(StandardCharsets.US_ASCII));
    Map<String, Object> message = new TreeMap<>();
    message.put("r", body);
    message.put("t", tid);
    message.put("y", "r");
    return encode(message);
  }

  private Object next() throws InterruptedException {
    return events.poll(5, TimeUnit.SECONDS);
  }

  @Test
  void sendsARegisteredReadOnlyRequestWithItsOwnNodeId() throws Exception {
    client.send(get(), nodeAddress(), 1000, recorder);
    Map<String, Object> request = receive(node);
    assertEquals("q", new String((byte[]) request.get("y"), StandardCharsets.US_ASCII));
    assertEquals("get", new String((byte[]) request.get("q"), StandardCharsets.US_ASCII));
    assertEquals(1L, ((Number) request.get("ro")).longValue(), "BEP-43 read-only flag");
    assertEquals(4, ((byte[]) request.get("t")).length);
    @SuppressWarnings("unchecked")
    Map<String, Object> args = (Map<String, Object>) request.get("a");
    assertArrayEquals(client.id().getHash(), (byte[]) args.get("id"));
    assertEquals(1, client.pending());
  }

  @Test
  void onlyAWellFormedAnswerFromTheAddressAskedCompletesTheRequest() throws Exception {
    client.send(get(), nodeAddress(), 1000, recorder);
    byte[] tid = (byte[]) receive(node).get("t");
    byte[] nodeId = Key.createRandomKey().getHash();
    byte[] otherTid = tid.clone();
    otherTid[3]++;

    send(other, response(tid, nodeId, "from another address")); // right transaction, wrong sender
    send(node, "not bencoded at all".getBytes(StandardCharsets.US_ASCII));
    send(node, response(otherTid, nodeId, "another transaction"));
    send(node, response(new byte[] {1, 2}, nodeId, "a foreign transaction id"));
    send(node, response(tid, null, "no node id: malformed"));
    Map<String, Object> ping = new TreeMap<>(); // a query: this socket answers none
    ping.put("a", new TreeMap<>(Map.of("id", nodeId)));
    ping.put("q", "ping");
    ping.put("t", new byte[] {9, 9});
    ping.put("y", "q");
    send(node, encode(ping));
    send(other, encode(ping));
    send(node, response(tid, nodeId, "the answer"));

    Object first = next();
    GetResponse answer = assertInstanceOf(GetResponse.class, first, String.valueOf(first));
    assertEquals("the answer", new String(answer.getToken(), StandardCharsets.US_ASCII));
    assertEquals(new Key(nodeId), answer.getID());
    assertEquals(0, client.pending());
    send(node, response(tid, nodeId, "a second answer")); // the transaction is over
    assertNull(events.poll(300, TimeUnit.MILLISECONDS), "one callback per request");
    assertThrows(SocketTimeoutException.class, () -> receive(other), "the ping went unanswered");
  }

  @Test
  void anErrorMessageIsAnAnswer() throws Exception {
    client.send(get(), nodeAddress(), 1000, recorder);
    byte[] tid = (byte[]) receive(node).get("t");
    Map<String, Object> error = new TreeMap<>();
    error.put("e", List.of(301L, "CAS mismatch"));
    error.put("t", tid);
    error.put("y", "e");
    send(node, encode(error));
    ErrorMessage answer = assertInstanceOf(ErrorMessage.class, next());
    assertEquals(301, answer.getCode());
    assertEquals("CAS mismatch", answer.getMessage());
  }

  @Test
  void aSilentNodeStallsThenTimesOut() throws Exception {
    long start = System.nanoTime();
    client.send(get(), nodeAddress(), 100, recorder);
    assertEquals("stalled", next());
    long stalled = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("timedOut", next());
    long timedOut = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(stalled >= 100 && stalled < 1500, "stalled after " + stalled + " ms");
    assertTrue(timedOut >= 1500 && timedOut < 4000, "timed out after " + timedOut + " ms");
    assertEquals(0, client.pending());
    assertNull(events.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void aRequestThatCannotBeSentTimesOutAtOnce() throws Exception {
    long start = System.nanoTime();
    client.send(get(), new InetSocketAddress("::1", 6881), 1000, recorder); // IPv6 on an IPv4 socket
    assertEquals("timedOut", next());
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000));
    assertEquals(0, client.pending());
  }

  @Test
  void closeReleasesTheSocketAndBothThreadsAndSilencesPendingRequests() throws Exception {
    client.send(get(), nodeAddress(), 100, recorder);
    byte[] tid = (byte[]) receive(node).get("t");
    InetSocketAddress address = client.address();
    client.close();
    client.close(); // idempotent

    // the timer's awaitTermination returns once its tasks are done, a moment before its thread ends
    assertFalse(TestNodes.threadsAlive(NAME, Duration.ofSeconds(10)),
        "receiver and timer threads ended");
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(address); // fails if the socket were still open
    }
    byte[] late = response(tid, new byte[20], "late");
    node.send(new DatagramPacket(late, late.length, address));
    client.send(get(), nodeAddress(), 100, recorder); // after close: no callback, no exception
    assertNull(events.poll(2000, TimeUnit.MILLISECONDS), "no callback after close: " + events);
  }

  private static <T extends Throwable> void assertThrows(Class<T> type,
      org.junit.jupiter.api.function.Executable action, String message) {
    org.junit.jupiter.api.Assertions.assertThrows(type, action, message);
  }

  @Test
  void transactionIdsDifferPerRequest() throws Exception {
    client.send(get(), nodeAddress(), 1000, recorder);
    client.send(get(), nodeAddress(), 1000, recorder);
    byte[] a = (byte[]) receive(node).get("t");
    byte[] b = (byte[]) receive(node).get("t");
    assertFalse(Arrays.equals(a, b));
    assertEquals(2, client.pending());
  }
}
