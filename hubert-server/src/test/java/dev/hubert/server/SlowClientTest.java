package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow, stalled, half-open and malformed connections: each ends with a clear 4xx or a closed
 * connection after the idle timeout; nothing is stored; the server keeps serving meanwhile.
 */
class SlowClientTest {
  private HubertServer server;
  private String put;
  private Arid arid;

  @BeforeEach
  void start() {
    server =
        ServerFixture.start(
            Storage.memory(), b -> b.idleTimeout(Duration.ofMillis(1_500)).maxThreads(16));
    arid = Arid.random();
    put = arid.urString() + "\n" + Envelope.of("stalled").urString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void assertNothingStored() throws Exception {
    assertEquals(404, Http.postOnNewConnection(server.port(), "/get", arid.urString()));
  }

  // new connections each time: this server closes idle ones after 1.5 s, as long as these tests
  // wait, so a pooled one could be closed under its reuse
  private void assertStillServing() throws Exception {
    Arid other = Arid.random();
    String body = other.urString() + "\n" + Envelope.of("fine").urString();
    assertEquals(200, Http.postOnNewConnection(server.port(), "/put", body));
    assertEquals(200, Http.postOnNewConnection(server.port(), "/get", other.urString()));
  }

  @Test
  void silentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (Socket s = Http.connect(server.port(), Duration.ofSeconds(20))) {
      long t0 = System.nanoTime();
      assertEquals("", Http.readAll(s), "nothing to answer: the server just closes");
      assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(1_000).toNanos(), "not before the timeout");
    }
    assertStillServing();
  }

  @Test
  void stalledHeadersAreDroppedAfterTheIdleTimeout() throws Exception {
    try (Socket s = Http.connect(server.port(), Duration.ofSeconds(20))) {
      Http.write(s, "POST /put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le");
      String reply = Http.readAll(s);
      assertTrue(reply.isEmpty() || reply.startsWith("HTTP/1.1 4"), reply);
    }
    assertNothingStored();
    assertStillServing();
  }

  @Test
  void stalledBodyGets408AndNothingIsStored() throws Exception {
    try (Socket s = Http.connect(server.port(), Duration.ofSeconds(20))) {
      byte[] body = put.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Http.write(
          s,
          "POST /put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
              + body.length
              + "\r\n\r\n"
              + put.substring(0, put.length() / 2));
      String reply = Http.readAll(s);
      assertTrue(reply.startsWith("HTTP/1.1 408 "), reply);
      assertTrue(reply.endsWith("Request body timed out"), reply);
    }
    assertNothingStored();
    assertStillServing();
  }

  @Test
  void manyStalledBodiesDoNotStarveOtherClients() throws Exception {
    // more stalled uploads than the server has threads: reading does not hold a thread
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        Socket s = Http.connect(server.port(), Duration.ofSeconds(20));
        stalled.add(s);
        Http.write(s, "POST /put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\nur:arid/");
      }
      assertStillServing();
      for (Socket s : stalled) {
        String reply = Http.readAll(s);
        assertTrue(reply.startsWith("HTTP/1.1 408 "), reply);
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
    assertStillServing();
  }

  @Test
  void malformedRequestsGet400() throws Exception {
    for (String garbage :
        new String[] {
          "HELLO\r\n\r\n",
          "POST /put HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
          "POST /put HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
          "POST /put HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        }) {
      try (Socket s = Http.connect(server.port(), Duration.ofSeconds(20))) {
        Http.write(s, garbage);
        String reply = Http.readAll(s);
        assertTrue(reply.startsWith("HTTP/1.1 400 "), garbage + " -> " + reply);
      }
    }
    assertNothingStored();
    assertStillServing();
  }
}
