package dev.hubert.server;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.Checks;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.Delivered;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The {@link KvStore} that talks to a Hubert server ({@link HubertServer}, or hubert 0.5.0's
 * {@code hubert server}) over HTTP, as the reference's {@code ServerKvClient}.
 *
 * <ul>
 *   <li>{@code put} sends {@code POST <base>/put} with {@code ur:arid\nur:envelope[\nttl]}; the
 *       receipt is {@code Stored successfully}. A TTL is sent in whole seconds, rounded up; the
 *       server clamps it to its maximum and uses the maximum when none is sent. A body over 256
 *       KiB is sent with {@code Expect: 100-continue}, so a server that refuses it (413) answers
 *       before it is sent.
 *   <li>{@code get} polls {@code POST <base>/get} once a second until found or the timeout
 *       (default 30 s) passes.
 *   <li>{@code exists} asks once (the reference polled for a second).
 * </ul>
 *
 * <p>Failures: 409 → {@link AlreadyExistsException}; 413 (request body over the server's limit)
 * → {@link dev.hubert.api.ValueTooLargeException}; other statuses → {@link BackendException}
 * with the reference's text {@code Server error: Server error: <response body>}; a body that is
 * not an envelope → {@link CorruptValueException}; no connection or no answer within the request
 * timeout → {@link BackendUnavailableException}. Verbose mode prints the reference's lines.
 *
 * <p>Thread-safe; one instance can serve many concurrent calls over up to 64 keep-alive
 * connections (Jetty's HTTP client). Responses are parsed on the selector thread that read
 * them; the caller's future takes the outcome as a {@link Delivered}: a thread blocked waiting for
 * it is woken directly (no hand-off), other dependent stages run on the client's thread pool, so
 * a stage may block, even on another call to this client. {@link #close()} releases the
 * connections and threads.
 */
public final class ServerKv implements KvStore {
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  /** Largest response body read (a server's envelope); more is a fault, not an envelope. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
  private static final int MAX_CONNECTIONS = 64;
  /** Bodies longer than this ask {@code Expect: 100-continue} first (far above a usual value). */
  private static final int EXPECT_CONTINUE_CHARS = 256 * 1024;

  private final Config config;
  private final URI putUri;
  private final URI getUri;
  private final HttpClient http;
  /** Runs callers' dependent stages (never the selector thread, see {@link Delivered}). */
  private final QueuedThreadPool threads;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ServerKv(Config config) {
    this.config = config;
    this.putUri = URI.create(config.baseUrl + "/put");
    this.getUri = URI.create(config.baseUrl + "/get");
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("hubert-server-kv");
    threads.setDaemon(true); // an unclosed client never keeps the JVM alive
    HttpClient client = new HttpClient();
    client.setExecutor(threads);
    this.threads = threads;
    client.setScheduler(new ScheduledExecutorScheduler("hubert-server-kv-timer", true));
    client.setConnectTimeout(config.connectTimeout.toMillis());
    client.setFollowRedirects(false);
    client.setUserAgentField(null);
    client.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
    // responses are parsed on the selector thread that read them, not handed to another thread
    // (the listener below only copies bytes); deliver() keeps callers' stages off that thread
    client.getTransport().setInvocationType(InvocationType.NON_BLOCKING);
    // no Accept-Encoding: bodies are short text, and a server that compressed them would only
    // cost both ends CPU
    client.getContentDecoderFactories().clear();
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client: " + e, e);
    }
    this.http = client;
  }

  /** A client for the server at {@code baseUrl}, e.g. {@code http://127.0.0.1:45678}. */
  public static ServerKv create(String baseUrl) {
    return new ServerKv(Config.of(baseUrl));
  }

  /** A client with the given configuration. */
  public static ServerKv create(Config config) {
    return new ServerKv(Objects.requireNonNull(config, "config"));
  }

  /** This client's configuration. */
  public Config config() {
    return config;
  }

  @Override
  public CompletableFuture<Receipt> put(Arid arid, Envelope envelope, Duration ttl, boolean verbose) {
    Checks.put(arid, envelope, ttl);
    if (closed.get()) {
      return closedFuture();
    }
    if (verbose) {
      VerboseLog.println("Starting server put operation");
    }
    StringBuilder body = new StringBuilder(arid.urString()).append('\n').append(envelope.urString());
    if (ttl != null) {
      body.append('\n').append(wholeSecondsRoundedUp(ttl));
    }
    if (verbose) {
      VerboseLog.println("Sending PUT request to server");
    }
    String text = body.toString();
    return deliver(send(putUri, text)
        .thenApply(
            response -> {
              switch (response.status) {
                case 200:
                  return Receipt.of("Stored successfully");
                case 409:
                  throw new AlreadyExistsException(arid, arid.urString());
                case 413:
                  throw tooLarge(response, text);
                default:
                  throw serverError(response);
              }
            })
        .whenComplete(
            (receipt, error) -> {
              if (verbose) {
                VerboseLog.println(
                    error == null ? "Server put operation completed" : "Server put operation failed");
              }
            })
        .handle(ServerKv::unwrap));
  }

  @Override
  public CompletableFuture<Optional<Envelope>> get(Arid arid, Duration timeout, boolean verbose) {
    Checks.get(arid, timeout);
    Duration t = timeout == null ? defaultTimeout() : timeout;
    if (closed.get()) {
      return closedFuture();
    }
    if (verbose) {
      VerboseLog.println("Starting server get operation");
      VerboseLog.println("Polling server for value");
    }
    String body = arid.urString();
    AtomicBoolean printedDot = new AtomicBoolean();
    return deliver(Polling.<Envelope>poll(
            t,
            POLL_INTERVAL,
            () -> lookup(body, verbose, printedDot),
            () -> {
              if (verbose) {
                VerboseLog.dot();
                printedDot.set(true);
              }
            })
        .whenComplete(
            (found, error) -> {
              if (verbose && error == null && found.isEmpty()) {
                if (printedDot.get()) {
                  VerboseLog.newline();
                }
                VerboseLog.println("Timeout reached, value not found");
              }
            }));
  }

  private CompletableFuture<Optional<Envelope>> lookup(
      String body, boolean verbose, AtomicBoolean printedDot) {
    if (closed.get()) {
      return closedFuture();
    }
    return send(getUri, body)
        .thenApply(
            response -> {
              switch (response.status) {
                case 200:
                  if (verbose) {
                    if (printedDot.get()) {
                      VerboseLog.newline();
                    }
                    VerboseLog.println("Value found on server");
                  }
                  Envelope envelope;
                  try {
                    envelope = Envelope.fromUr(response.body);
                  } catch (RuntimeException e) {
                    throw new CorruptValueException(
                        "Server error: Parse error: the server's answer is not a ur:envelope: "
                            + e.getMessage(),
                        e);
                  }
                  if (verbose) {
                    VerboseLog.println("Server get operation completed");
                  }
                  return Optional.of(envelope);
                case 404:
                  return Optional.<Envelope>empty();
                default:
                  throw serverError(response);
              }
            })
        .handle(ServerKv::unwrap);
  }

  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    Objects.requireNonNull(arid, "arid");
    if (closed.get()) {
      return closedFuture();
    }
    return deliver(send(getUri, arid.urString())
        .thenApply(
            response -> {
              switch (response.status) {
                case 200:
                  return true;
                case 404:
                  return false;
                default:
                  throw serverError(response);
              }
            })
        .handle(ServerKv::unwrap));
  }

  /**
   * Stops the HTTP client: calls in flight fail, new calls complete with {@link
   * BackendUnavailableException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        http.stop();
      } catch (Exception e) {
        // closing: the client's threads are daemons and end with it anyway
      }
    }
  }

  /** What the server answered: status, body, and its body limit header if any. */
  private static final class Reply {
    final int status;
    final String body;
    final String bodyLimit;

    Reply(int status, String body, String bodyLimit) {
      this.status = status;
      this.body = body;
      this.bodyLimit = bodyLimit;
    }
  }

  /**
   * Collects the response body (sized by its Content-Length, at most {@link #MAX_RESPONSE_BYTES})
   * and completes {@code reply}, or completes it with {@link BackendUnavailableException}.
   */
  private final class ReplyListener implements Response.Listener {
    private final CompletableFuture<Reply> reply;
    private byte[] buf = new byte[0];
    private int size;

    ReplyListener(CompletableFuture<Reply> reply) {
      this.reply = reply;
    }

    @Override
    public void onHeaders(Response response) {
      long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      if (length > MAX_RESPONSE_BYTES) {
        response.abort(new IOException("response body of " + length + " bytes is too large"));
      } else if (length > 0) {
        buf = new byte[(int) length];
      }
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      int n = content.remaining();
      if ((long) size + n > MAX_RESPONSE_BYTES) {
        response.abort(new IOException("response body over " + MAX_RESPONSE_BYTES + " bytes"));
        return;
      }
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(size + n, buf.length * 2));
      }
      content.get(buf, size, n);
      size += n;
    }

    @Override
    public void onComplete(Result result) {
      // a server may answer (413) and close before the whole body is sent: the request side
      // fails, but the response is complete and is the answer
      if (result.getResponseFailure() != null
          || (result.isFailed() && result.getResponse().getStatus() <= 0)) {
        Throwable cause = result.getFailure();
        reply.completeExceptionally(
            new BackendUnavailableException(
                "Server error: cannot reach the Hubert server at "
                    + config.baseUrl
                    + " ("
                    + cause
                    + "); check that it is running and reachable",
                cause));
      } else {
        Response r = result.getResponse();
        reply.complete(
            new Reply(
                r.getStatus(),
                new String(buf, 0, size, StandardCharsets.UTF_8),
                r.getHeaders().get(HubertServer.BODY_LIMIT_HEADER)));
      }
    }
  }

  private CompletableFuture<Reply> send(URI uri, String body) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    Request request =
        http.newRequest(uri)
            .method(HttpMethod.POST)
            .body(new StringRequestContent("text/plain; charset=utf-8", body, StandardCharsets.UTF_8))
            .timeout(config.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    if (body.length() > EXPECT_CONTINUE_CHARS) {
      // a server that refuses the body (413) says so before it is sent, instead of closing the
      // connection under a body still being written, which can lose its answer
      request.headers(h -> h.put(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString()));
    }
    request.send(new ReplyListener(reply));
    return reply;
  }

  /**
   * 413: the request body is over the server's limit, which {@link HubertServer} sends in the
   * {@value HubertServer#BODY_LIMIT_HEADER} header; otherwise axum's default of the reference.
   */
  private static ValueTooLargeException tooLarge(Reply response, String body) {
    long limit =
        Optional.ofNullable(response.bodyLimit)
            .flatMap(ServerKv::parseLong)
            .orElse((long) HubertServer.DEFAULT_MAX_BODY_BYTES);
    return new ValueTooLargeException(
        "the put request (ur:arid and ur:envelope)",
        body.getBytes(StandardCharsets.UTF_8).length,
        limit,
        "Hubert server's request body");
  }

  private static Optional<Long> parseLong(String s) {
    try {
      return Optional.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static BackendException serverError(Reply response) {
    return new BackendException("Server error: Server error: " + response.body);
  }

  /** Delivers the {@link dev.hubert.api.HubertException} itself, not a CompletionException. */
  private static <T> T unwrap(T value, Throwable error) {
    if (error == null) {
      return value;
    }
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    throw new BackendException("Server error: " + t, t);
  }

  /**
   * The caller's future: completes like {@code operation}, which completes on the selector thread,
   * but runs the caller's stages on this client's pool or on a thread blocked waiting for it.
   */
  private <T> CompletableFuture<T> deliver(CompletableFuture<T> operation) {
    return Delivered.of(operation, threads);
  }

  private <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(
        new BackendUnavailableException("this ServerKv is closed; create a new one"));
  }

  private static long wholeSecondsRoundedUp(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }

  /**
   * Where the server is and how long to wait for it. Immutable; {@code with…} return copies.
   * Defaults: {@code http://127.0.0.1:45678}, connect timeout 10 s, request timeout 30 s.
   */
  public static final class Config {
    private final String baseUrl;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private Config(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
      this.baseUrl = baseUrl;
      this.connectTimeout = connectTimeout;
      this.requestTimeout = requestTimeout;
    }

    /**
     * The server at {@code baseUrl} ({@code http://host:port}, no trailing slash needed).
     *
     * @throws IllegalArgumentException if it is not an absolute http(s) URL with a host
     */
    public static Config of(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
      URI uri;
      try {
        uri = URI.create(base);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a URL: " + baseUrl + " (" + e.getMessage() + ")", e);
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "the server URL must look like http://127.0.0.1:45678, got " + baseUrl);
      }
      return new Config(base, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** The server at {@code http://<host>:<port>}. */
    public static Config of(String host, int port) {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be 1..65535, got " + port);
      }
      String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
      return of("http://" + h + ":" + port);
    }

    /** The reference's default server: {@code http://127.0.0.1:45678}. */
    public static Config defaults() {
      return of("http://127.0.0.1:45678");
    }

    /** How long to wait for a TCP connection. */
    public Config withConnectTimeout(Duration timeout) {
      return new Config(baseUrl, Checks.positive(timeout, "connect timeout"), requestTimeout);
    }

    /** How long to wait for each response (each poll of a {@code get} is one request). */
    public Config withRequestTimeout(Duration timeout) {
      return new Config(baseUrl, connectTimeout, Checks.positive(timeout, "request timeout"));
    }

    public String baseUrl() {
      return baseUrl;
    }

    public Duration connectTimeout() {
      return connectTimeout;
    }

    public Duration requestTimeout() {
      return requestTimeout;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Config)) {
        return false;
      }
      Config c = (Config) o;
      return baseUrl.equals(c.baseUrl)
          && connectTimeout.equals(c.connectTimeout)
          && requestTimeout.equals(c.requestTimeout);
    }

    @Override
    public int hashCode() {
      return Objects.hash(baseUrl, connectTimeout, requestTimeout);
    }

    @Override
    public String toString() {
      return "ServerKv.Config[" + baseUrl + ", connect " + connectTimeout + ", request "
          + requestTimeout + "]";
    }
  }
}
