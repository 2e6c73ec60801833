package dev.hubert.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import the8472.bencode.BDecoder;

/**
 * {@link MainlineDhtKv} on ten mldht nodes: the reference's verbose lines, the size limit, the get
 * timeout, a clean close, and silence on standard output. (The conformance kit, the interop
 * tests and the fault tests run in hubert-dht-testing.)
 */
@Timeout(120)
class MainlineDhtKvTest {
  private static TestNodes net;
  private static MainlineDhtKv writer;
  private static MainlineDhtKv reader;

  static MainlineDhtKv.Config.Builder config(int host) {
    return MainlineDhtKv.config()
        .bindAddress(TestNodes.address(host))
        .port(TestNodes.PORT)
        .bootstrap(TestNodes.addresses(1, 10))
        .requestThrottling(false);
  }

  @BeforeAll
  static void start() {
    net = new TestNodes(10);
    writer = MainlineDhtKv.start(config(11).build());
    reader = MainlineDhtKv.start(config(12).build());
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

  /** Runs {@code action} with verbose output captured; returns the lines without timestamps. */
  private static List<String> verboseLines(Runnable action) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = VerboseLog.setOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      VerboseLog.setOutput(previous);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("[")) {
        assertTrue(line.matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] .+"), line);
        lines.add(line.substring(line.indexOf("] ") + 2));
      } else {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void putAndGetPrintTheReferenceVerboseLines() {
    Arid arid = Arid.random();
    Envelope env = Envelope.of("Test").addAssertion("key", "value");
    List<String> put = verboseLines(() -> writer.blocking().put(arid, env, null, true));
    assertEquals(List.of(
        "Starting Mainline DHT put operation",
        "Envelope size: 25 bytes",
        "Obfuscated envelope data",
        "Deriving DHT signing key from ARID",
        "Checking for existing value (write-once check)",
        "Creating mutable DHT item",
        "Putting value to DHT",
        "Mainline DHT put operation completed",
        ""), put);

    List<String> get = verboseLines(() ->
        assertTrue(reader.blocking().get(arid, Duration.ofSeconds(10), true).isPresent()));
    assertEquals(List.of(
        "Starting Mainline DHT get operation",
        "Deriving DHT public key from ARID",
        "Polling DHT for value",
        "",
        "Value found in DHT",
        "Deobfuscated envelope data",
        "Mainline DHT get operation completed",
        ""), get);
  }

  @Test
  void missingValuePollsWithDotsThenTimesOut() {
    Arid arid = Arid.random();
    long start = System.nanoTime();
    List<String> lines = verboseLines(() ->
        assertEquals(Optional.empty(), reader.blocking().get(arid, Duration.ofMillis(2500), true)));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMs >= 2500, "returned before the timeout: " + elapsedMs + " ms");
    assertTrue(elapsedMs < 20_000, "returned long after the timeout: " + elapsedMs + " ms");
    assertEquals("Polling DHT for value", lines.get(2));
    assertTrue(lines.get(3).matches("\\.{2,3}"), "one dot per missed poll, got " + lines.get(3));
    assertEquals("Timeout reached, value not found", lines.get(4));
  }

