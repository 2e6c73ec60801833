package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerKv}'s request timeout is a deadline for the whole exchange, and its errors say what
 * happened: against hand-made servers on loopback that answer too slowly or not at all.
 */
class ServerKvDeadlineTest {
  private static final Duration TRICKLE = Duration.ofSeconds(30);
  private static final byte[] NOT_FOUND_AND_CLOSE =
      "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  @Test
  void aServerTricklingItsAnswerFailsTheCallAtTheRequestTimeout() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    // one byte a second: each read waits far less than the 2 s timeout, the answer takes 30 s
    try (FakeServer server =
        new FakeServer(
            (socket, request) -> {
              byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
              try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < TRICKLE.toSeconds() && !stop.await(1, TimeUnit.SECONDS); i++) {
                  out.write(answer[i % 8]); // "HTTP/1.1" again and again: never a whole status line
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // the client gave up: what this test wants
              }
            });
        ServerKv kv =
            ServerKv.create(
                ServerKv.Config.of("127.0.0.1", server.port()).withRequestTimeout(Duration.ofSeconds(2)))) {
      long t0 = System.nanoTime();
      ExecutionException x =
          assertThrows(
              ExecutionException.class,
              () -> kv.exists(Arid.random()).get(TRICKLE.toSeconds() * 2, TimeUnit.SECONDS));
      long elapsed = System.nanoTime() - t0;
      stop.countDown();
      assertInstanceOf(BackendUnavailableException.class, x.getCause());
      String message = x.getCause().getMessage();
      assertTrue(message.contains("no whole answer from the Hubert server at http://127.0.0.1:"), message);
      assertTrue(message.contains("within the request timeout of 2000 ms"), message);
      assertTrue(
          elapsed < TRICKLE.toNanos() / 2,
          "failed after " + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms, not at the deadline");
    }
  }

  @Test
  void aConnectionClosedBeforeTheAnswerIsNotCalledUnreachable() throws Exception {
    try (FakeServer server =
            new FakeServer(
                (socket, request) -> {
                  try {
                    // a body announced and cut short
                    socket.getOutputStream().write(
                        "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nur:envelope/"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                  } catch (IOException e) {
                    // the client went away first
                  }
                });
        ServerKv kv = ServerKv.create(ServerKv.Config.of("127.0.0.1", server.port()))) {
      ExecutionException x =
          assertThrows(
              ExecutionException.class, () -> kv.exists(Arid.random()).get(60, TimeUnit.SECONDS));
      assertInstanceOf(BackendUnavailableException.class, x.getCause());
      String message = x.getCause().getMessage();
      assertTrue(message.contains("failed before the whole answer arrived"), message);
      assertTrue(!message.contains("cannot reach"), message);
    }
  }

  /** A cancelled get aborts its lookup under way: the server sees the connection closed. */
  @Test
  void cancellingAGetAbortsItsLookupUnderWay() throws Exception {
    // well before the get's own timeout, too
    assertCancelAborts(kv -> kv.get(Arid.random(), Duration.ofSeconds(8), false));
  }

  /** A cancelled exists aborts its exchange under way, as a get does. */
  @Test
  void cancellingAnExistsAbortsItsExchangeUnderWay() throws Exception {
    assertCancelAborts(kv -> kv.exists(Arid.random()));
  }

  /** A cancelled put aborts its exchange under way (it may or may not have been stored). */
  @Test
  void cancellingAPutAbortsItsExchangeUnderWay() throws Exception {
    assertCancelAborts(kv -> kv.put(Arid.random(), Envelope.of("Cancelled"), null, false));
  }

  /** A put cancelled before a thread took it up is never sent. */
  @Test
  void aPutCancelledBeforeItStartsIsNeverSent() throws Exception {
    List<String> requests = Collections.synchronizedList(new ArrayList<>());
    try (FakeServer server =
            new FakeServer(
                (socket, request) -> {
                  requests.add(new String(request, StandardCharsets.UTF_8));
                  try {
                    socket.getOutputStream().write(NOT_FOUND_AND_CLOSE);
                  } catch (IOException e) {
                    // the client went away
                  }
                });
        ServerKv kv = ServerKv.create(ServerKv.Config.of("127.0.0.1", server.port()))) {
      Envelope value = Envelope.of("Never sent");
      int calls = 0;
      int cancelledInTime = 0;
      // a call waits 1 ms for a caller to take it before the pool runs it: count only cancels
      // made well within that
      for (; calls < 20 && cancelledInTime < 3; calls++) {
        long t0 = System.nanoTime();
        CompletableFuture<?> put = kv.put(Arid.random(), value, null, false);
        boolean cancelled = put.cancel(false);
        if (cancelled && System.nanoTime() - t0 < TimeUnit.MICROSECONDS.toNanos(500)) {
          cancelledInTime++;
        }
      }
      assertTrue(cancelledInTime > 0, "no put was cancelled within 0.5 ms of its call");
      // a later call on the same client is answered: the pool had every chance to send the puts
      assertFalse(kv.exists(Arid.random()).get(30, TimeUnit.SECONDS));
      Thread.sleep(200);
      long puts = requests.stream().filter(r -> r.contains(value.urString())).count();
      assertTrue(
          puts <= calls - cancelledInTime,
          puts + " puts reached the server, though " + cancelledInTime + " were cancelled at once");
    }
  }

  /** Starts a call the server never answers, cancels it, and expects the client to hang up. */
  private static void assertCancelAborts(Function<ServerKv, CompletableFuture<?>> call)
      throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch hungUp = new CountDownLatch(1);
    try (FakeServer server =
            new FakeServer(
                (socket, request) -> {
                  asked.countDown();
                  holdUntilClosed(socket);
                  hungUp.countDown();
                });
        ServerKv kv = ServerKv.create(ServerKv.Config.of("127.0.0.1", server.port()))) {
      CompletableFuture<?> pending = call.apply(kv);
      assertTrue(asked.await(30, TimeUnit.SECONDS), "the call reached the server");
      assertTrue(pending.cancel(false));
      // well before the 30 s request timeout
      assertTrue(hungUp.await(5, TimeUnit.SECONDS), "the exchange under way was not aborted");
    }
  }

  /**
   * Calls that their deadline cancels while they wait for one of the 64 pooled connections, or
   * while they connect, fail as too slow, not as cancelled or with HttpClient's exceptions: a
   * server that never answers holds the connections, and a 20 ms timeout expires calls at every
   * step.
   */
  @Test
  void callsCancelledWhileWaitingForAConnectionFailAsTooSlow() throws Exception {
    try (FakeServer server = new FakeServer((socket, request) -> holdUntilClosed(socket));
        ServerKv kv =
            ServerKv.create(
                ServerKv.Config.of("127.0.0.1", server.port())
                    .withRequestTimeout(Duration.ofMillis(20)))) {
      List<CompletableFuture<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(kv.exists(Arid.random()));
      }
      for (CompletableFuture<Boolean> call : calls) {
        ExecutionException x =
            assertThrows(ExecutionException.class, () -> call.get(60, TimeUnit.SECONDS));
        assertInstanceOf(BackendUnavailableException.class, x.getCause());
      }
    }
  }

  /** The classification of an exchange cancelled before it was connected. */
  @Test
  void aCancelWhileWaitingForAConnectionIsTheDeadlineUnlessTheGetWasCancelled() {
    ServerKv kv =
        ServerKv.create(
            ServerKv.Config.of("127.0.0.1", 9).withRequestTimeout(Duration.ofSeconds(3)));
    CancellationException lease = new CancellationException();
    RuntimeException expired = kv.failure(lease, false, false, true);
    assertInstanceOf(BackendUnavailableException.class, expired);
    String message = expired.getMessage();
    assertTrue(message.contains("within the request timeout of 3000 ms"), message);
    assertTrue(message.contains("may or may not have been stored"), message);
    IllegalStateException released = new IllegalStateException("Endpoint not acquired");
    assertInstanceOf(BackendUnavailableException.class, kv.failure(released, false, true, false));
    assertInstanceOf(BackendUnavailableException.class,
        kv.failure(new NullPointerException("Connection"), false, true, false));
    assertEquals(released, kv.failure(released, false, false, false), "not cancelled: as is");
    assertInstanceOf(CancellationException.class, kv.failure(lease, true, true, false));
    assertInstanceOf(CancellationException.class, kv.failure(released, true, false, false));
    kv.close();
    RuntimeException closed = kv.failure(released, true, true, false);
    assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
  }

  /** Reads until the client closes the connection (or 30 s pass). */
  private static void holdUntilClosed(Socket socket) {
    try {
      while (socket.getInputStream().read() >= 0) {
        // a request the client sends again: still no answer
      }
    } catch (IOException e) {
      // reset or timed out: done
    }
  }

  /** Accepts connections on loopback, reads each request, then lets {@code answer} reply. */
  private static final class FakeServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread thread;

    FakeServer(BiConsumer<Socket, byte[]> answer) throws IOException {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket s = listener.accept()) {
                    s.setSoTimeout(30_000);
                    answer.accept(s, readRequest(s.getInputStream()));
                  } catch (IOException e) {
                    // closed: done
                  }
                }
              },
              "fake-hubert-server");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      listener.close();
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  /** Headers up to the blank line, then Content-Length bytes of body. */
  private static byte[] readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        break;
      }
    }
    String headers = head.toString(StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
    int at = headers.indexOf("content-length:");
    int length = at < 0 ? 0 : Integer.parseInt(headers.substring(at + 15, headers.indexOf('\r', at)).trim());
    return in.readNBytes(length);
  }
}
