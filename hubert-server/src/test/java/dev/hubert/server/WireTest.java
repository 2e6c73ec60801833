package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference's wire protocol, byte for byte (spec §8.2), against a real server with each
 * storage: routes, bodies, texts, status codes, content types; and bad input.
 */
@ParameterizedClass(name = "{0} storage")
@ValueSource(strings = {"memory", "sqlite"})
class WireTest {
  // spec §12.3: ARID A1 and Envelope::new("Hello, Hubert!")
  static final String A1 =
      "ur:arid/hdcxuestvsdemusrdlkngwtosweortdwbasrdrfxhssgfmvlrflthdplatjydmmwahgdwlflguqz";
  static final String HELLO = "ur:envelope/tpsojtfdihjzjzjldwcxfdkpidihjpjyclvdimrfam";
  static final String TEXT = "text/plain; charset=utf-8";

  @Parameter String kind;
  @TempDir Path dir;

  private HubertServer server;
  private String base;

  @BeforeEach
  void start() {
    Storage storage =
        kind.equals("memory") ? Storage.memory() : Storage.sqlite(dir.resolve("hubert.sqlite"));
    server = ServerFixture.start(storage, b -> b.maxBodyBytes(64 * 1024));
    base = server.baseUrl();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static void assertResponse(int status, String body, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), () -> "status; body was: " + r.body());
    assertEquals(body, r.body());
    if (!body.isEmpty()) {
      assertEquals(TEXT, r.headers().firstValue("content-type").orElse(null));
    }
  }

  private void assertAbsent(String aridUr) throws Exception {
    assertResponse(404, "Not found", Http.post(base, "/get", aridUr));
  }

  @Test
  void healthIsTheReferenceJsonAsPlainText() throws Exception {
    HttpResponse<String> r = Http.request(base, "GET", "/health");
    assertResponse(200, "{\"server\":\"hubert\",\"status\":\"ok\",\"version\":\"0.5.0\"}", r);
  }

  @Test
  void specExamplePutThenGet() throws Exception {
    assertAbsent(A1);
    assertResponse(200, "OK", Http.post(base, "/put", A1 + "\n" + HELLO + "\n3600"));
    assertResponse(200, HELLO, Http.post(base, "/get", A1));
    assertResponse(409, A1 + " already exists", Http.post(base, "/put", A1 + "\n" + HELLO));
    assertResponse(200, HELLO, Http.post(base, "/get", A1), "the first value stays");
  }

  private static void assertResponse(int status, String body, HttpResponse<String> r, String why) {
    assertEquals(status, r.statusCode(), why);
    assertEquals(body, r.body(), why);
  }

  @Test
  void putWithoutTtlAndReferenceLineRules() throws Exception {
    Arid a = Arid.random();
    Envelope e = Envelope.of("Test").addAssertion("key", "value");
    // CRLF line ends, extra lines ignored, upper-case UR (QR form) accepted
    String body = a.urString().toUpperCase(java.util.Locale.ROOT) + "\r\n" + e.urString() + "\r\n60\r\nextra\n";
    assertResponse(200, "OK", Http.post(base, "/put", body));
    // get trims surrounding whitespace
    assertResponse(200, e.urString(), Http.post(base, "/get", "  \t" + a.urString() + "\n\n"));
  }

  @Test
  void ttlAcceptsWhatRustU64Accepts() throws Exception {
    for (String ttl : new String[] {"+5", "0007", "18446744073709551615"}) {
      Arid a = Arid.random();
      assertResponse(200, "OK", Http.post(base, "/put", a.urString() + "\n" + HELLO + "\n" + ttl), ttl);
      if (!ttl.equals("0")) {
        assertResponse(200, HELLO, Http.post(base, "/get", a.urString()), ttl);
      }
    }
  }

  @Test
  void ttlZeroIsAcceptedAndExpiresAtOnce() throws Exception {
    Arid a = Arid.random();
    assertResponse(200, "OK", Http.post(base, "/put", a.urString() + "\n" + HELLO + "\n0"));
    assertAbsent(a.urString());
  }

  @Test
  void badPutsGet400WithTheReferenceTextsAndStoreNothing() throws Exception {
    Arid a = Arid.random();
    String arid = a.urString();
    char last = arid.charAt(arid.length() - 1);
    String damaged = arid.substring(0, arid.length() - 1) + (last == 'a' ? 'e' : 'a');
    String[][] cases = {
      {"", "Expected at least 2 lines: ur:arid and ur:envelope"},
      {arid, "Expected at least 2 lines: ur:arid and ur:envelope"},
      {arid + "\n", "Expected at least 2 lines: ur:arid and ur:envelope"},
      {"not-an-arid\n" + HELLO, "Invalid ur:arid"},
      {" " + arid + "\n" + HELLO, "Invalid ur:arid"}, // no trimming of put lines
      {HELLO + "\n" + HELLO, "Invalid ur:arid"}, // wrong UR type
      {damaged + "\n" + HELLO, "Invalid ur:arid"}, // checksum or byteword broken
      {arid + "\nnot-an-envelope", "Invalid ur:envelope"},
      {arid + "\n" + arid, "Invalid ur:envelope"},
      {arid + "\n" + HELLO + " ", "Invalid ur:envelope"},
      {arid + "\n" + HELLO + "\r", "Invalid ur:envelope"}, // a final bare \r is no line end
      {arid + "\n" + HELLO + "\n60\r", "Invalid TTL"},
      {arid + "\n" + HELLO + "\n\n", "Invalid TTL"}, // an empty third line is not "no TTL"
      {arid + "\n" + HELLO + "\nabc", "Invalid TTL"},
      {arid + "\n" + HELLO + "\n-1", "Invalid TTL"},
      {arid + "\n" + HELLO + "\n 5", "Invalid TTL"},
      {arid + "\n" + HELLO + "\n1.5", "Invalid TTL"},
      {arid + "\n" + HELLO + "\n+", "Invalid TTL"},
      {arid + "\n" + HELLO + "\n18446744073709551616", "Invalid TTL"},
    };
    for (String[] c : cases) {
      assertResponse(400, c[1], Http.post(base, "/put", c[0]), "body: " + c[0]);
    }
    byte[] badUtf8 = (arid + "\n" + HELLO + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    badUtf8 = Arrays.copyOf(badUtf8, badUtf8.length + 2);
    badUtf8[badUtf8.length - 2] = (byte) 0xc3; // truncated two-byte sequence
    badUtf8[badUtf8.length - 1] = (byte) 0x28;
    assertResponse(400, "Invalid UTF-8", Http.post(base, "/put", badUtf8));
    byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80}; // CESU surrogate: not UTF-8
    assertResponse(400, "Invalid UTF-8", Http.post(base, "/put", surrogate));
    assertAbsent(arid);
  }

  @Test
  void badGetsGet400WithTheReferenceTexts() throws Exception {
    assertResponse(400, "Expected ur:arid", Http.post(base, "/get", ""));
    assertResponse(400, "Expected ur:arid", Http.post(base, "/get", " \r\n\t\u00a0\u3000"));
    assertResponse(400, "Invalid ur:arid", Http.post(base, "/get", "ur:arid/nonsense"));
    assertResponse(400, "Invalid ur:arid", Http.post(base, "/get", HELLO));
    assertResponse(400, "Invalid UTF-8", Http.post(base, "/get", new byte[] {(byte) 0xff}));
    assertResponse(404, "Not found", Http.post(base, "/get", Arid.random().urString()));
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() throws Exception {
    for (String path : new String[] {"/", "/nope", "/health/", "/put/x", "/GET"}) {
      HttpResponse<String> r = Http.request(base, "GET", path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("", r.body(), path);
    }
    assertEquals(405, Http.request(base, "GET", "/put").statusCode());
    assertEquals(405, Http.request(base, "GET", "/get").statusCode());
    assertEquals(405, Http.request(base, "PUT", "/put").statusCode());
    assertEquals(405, Http.request(base, "DELETE", "/get").statusCode());
    HttpResponse<String> r = Http.request(base, "POST", "/health");
    assertEquals(405, r.statusCode());
    assertEquals("GET,HEAD", r.headers().firstValue("allow").orElse(null));
    assertEquals("POST", Http.request(base, "GET", "/put").headers().firstValue("allow").orElse(null));
  }

  @Test
  void bodiesOverTheLimitGet413AndStoreNothing() throws Exception {
    Arid a = Arid.random();
    Envelope big = Envelope.of("x".repeat(70 * 1024));
    String body = a.urString() + "\n" + big.urString();
    HttpResponse<String> r = Http.post(base, "/put", body);
    assertResponse(413, "Failed to buffer the request body: length limit exceeded", r);
    assertEquals("65536", r.headers().firstValue("x-hubert-body-limit").orElse(null));
    // the same body without a Content-Length (chunked): counted while it arrives
    r = Http.postChunked(base, "/put", new ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(413, r.statusCode());
    assertAbsent(a.urString());
    // the server keeps serving, and a body just under the limit is fine
    Envelope fits = Envelope.of("y".repeat(30 * 1024));
    assertResponse(200, "OK", Http.post(base, "/put", a.urString() + "\n" + fits.urString()));
    assertResponse(200, fits.urString(), Http.post(base, "/get", a.urString()));
  }

  @Test
  void aClientStillSendingAnOversizedBodyReadsThe413() throws Exception {
    // a client that writes its whole body before it reads (most do, without Expect): the server
    // reads and drops the rest before closing, or the close would reset the 413 away
    byte[] body = new byte[200 * 1024];
    Arrays.fill(body, (byte) 'x');
    for (int round = 0; round < 5; round++) {
      try (java.net.Socket s = Http.connect(server.port(), java.time.Duration.ofSeconds(20))) {
        Http.write(s, "POST /put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n");
        Thread.sleep(100); // the server has decided by now; the body is still on its way
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
        String reply = Http.readAll(s);
        assertTrue(reply.startsWith("HTTP/1.1 413 "), "round " + round + ": " + reply);
        assertTrue(reply.endsWith(ServerHandler.TOO_LARGE), reply);
      }
    }
    assertResponse(200, "OK", Http.post(base, "/put", A1 + "\n" + HELLO));
  }

  /** The drain counts past the limit: a body declared up to 1 MiB over it is read to its end. */
  @Test
  void theServerReadsADeclaredBodyUpToTheDrainLimitBeforeItAnswers() throws Exception {
    int limit = 64 * 1024;
    int declared = limit + ServerHandler.DRAIN_BYTES;
    int held = 32 * 1024;
    byte[] body = new byte[declared];
    Arrays.fill(body, (byte) 'x');
    try (java.net.Socket s = Http.connect(server.port(), java.time.Duration.ofSeconds(2))) {
      Http.write(s, "POST /put HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + declared + "\r\n\r\n");
      s.getOutputStream().write(body, 0, declared - held);
      s.getOutputStream().flush();
      // all but the last 32 KiB sent: the server still reads, and has not answered
      assertThrows(java.net.SocketTimeoutException.class, () -> s.getInputStream().read());
      s.getOutputStream().write(body, declared - held, held);
      s.getOutputStream().flush();
      s.setSoTimeout(20_000);
      String reply = Http.readAll(s);
      assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
      assertTrue(reply.endsWith(ServerHandler.TOO_LARGE), reply);
    }
  }

  @Test
  void anOversizedBodyBehindExpectContinueIsRefusedBeforeItIsSent() throws Exception {
    try (java.net.Socket s = Http.connect(server.port(), java.time.Duration.ofSeconds(20))) {
      Http.write(
          s,
          "POST /put HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
              + "Content-Length: 204800\r\n\r\n");
      String reply = Http.readAll(s); // the server answers and closes without the body
      assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
      assertTrue(reply.endsWith(ServerHandler.TOO_LARGE), reply);
    }
  }

  @Test
  void storedEnvelopeIsReturnedInCanonicalForm() throws Exception {
    Arid a = Arid.random();
    Envelope e = Envelope.of("Alice").addAssertion("knows", "Bob").addAssertion("knows", "Carol");
    assertResponse(200, "OK", Http.post(base, "/put", a.urString() + "\n" + e.urString().toUpperCase(java.util.Locale.ROOT)));
    HttpResponse<String> r = Http.post(base, "/get", a.urString());
    assertResponse(200, e.urString(), r);
    assertTrue(Envelope.fromUr(r.body()).isIdenticalTo(e));
  }
}
