package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference's {@code tests/test_cli_check.rs}, and every answer {@code check} gives for the
 * server and IPFS, against small HTTP servers this test runs on loopback.
 */
class CliCheckIT {
  private HttpServer http;

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  private int serve(String method, String path, int status, String body) throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicReference<String> seen = new AtomicReference<>();
    http.createContext(
        path,
        exchange -> {
          seen.set(exchange.getRequestMethod());
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          int code = exchange.getRequestMethod().equals(method) ? status : 405;
          exchange.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(b);
          }
        });
    http.start();
    return http.getAddress().getPort();
  }

  private static void okOrNotAvailable(HubertCli.Result r, String available) {
    String all = r.out + r.err;
    assertTrue(all.contains(available) || all.contains("not available"), r::toString);
    assertEquals(all.contains(available) ? 0 : 1, r.exit, r::toString);
  }

  @Test
  void checkMainline() {
    okOrNotAvailable(HubertCli.run("check", "--storage", "mainline"), "Mainline DHT is available");
  }

  @Test
  void checkMainlineDefault() {
    okOrNotAvailable(HubertCli.run("check"), "Mainline DHT is available");
  }

  @Test
  void checkWithShortFlag() {
    okOrNotAvailable(HubertCli.run("check", "-s", "mainline"), "Mainline DHT is available");
  }

  @Test
  void checkIpfs() {
    okOrNotAvailable(HubertCli.run("check", "--storage", "ipfs"), "IPFS is available");
  }

  @Test
  void ipfsAvailable() throws IOException {
    int port = serve("POST", "/api/v0/version", 200, "{\"Version\":\"0.38.0\"}");
    HubertCli.Result r = HubertCli.run("check", "-t", "60", "-s", "ipfs", "--port", "" + port);
    assertEquals(0, r.exit, r::toString);
    assertEquals("✓ IPFS is available at 127.0.0.1:" + port + "\n", r.out);
    assertEquals("", r.err);
    r = HubertCli.run("check", "-t", "60", "-s", "ipfs", "--ipfs-url", "http://127.0.0.1:" + port);
    assertEquals("✓ IPFS is available at 127.0.0.1:" + port + "\n", r.out, r::toString);
  }

  @Test
  void ipfsDaemonError() throws IOException {
    int port = serve("POST", "/api/v0/version", 500, "boom");
    CliBasicIT.error(
        HubertCli.run("check", "-t", "60", "-s", "ipfs", "--port", "" + port),
        "✗ IPFS daemon returned error: 500 Internal Server Error");
  }

  @Test
  void ipfsNotAvailable() throws IOException {
    int port = closedPort();
    CliBasicIT.error(
        HubertCli.run("check", "-t", "60", "-s", "ipfs", "--port", "" + port),
        "✗ IPFS is not available at 127.0.0.1:" + port + ": connection refused");
  }

  @Test
  void serverAvailable() throws IOException {
    int port = serve("GET", "/health", 200, "{\"server\":\"hubert\",\"status\":\"ok\",\"version\":\"0.5.0\"}");
    HubertCli.Result r = HubertCli.run("check", "-t", "60", "-s", "server", "--port", "" + port);
    assertEquals(0, r.exit, r::toString);
    assertEquals("✓ Hubert server is available at 127.0.0.1:" + port + " (version 0.5.0)\n", r.out);
    r = HubertCli.run("c", "-t", "60", "-s", "server", "--host", "localhost", "--port", "" + port);
    assertEquals("✓ Hubert server is available at localhost:" + port + " (version 0.5.0)\n", r.out,
        r::toString);
  }

  @Test
  void serverWithoutVersion() throws IOException {
    int port = serve("GET", "/health", 200, "{\"server\":\"hubert\"}");
    HubertCli.Result r =
        HubertCli.run("check", "-t", "60", "-s", "server", "--server-url", "http://127.0.0.1:" + port);
    assertEquals(
        "✓ Hubert server is available at 127.0.0.1:" + port + " (version unknown)\n", r.out,
        r::toString);
  }

  @Test
  void notAHubertServer() throws IOException {
    int port = serve("GET", "/health", 200, "{\"server\":\"nginx\"}");
    CliBasicIT.error(
        HubertCli.run("check", "-t", "60", "-s", "server", "--port", "" + port),
        "✗ Server at 127.0.0.1:" + port + " is not a Hubert server");
  }

  @Test
  void invalidHealthResponse() throws IOException {
    int port = serve("GET", "/health", 200, "<html>hello</html>");
    CliBasicIT.error(
        HubertCli.run("check", "-t", "60", "-s", "server", "--port", "" + port),
        "✗ Server at 127.0.0.1:" + port + " returned invalid health response");
  }

  @Test
  void serverErrorStatus() throws IOException {
    int port = serve("GET", "/health", 503, "");
    CliBasicIT.error(
        HubertCli.run("check", "-t", "60", "-s", "server", "--port", "" + port),
        "✗ Server at 127.0.0.1:" + port + " is not available (status: 503 Service Unavailable)");
  }

  @Test
  void serverNotAvailable() throws IOException {
    int port = closedPort();
    CliBasicIT.error(
        HubertCli.run("check", "-t", "60", "-s", "server", "--port", "" + port),
        "✗ Server is not available at 127.0.0.1:" + port + ": connection refused");
  }

  @Test
  void serverThatNeverAnswersTimesOut() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = silent.getLocalPort(); // accepts (backlog) but never answers
      CliBasicIT.error(
          HubertCli.run("check", "-s", "server", "--port", "" + port),
          "✗ Server is not available at 127.0.0.1:" + port + ": connection timeout");
    }
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
