package dev.hubert.hybrid;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The two IPFS test nodes of {@code scripts/setup.d/30-ipfs.sh}: A ({@code http://127.0.0.1:5001})
 * and B ({@code :5002}) in the test namespace, overridable with {@code hubert.ipfs.a}/{@code
 * hubert.ipfs.b} or {@code HUBERT_IPFS_A}/{@code HUBERT_IPFS_B}. A node that does not answer fails
 * the test with instructions; it never skips.
 */
final class IpfsNodes {
  private IpfsNodes() {}

  static URI a() {
    return node("a", "http://127.0.0.1:5001");
  }

  static URI b() {
    return node("b", "http://127.0.0.1:5002");
  }

  private static URI node(String name, String fallback) {
    String value = System.getProperty("hubert.ipfs." + name);
    if (value == null || value.isBlank()) {
      value = System.getenv("HUBERT_IPFS_" + name.toUpperCase(Locale.ROOT));
    }
    URI uri = URI.create(value == null || value.isBlank() ? fallback : value);
    try {
      HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(uri.resolve("/api/v0/id")).timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() == 200) {
        return uri;
      }
      fail("IPFS test node " + name + " at " + uri + " answered " + r.statusCode() + " to /api/v0/id");
    } catch (Exception e) {
      fail("IPFS test node " + name + " at " + uri + " is not reachable (" + e + "). Run the tests with"
          + " scripts/test.sh, which starts nodes A and B in the test namespace.");
    }
    throw new AssertionError("unreachable");
  }
}