  @Test
  void cancellingAPollingGetStopsItsLookups() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = VerboseLog.setOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CompletableFuture<?> got = reader.get(Arid.random(), Duration.ofSeconds(30), true);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!out.toString(StandardCharsets.UTF_8).contains(".")) { // a miss: polling goes on
        assertTrue(System.nanoTime() - end < 0, "no dot within 20 s: " + out);
        Thread.sleep(10);
      }
      assertTrue(got.cancel(false));
      Thread.sleep(1_500); // a lookup under way at the cancel may still print its dot
      String atCancel = out.toString(StandardCharsets.UTF_8);
      Thread.sleep(2_500); // two or three more lookups, had the polling gone on
      assertEquals(atCancel, out.toString(StandardCharsets.UTF_8), "printed after the cancel");
    } finally {
      VerboseLog.setOutput(previous);
    }
  }

  /** 996 bytes of tagged envelope CBOR fit (bencoded v = 1000 bytes); 997 fail before the network. */
  @Test
  void sizeLimitIs996Bytes() throws Exception {
    Envelope largest = sized(996);
    Arid arid = Arid.random();
    Receipt receipt = writer.blocking().put(arid, largest);
    assertTrue(receipt.replicas().orElse(0) > 0);
    assertTrue(reader.blocking().get(arid, Duration.ofSeconds(10)).orElseThrow().isIdenticalTo(largest));

    Arid other = Arid.random();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> writer.put(other, sized(997)).get());
    ValueTooLargeException tooLarge = assertInstanceOf(ValueTooLargeException.class, e.getCause());
    assertEquals(997, tooLarge.size());
    assertEquals(996, tooLarge.limit());
    assertTrue(tooLarge.getMessage().contains("996"), tooLarge.getMessage());
    assertFalse(reader.blocking().exists(other), "nothing was written");
  }

  /** A byte-string envelope whose tagged CBOR is exactly {@code size} bytes. */
  static Envelope sized(int size) {
    for (int n = size; n > 0; n--) {
      Envelope e = Envelope.ofBytes(new byte[n]);
      if (e.toCborData().length == size) {
        return e;
      }
    }
    throw new AssertionError("no envelope of " + size + " bytes");
  }

  @Test
  void nothingOnStandardOutputWhenNotVerbose() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (MainlineDhtKv kv = MainlineDhtKv.start(config(16).build())) {
      Arid arid = Arid.random();
      kv.blocking().put(arid, Envelope.of("quiet"));
      assertTrue(reader.blocking().get(arid, Duration.ofSeconds(10)).isPresent());
      assertTrue(kv.blocking().exists(arid));
      assertThrows(AlreadyExistsException.class,
          () -> kv.blocking().put(arid, Envelope.of("again")));
    } finally {
      System.setOut(stdout);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void closeReleasesTheSocketAndTheThreadAndFailsLaterCalls() throws Exception {
    MainlineDhtKv kv = MainlineDhtKv.start(config(15).build());
    InetSocketAddress address = kv.localAddress();
    assertTrue(kv.bootstrap().get() > 0);
    CompletableFuture<Optional<Envelope>> pending = kv.get(Arid.random(), Duration.ofSeconds(60));
    kv.close();
    kv.close(); // idempotent

    ExecutionException e = assertThrows(ExecutionException.class, pending::get);
    assertInstanceOf(BackendUnavailableException.class, e.getCause());
    e = assertThrows(ExecutionException.class, () -> kv.exists(Arid.random()).get());
    assertInstanceOf(BackendUnavailableException.class, e.getCause());

    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(address); // no SO_REUSEADDR: fails if the DHT socket were still open
    }
    String thread = "hubert-dht " + address.getAddress().getHostAddress() + ":" + address.getPort();
    // the scheduler thread, and the client socket's receiver and timer threads ("<thread> client
    // …"); awaitTermination returns once their tasks are done, a moment before the threads end
    assertFalse(TestNodes.threadsAlive(thread, Duration.ofSeconds(10)), "the node's threads ended");
  }

  @Test
  void stagesRunOnTheStoresCallbackThreadsWhichEndAfterClose() throws Exception {
    MainlineDhtKv kv = MainlineDhtKv.start(config(45).build());
    InetSocketAddress address = kv.localAddress();
    String node = "hubert-dht " + address.getAddress().getHostAddress() + ":" + address.getPort();
    assertTrue(kv.bootstrap().get() > 0);
    String caller = Thread.currentThread().getName();
    List<CompletableFuture<String>> stages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stages.add(kv.exists(Arid.random()).thenApply(x -> Thread.currentThread().getName()));
    }
    for (CompletableFuture<String> stage : stages) {
      String ran = stage.get(30, TimeUnit.SECONDS);
      // the caller's own thread only if the outcome was in before the stage was added
      assertTrue(ran.equals(caller) || ran.startsWith(node + " callbacks "), ran);
    }
    kv.close();
    assertFalse(TestNodes.threadsAlive(node, Duration.ofSeconds(10)), "the callback threads ended");
  }

  @Test
  void oneLookupForExistsAndForAZeroTimeout() {
    Arid arid = Arid.random();
    assertFalse(reader.blocking().exists(arid));
    assertEquals(Optional.empty(), reader.blocking().get(arid, Duration.ZERO));
    writer.blocking().put(arid, Envelope.of("now it exists"));
    assertTrue(reader.blocking().exists(arid));
    assertTrue(reader.blocking().get(arid, Duration.ZERO).isPresent());
  }

  /** The longest Duration as a get timeout: no overflow, the value is found. */
  @Test
  void aHugeGetTimeoutIsCutNotOverflowed() throws Exception {
    Arid arid = Arid.random();
    writer.blocking().put(arid, Envelope.of("found despite a huge timeout"));
    Duration longest = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    assertTrue(reader.get(arid, longest).get(30, TimeUnit.SECONDS).isPresent());
    MainlineDhtKv.Config c = config(13).operationTimeout(longest).lookupTimeout(longest).build();
    assertEquals(Duration.ofDays(36_525), c.operationTimeout());
    assertEquals(Duration.ofDays(36_525), c.lookupTimeout());
  }

  @Test
  void receiptIsThePublicKeyUrlWithTheReplicaCount() {
    Arid arid = Arid.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    Receipt r = writer.blocking().put(arid, Envelope.of("Hello, Hubert!"));
    assertEquals("dht://5553723fa9045ecb6418aa2336ce8100dcde26d2b289d7bce0554c79de3efef4", r.text());
    assertEquals(MldhtNode.REPLICATION, r.replicas().orElseThrow());
  }

  /**
   * No node stored the value and one did not answer the put: it may hold the value all the same,
   * and the error says so (a retry would then find it).
   */
  @Test
  void aPutNoNodeStoredWhileOneDidNotAnswerSaysItMayHoldIt() throws Exception {
    MldhtNode lone = MldhtNode.start(TestNodes.address(17), TestNodes.PORT, List.of(), false,
        Duration.ofSeconds(5));
    try (PutSwallower relay = new PutSwallower(TestNodes.address(18),
            new InetSocketAddress(TestNodes.address(17), TestNodes.PORT));
        MainlineDhtKv kv = MainlineDhtKv.start(config(19).bootstrap(List.of(relay.address()))
            .operationTimeout(Duration.ofSeconds(4)).lookupTimeout(Duration.ofSeconds(2))
            .build())) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> kv.put(Arid.random(), Envelope.of("unanswered")).get(30, TimeUnit.SECONDS));
      BackendUnavailableException cause =
          assertInstanceOf(BackendUnavailableException.class, e.getCause());
      int swallowed = relay.swallowed.get();
      assertTrue(swallowed >= 1, "the put reached the relay: " + cause.getMessage());
      assertTrue(cause.getMessage().contains("stored 0,"), cause.getMessage());
      assertTrue(cause.getMessage().contains(swallowed + " node(s) did not answer and may hold it"),
          cause.getMessage());
    } finally {
      lone.close();
    }
  }

  /**
   * Fault injection: a UDP relay in front of one real node that passes packets both ways (one
   * upstream socket per client, so answers find their way back) but swallows put queries.
   */
  private static final class PutSwallower implements AutoCloseable {
    final AtomicInteger swallowed = new AtomicInteger();
    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final Map<SocketAddress, DatagramSocket> backs = new ConcurrentHashMap<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    PutSwallower(InetAddress bind, InetSocketAddress upstream) throws IOException {
      this.front = new DatagramSocket(new InetSocketAddress(bind, 0));
      this.upstream = upstream;
      start("relay front", () -> pump(front, null));
    }

    InetSocketAddress address() {
      return (InetSocketAddress) front.getLocalSocketAddress();
    }

    private void start(String name, Runnable loop) {
      Thread t = new Thread(loop, name);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    /** Client to node through {@code back(client)} ({@code to == null}), or node to {@code to}. */
    private void pump(DatagramSocket from, SocketAddress to) {
      byte[] buffer = new byte[2048];
      while (!from.isClosed()) {
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
          from.receive(p);
          if (to != null) {
            if (p.getSocketAddress().equals(upstream)) {
              front.send(new DatagramPacket(p.getData(), p.getLength(), to));
            }
          } else if (isPut(p)) {
            swallowed.incrementAndGet();
          } else {
            back(p.getSocketAddress())
                .send(new DatagramPacket(p.getData(), p.getLength(), upstream));
          }
        } catch (IOException e) {
          // closed, or one packet lost: the next receive tells
        }
      }
    }

    private DatagramSocket back(SocketAddress client) {
      return backs.computeIfAbsent(client, c -> {
        try {
          DatagramSocket s = new DatagramSocket(new InetSocketAddress(front.getLocalAddress(), 0));
          start("relay back " + c, () -> pump(s, c));
          return s;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }

    private static boolean isPut(DatagramPacket p) {
      try {
        Object q = new BDecoder().decode(ByteBuffer.wrap(p.getData(), 0, p.getLength())).get("q");
        return q instanceof byte[]
            && Arrays.equals((byte[]) q, "put".getBytes(StandardCharsets.US_ASCII));
      } catch (RuntimeException e) {
        return false; // not bencoded: passed on
      }
    }

    @Override
    public void close() throws InterruptedException {
      front.close();
      backs.values().forEach(DatagramSocket::close);
      for (Thread t : threads) {
        t.join(2000);
      }
    }
  }

  @Test
  void argumentErrorsAreThrownAtOnce() {
    KvStore kv = writer;
    assertThrows(NullPointerException.class, () -> kv.put(null, Envelope.of("x")));
    assertThrows(NullPointerException.class, () -> kv.put(Arid.random(), null));
    assertThrows(IllegalArgumentException.class,
        () -> kv.put(Arid.random(), Envelope.of("x"), Duration.ofSeconds(-1), false));
    assertThrows(NullPointerException.class, () -> kv.get(null, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> kv.get(Arid.random(), Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> kv.exists(null));
  }

}
