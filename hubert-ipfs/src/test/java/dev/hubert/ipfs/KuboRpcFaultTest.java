package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.ContentNotFoundException;
import dev.hubert.envelope.Arid;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Error paths of the RPC client against a scripted daemon: typed errors, bounded time. */
class KuboRpcFaultTest {
  /** Generous bound that only stops hangs (the client's own deadlines are about 1–4 s here). */
  private static final Duration NO_HANG = Duration.ofSeconds(30);
  private ScriptedDaemon daemon;
  private ExecutorService executor;
  private final List<KuboRpc> clients = new ArrayList<>();
  private KuboRpc rpc;

  @BeforeEach
  void start() throws Exception {
    daemon = new ScriptedDaemon();
    executor = Executors.newCachedThreadPool();
    // generous: only the slow-daemon tests rely on deadlines, and they set short ones
    rpc = client(daemon.uri(), Duration.ofSeconds(10), Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    clients.forEach(KuboRpc::close);
    executor.shutdownNow();
    daemon.close();
  }

  private KuboRpc client(URI uri, Duration connectTimeout, Duration callTimeout) {
    KuboRpc c = new KuboRpc(uri, connectTimeout, callTimeout, executor);
    clients.add(c);
    return c;
  }

  @Test
  void daemonErrorIsABackendExceptionCarryingTheDaemonsMessage() {
    daemon.error("name/publish", "no key by the given name was found");
    BackendException e = assertThrows(BackendException.class,
        () -> rpc.publish("QmX", "k", Optional.empty()));
    assertTrue(e.getMessage().contains("no key by the given name was found"), e.getMessage());
    assertTrue(e.getMessage().contains("name/publish"), e.getMessage());
    assertEquals("POST", daemon.last("name/publish").method);
  }

  @Test
  void nonJsonErrorBodyIsCarriedVerbatim() {
    daemon.reply("key/list", 502, "bad gateway from a proxy");
    BackendException e = assertThrows(BackendException.class, () -> rpc.keyList());
    assertTrue(e.getMessage().contains("bad gateway from a proxy"), e.getMessage());
  }

  @Test
  void malformedJsonIsABackendException() {
    daemon.reply("key/list", 200, "{\"Keys\":[{\"Name\":");
    BackendException e = assertThrows(BackendException.class, () -> rpc.keyList());
    assertTrue(e.getMessage().contains("unexpected response"), e.getMessage());
    daemon.reply("key/list", 200, "[1,2]");
    assertThrows(BackendException.class, () -> rpc.keyList());
    daemon.reply("key/list", 200, "{\"Keys\":7}");
    assertThrows(BackendException.class, () -> rpc.keyList());
    daemon.reply("add", 200, "{\"Name\":\"data\",\"Size\":\"3\"}");
    e = assertThrows(BackendException.class, () -> rpc.add(new byte[3], false));
    assertTrue(e.getMessage().contains("Hash"), e.getMessage());
    daemon.reply("add", 200, "");
    assertThrows(BackendException.class, () -> rpc.add(new byte[3], false));
  }

  @Test
  void unknownCommandSaysTheUrlIsNotAnRpcApi() {
    BackendException e = assertThrows(BackendException.class, () -> rpc.keyList());
    assertTrue(e.getMessage().contains("no RPC command key/list"), e.getMessage());
  }

  /**
   * A 404 or 405 means the URL is wrong, even when its text says "not found" (js-ipfs: {@code Not
   * Found}, Kubo: {@code 404 page not found}): never a name that is not published.
   */
  @Test
  void missingResolveCommandIsAnErrorNotAnUnpublishedName() {
    for (String body : new String[] {
        "{\"Message\":\"Not Found\",\"Code\":3}", "404 page not found"}) {
      daemon.reply("name/resolve", 404, body);
      BackendException e = assertThrows(BackendException.class,
          () -> rpc.resolve("12D3KooWx", Duration.ofSeconds(5)), body);
      assertTrue(e.getMessage().contains("no RPC command name/resolve"), e.getMessage());
    }
    daemon.reply("name/resolve", 405, "405 method not allowed: not found");
    assertThrows(BackendException.class, () -> rpc.resolve("12D3KooWx", Duration.ofSeconds(5)));
  }

  @Test
  void keyListIsDeduplicatedAndAddTakesTheLastNdjsonLine() {
    daemon.reply("key/list", 200, "{\"Keys\":[{\"Name\":\"self\",\"Id\":\"1\"},"
        + "{\"Name\":\"self\",\"Id\":\"1\"},{\"Name\":\"k\",\"Id\":\"2\"},{\"Name\":\"k\",\"Id\":\"2\"}]}");
    assertEquals(Map.of("self", "1", "k", "2"), rpc.keyList());
    daemon.reply("key/list", 200, "{\"Keys\":null}");
    assertEquals(Map.of(), rpc.keyList());
    daemon.reply("add", 200, "{\"Name\":\"a\",\"Hash\":\"QmA\",\"Size\":3}\n"
        + "{\"Name\":\"data\",\"Hash\":\"QmB\",\"Size\":\"3\"}\n");
    assertEquals("QmB", rpc.add("abc".getBytes(StandardCharsets.UTF_8), true));
    ScriptedDaemon.Request add = daemon.last("add");
    assertEquals("true", add.param("pin"));
    String body = new String(add.body, StandardCharsets.ISO_8859_1);
    assertTrue(add.contentType.startsWith("multipart/form-data; boundary="), add.contentType);
    assertTrue(body.contains("Content-Type: application/octet-stream\r\n\r\nabc\r\n"), body);
  }

  @Test
  void resolveTreatsEveryNotFoundWordingAsEmpty() {
    for (String message : new String[] {
        "could not resolve name", "routing: not found",
        "record requested for k51x was not found in the network", "record has expired",
        "context deadline exceeded", "no link named \\\"x\\\" under Qm"}) {
      daemon.error("name/resolve", message);
      assertEquals(Optional.empty(), rpc.resolve("12D3KooWx", Duration.ofSeconds(5)), message);
    }
    daemon.error("name/resolve", "failed to dial: permission denied");
    BackendException e = assertThrows(BackendException.class,
        () -> rpc.resolve("12D3KooWx", Duration.ofSeconds(5)));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
    daemon.reply("name/resolve", 200, "{\"Path\":\"/ipfs/QmC\"}");
    assertEquals(Optional.of("/ipfs/QmC"), rpc.resolve("12D3KooWx", Duration.ofMillis(1500)));
    ScriptedDaemon.Request r = daemon.last("name/resolve");
    assertEquals("12D3KooWx", r.param("arg"));
    assertEquals("false", r.param("recursive"));
    assertEquals("1500ms", r.param("timeout"));
  }

  @Test
  void catSendsLengthAndTimeoutAndReportsMissingContent() {
    daemon.reply("cat", 200, "hello");
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), rpc.cat("QmC", 10, Duration.ofSeconds(2)));
    assertEquals("11", daemon.last("cat").param("length"));
    assertEquals("2000ms", daemon.last("cat").param("timeout"));
    daemon.error("cat", "Failed to cat file: request timed out");
    assertThrows(ContentNotFoundException.class, () -> rpc.cat("QmC", 10, Duration.ofSeconds(5)));
    daemon.error("cat", "invalid path \\\"QmC\\\"");
    assertThrows(BackendException.class, () -> rpc.cat("QmC", 10, Duration.ofSeconds(5)));
  }

  @Test
  void slowHeadersTimeOutAsUnavailable() {
    KuboRpc impatient = client(daemon.uri(), Duration.ofSeconds(10), Duration.ofSeconds(1));
    daemon.on("key/list", (ex, req) -> Thread.sleep(60_000));
    BackendUnavailableException e = assertTimeoutPreemptively(NO_HANG,
        () -> assertThrows(BackendUnavailableException.class, impatient::keyList));
    assertTrue(e.getMessage().contains("did not answer key/list"), e.getMessage());
    // a call with a daemon-side timeout gets that plus slack, still bounded
    daemon.on("name/resolve", (ex, req) -> Thread.sleep(60_000));
    assertTimeoutPreemptively(NO_HANG, () -> assertThrows(BackendUnavailableException.class,
        () -> rpc.resolve("12D3KooWx", Duration.ofMillis(500))));
  }

  @Test
  void slowBodyTimesOutAsUnavailable() {
    daemon.stall("cat");
    assertTimeoutPreemptively(NO_HANG, () -> assertThrows(BackendUnavailableException.class,
        () -> rpc.cat("QmC", 1000, Duration.ofMillis(200))));
  }

  /**
   * Many calls that run out of time fail on the executor given to the client, all of them: not
   * on a new thread each (CompletableFuture's delayed executor on two cores), nor on the client's
   * one timer thread, which close() ends.
   */
  @Test
  void timedOutCallsFailOnTheGivenExecutorAndOneTimerThread() throws Exception {
    daemon.stall("name/resolve");
    ExecutorService one = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-expiries"));
    try {
      KuboRpc slow = new KuboRpc(daemon.uri(), Duration.ofSeconds(10), Duration.ofSeconds(20), one);
      Set<String> failedOn = ConcurrentHashMap.newKeySet();
      List<CompletableFuture<Optional<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // deadline: 1 ms for the daemon, plus the client's slack
        calls.add(slow.resolveAsync("12D3KooWx", Duration.ofMillis(1))
            .whenComplete((r, e) -> failedOn.add(Thread.currentThread().getName())));
      }
      for (CompletableFuture<Optional<String>> call : calls) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> call.get(NO_HANG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(BackendUnavailableException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("did not answer name/resolve"),
            e.getCause().getMessage());
      }
      assertEquals(Set.of("test-expiries"), failedOn);
      List<Thread> timers = daemon.clientTimers();
      assertEquals(1, timers.size(), "timer threads: " + timers);
      slow.close();
      timers.get(0).join(NO_HANG.toMillis());
      assertFalse(timers.get(0).isAlive());
      slow.close(); // idempotent
      BackendUnavailableException closed = assertThrows(BackendUnavailableException.class,
          () -> slow.resolve("12D3KooWx", Duration.ofMillis(1)));
      assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void oversizedAnswerIsRefused() {
    daemon.on("key/list", (ex, req) -> {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        for (int i = 0; i < 100; i++) {
          out.write(chunk);
        }
      }
    });
    BackendException e = assertThrows(BackendException.class, () -> rpc.keyList());
    assertTrue(e.getMessage().contains("more than"), e.getMessage());
  }

  @Test
  void connectionRefusedIsUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    KuboRpc nobody = client(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2),
        Duration.ofSeconds(2));
    BackendUnavailableException e = assertTimeoutPreemptively(NO_HANG,
        () -> assertThrows(BackendUnavailableException.class, nobody::keyList));
    assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
  }

  @Test
  void dialectComesFromVersion() {
    daemon.reply("version", 200, "{\"Version\":\"0.29.0\",\"Commit\":\"\",\"Repo\":\"16\","
        + "\"System\":\"amd64/linux\",\"Golang\":\"go1.22.4\"}");
    assertEquals(KuboRpc.Dialect.KUBO, rpc.dialect());
    daemon.reply("version", 200, "{\"Version\":\"0.18.1\",\"Commit\":\"\",\"Repo\":\"12\","
        + "\"ipfs-core\":\"0.18.1\"}");
    assertEquals(KuboRpc.Dialect.JS_IPFS, rpc.dialect());
  }

  @Test
  void kuboKeyImportIsMultipartProtobuf() {
    IpnsKey key = IpnsKey.of(Arid.random());
    daemon.reply("key/import", 200, "{\"Name\":\"" + key.keyName() + "\",\"Id\":\"k51x\"}");
    assertEquals("k51x", rpc.keyImport(key, KuboRpc.Dialect.KUBO));
    ScriptedDaemon.Request r = daemon.last("key/import");
    assertEquals(key.keyName(), r.param("arg"));
    assertEquals("libp2p-protobuf-cleartext", r.param("format"));
    assertTrue(r.contentType.startsWith("multipart/form-data"), r.contentType);
    assertArrayEquals(key.privateKeyProtobuf(), multipartContent(r.body));
  }

  @Test
  void jsIpfsKeyImportIsQueryOnly() {
    IpnsKey key = IpnsKey.of(Arid.random());
    daemon.reply("key/import", 200, "{\"Name\":\"" + key.keyName() + "\",\"Id\":\"12D3x\"}");
    assertEquals("12D3x", rpc.keyImport(key, KuboRpc.Dialect.JS_IPFS));
    ScriptedDaemon.Request r = daemon.last("key/import");
    assertEquals(key.keyName(), r.param("arg"));
    assertTrue(r.param("pem").startsWith("m"), r.param("pem"));
    assertEquals(32, r.param("password").length());
    assertEquals(0, r.body.length);
  }

  /** The content of the single part of a multipart body. */
  static byte[] multipartContent(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    int start = s.indexOf("\r\n\r\n") + 4;
    int end = s.lastIndexOf("\r\n--");
    return Arrays.copyOfRange(body, start, end);
  }
}
