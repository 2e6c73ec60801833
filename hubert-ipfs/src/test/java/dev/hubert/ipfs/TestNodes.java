package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The two js-ipfs test nodes that {@code scripts/setup.d/30-ipfs.sh} starts in the test namespace:
 * A (writer, default {@code http://127.0.0.1:5001}) and B (reader, {@code :5002}), swarm-connected.
 * Override with system properties {@code hubert.ipfs.a}/{@code hubert.ipfs.b} or environment
 * variables {@code HUBERT_IPFS_A}/{@code HUBERT_IPFS_B}. A node that does not answer fails the
 * test with instructions; it never skips.
 */
final class TestNodes {
  private TestNodes() {}

  static URI a() {
    return node("a", "http://127.0.0.1:5001");
  }

  static URI b() {
    return node("b", "http://127.0.0.1:5002");
  }

  /**
   * A raw RPC call to a node, for test set-up and inspection: {@code POST /api/v0/<commandAndQuery>}
   * (query values already URL-safe). Returns {@code "<status> <body>"}.
   */
  static String raw(URI node, String commandAndQuery) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(node + "/api/v0/" + commandAndQuery))
              .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (Exception e) {
      throw new AssertionError("raw RPC " + commandAndQuery + " to " + node + " failed", e);
    }
  }

  /** The CID a node would give {@code data} ({@code add?only-hash=true}: nothing is stored). */
  static String onlyHash(URI node, byte[] data) {
    String boundary = "only-hash-boundary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"data\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(head);
    body.writeBytes(data);
    body.writeBytes(tail);
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(node + "/api/v0/add?only-hash=true&pin=false"))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
          HttpResponse.BodyHandlers.ofString());
      return com.google.gson.JsonParser.parseString(r.body().trim()).getAsJsonObject()
          .get("Hash").getAsString();
    } catch (Exception e) {
      throw new AssertionError("only-hash add to " + node + " failed", e);
    }
  }

  private static URI node(String name, String fallback) {
    String value = System.getProperty("hubert.ipfs." + name);
    if (value == null || value.isBlank()) {
      value = System.getenv("HUBERT_IPFS_" + name.toUpperCase(Locale.ROOT));
    }
    URI uri = URI.create(value == null || value.isBlank() ? fallback : value);
    requireReachable(name, uri);
    return uri;
  }

  private static void requireReachable(String name, URI uri) {
    try {
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(uri.resolve("/api/v0/id")).timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        fail("IPFS test node " + name + " at " + uri + " answered /api/v0/id with HTTP "
            + r.statusCode() + ": " + r.body());
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      fail("IPFS test node " + name + " is not reachable at " + uri + " (" + e + "). Run the tests "
          + "with scripts/test.sh, which starts both js-ipfs nodes in the test namespace "
          + "(scripts/setup.d/30-ipfs.sh start), or point -Dhubert.ipfs." + name + " at a node.", e);
    }
  }
}
