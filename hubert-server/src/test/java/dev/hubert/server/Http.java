package dev.hubert.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Test helper: plain HTTP requests to a server, and raw sockets for what clients do not send. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private Http() {}

  static HttpResponse<String> post(String base, String path, byte[] body) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> post(String base, String path, String body) throws Exception {
    return post(base, path, body.getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> request(String base, String method, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> postChunked(String base, String path, InputStream body)
      throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** A raw connection with a read timeout, for slow or broken clients. */
  static Socket connect(int port, Duration readTimeout) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout((int) readTimeout.toMillis());
    return s;
  }

  static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * POSTs {@code body} on a new connection that the request closes, and returns the status code.
   * For tests whose server closes idle connections quickly: a pooled connection may be closed by
   * the server just as the client reuses it.
   */
  static int postOnNewConnection(int port, String path, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket s = connect(port, Duration.ofSeconds(30))) {
      write(s, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Content-Type: text/plain\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
      String reply = readAll(s);
      if (!reply.startsWith("HTTP/1.1 ") || reply.length() < 12) {
        throw new IOException("not an HTTP/1.1 answer: " + reply);
      }
      return Integer.parseInt(reply.substring(9, 12));
    }
  }

  /** Everything the server sends until it closes the connection. */
  static String readAll(Socket s) throws IOException {
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
