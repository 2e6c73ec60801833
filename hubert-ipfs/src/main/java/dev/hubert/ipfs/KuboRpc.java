package dev.hubert.ipfs;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.ContentNotFoundException;
import dev.hubert.api.DaemonThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A thin client of the Kubo HTTP RPC API ({@code POST /api/v0/<command>}), speaking the subset
 * that Kubo and js-ipfs 0.66 share, plus each one's {@code key/import} form.
 *
 * <p>Every call has a client-side deadline covering connection, headers and body; calls that can
 * wait on the network also send the daemon a {@code timeout=} so that it gives up first. Failures
 * are typed: {@link BackendUnavailableException} when the daemon cannot be reached or does not
 * answer in time, {@link BackendException} (with the daemon's own message) when it answers with an
 * error or with something that is not the expected JSON. Thread-safe.
 *
 * <p>Deadlines are kept by one daemon thread of this client ({@code hubert-ipfs-timer <host:port>},
 * started by the first call, ending after a minute without any); it only hands a call that ran
 * out of time to the executor given to the constructor, which fails it there. {@link #close()}
 * ends that thread and fails the calls still in flight.
 */
final class KuboRpc {
  /** Which daemon answers; decides the {@code key/import} form. */
  enum Dialect {
    KUBO,
    JS_IPFS
  }

  /** Extra client-side time over a daemon-side {@code timeout=}, so the daemon's answer wins. */
  private static final Duration SLACK = Duration.ofSeconds(3);
  /**
   * Longest wait of one call (about 24.8 days): js-ipfs's timers fire at once beyond 2^31-1 ms, and
   * longer ones overflow deadlines.
   */
  static final Duration MAX_WAIT = Duration.ofMillis(Integer.MAX_VALUE);
  private static final int MAX_JSON_BYTES = 4 * 1024 * 1024;

  private final URI base;
  private final HttpClient http;
  private final Duration callTimeout;
  /**
   * Fires the deadlines. A thread of our own: CompletableFuture's delayed executor starts a new
   * thread per task on two cores or fewer.
   */
  private final ScheduledThreadPoolExecutor timer;
  private final DaemonThreads timerThread;
  /** Where a call that ran out of time fails, so the caller's stages never hold up the timer. */
  private final Executor expiries;
  /** Calls not complete yet, with their command: what {@link #close()} fails. */
  private final Map<CompletableFuture<Reply>, String> inFlight = new ConcurrentHashMap<>();

  /**
   * @param rpcUrl the daemon's RPC address, e.g. {@code http://127.0.0.1:5001} (a path, if any, is
   *     kept: {@code /api/v0/} is appended to it)
   * @param callTimeout deadline of one call that does not carry its own (this, the connect
   *     timeout and each call's own timeout count as {@link #MAX_WAIT} if longer)
   * @param expiries runs the failing of calls that ran out of time, and so the stages that
   *     depend on them; it should not run tasks on the calling thread
   */
  KuboRpc(URI rpcUrl, Duration connectTimeout, Duration callTimeout, Executor expiries) {
    String s = rpcUrl.toString();
    this.base = URI.create((s.endsWith("/") ? s : s + "/") + "api/v0/");
    this.callTimeout = bounded(callTimeout);
    this.expiries = expiries;
    this.timerThread = DaemonThreads.named("hubert-ipfs-timer " + rpcUrl.getAuthority());
    this.timer = new ScheduledThreadPoolExecutor(1, timerThread);
    timer.setRemoveOnCancelPolicy(true); // a call that completes drops its deadline at once
    timer.setKeepAliveTime(60, TimeUnit.SECONDS); // idle, it ends: an unclosed client keeps none
    timer.allowCoreThreadTimeOut(true);
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(bounded(connectTimeout))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** {@code version}: Kubo answers with {@code Golang}/{@code System}, js-ipfs with {@code ipfs-core}. */
  Dialect dialect() {
    JsonObject v = json("version", List.of(), null, callTimeout);
    return v.has("ipfs-core") ? Dialect.JS_IPFS : Dialect.KUBO;
  }

  /** {@code key/list}: name to id, each name once (js-ipfs lists every key twice). */
  Map<String, String> keyList() {
    JsonObject r = json("key/list", List.of(), null, callTimeout);
    Map<String, String> keys = new LinkedHashMap<>();
    JsonElement list = r.get("Keys");
    if (list == null || list.isJsonNull()) {
      return keys;
    }
    if (!list.isJsonArray()) {
      throw malformed("key/list", "Keys is not an array", r.toString());
    }
    for (JsonElement e : list.getAsJsonArray()) {
      if (!e.isJsonObject()) {
        throw malformed("key/list", "a key is not an object", r.toString());
      }
      keys.putIfAbsent(string(e.getAsJsonObject(), "Name", "key/list"),
          string(e.getAsJsonObject(), "Id", "key/list"));
    }
    return keys;
  }

  /**
   * The {@code key/import} request for {@code key} in the daemon's own form. For js-ipfs this costs
   * a PBKDF2 (tens of milliseconds), so callers may prepare it ahead.
   */
  static KeyImport importForm(IpnsKey key, Dialect dialect) {
    if (dialect == Dialect.JS_IPFS) {
      String password = IpnsKey.randomPassword();
      return new KeyImport(List.of(
          Map.entry("arg", key.keyName()),
          Map.entry("pem", key.jsIpfsExport(password)),
          Map.entry("password", password)), null);
    }
    return new KeyImport(List.of(
        Map.entry("arg", key.keyName()),
        Map.entry("format", "libp2p-protobuf-cleartext")), key.privateKeyProtobuf());
  }

  /**
   * {@code key/import} of a prepared key; returns the id the daemon reports. A name that is taken
   * fails with the daemon's "already exists" error.
   */
  String keyImport(KeyImport form) {
    return string(json("key/import", form.query, form.file, callTimeout), "Id", "key/import");
  }

  /** Same as {@code keyImport(importForm(key, dialect))}. */
  String keyImport(IpnsKey key, Dialect dialect) {
    return keyImport(importForm(key, dialect));
  }

  /** {@code key/rm} of the named key; the records it published stay. */
  void keyRm(String keyName) {
    json("key/rm", List.of(Map.entry("arg", keyName)), null, callTimeout);
  }

  /** A prepared {@code key/import} request: query, and the multipart file for Kubo. */
  static final class KeyImport {
    final List<Map.Entry<String, String>> query;
    final byte[] file;

    private KeyImport(List<Map.Entry<String, String>> query, byte[] file) {
      this.query = query;
      this.file = file;
    }
  }

  /** {@code add} of one file; returns its CID. {@code pin} is sent explicitly (Kubo pins by default). */
  String add(byte[] data, boolean pin) {
    // NDJSON: one line per added object; the file's line is the last one
    String body = text("add", List.of(Map.entry("pin", Boolean.toString(pin))), data, callTimeout);
    String last = null;
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        last = line;
      }
    }
    if (last == null) {
      throw malformed("add", "empty response", body);
    }
    return string(parseObject("add", last), "Hash", "add");
  }

  /** {@code name/publish} of {@code /ipfs/<cid>} with the named key. */
  void publish(String cid, String keyName, Optional<String> lifetime) {
    List<Map.Entry<String, String>> q = new ArrayList<>();
    q.add(Map.entry("arg", "/ipfs/" + cid));
    q.add(Map.entry("resolve", "false"));
    lifetime.ifPresent(l -> q.add(Map.entry("lifetime", l)));
    q.add(Map.entry("key", keyName));
    q.add(Map.entry("allow-offline", "true"));
    json("name/publish", q, null, callTimeout);
  }

  /**
   * {@code name/resolve} of an IPNS name (base58 peer id: js-ipfs takes {@code k51…} for a DNS
   * name), non-recursive. Empty if the daemon says the name is not published, has expired, or
   * could not be found before {@code timeout}; any other daemon error is a {@link BackendException},
   * and so is an HTTP 404 or 405 (no such RPC command at this URL), whatever its text.
   *
   * @return the path the record points at, e.g. {@code /ipfs/Qm…}
   */
  Optional<String> resolve(String name, Duration timeout) {
    return await("name/resolve", resolveAsync(name, timeout));
  }

  /**
   * {@link #resolve} without blocking, with the same result or typed failure. The future
   * completes on the HTTP client's threads; past its deadline on the executor given to the
   * constructor; on {@link #close()}, on the closing thread.
   */
  CompletableFuture<Optional<String>> resolveAsync(String name, Duration timeout) {
    Duration wait = bounded(timeout);
    return sendAsync("name/resolve", List.of(Map.entry("arg", name),
        Map.entry("recursive", "false"), Map.entry("nocache", "false"), daemonTimeout(wait)),
        null, wait.plus(SLACK), MAX_JSON_BYTES)
        .thenApply(reply -> {
          // a 404/405 is a missing RPC command (wrong URL), not a missing name
          if (!reply.ok() && !reply.commandMissing() && isNotFound(reply.message())) {
            return Optional.empty();
          }
          String body = new String(body("name/resolve", reply), StandardCharsets.UTF_8);
          return Optional.of(string(parseObject("name/resolve", body), "Path", "name/resolve"));
        });
  }

  /**
   * {@code cat} of at most {@code maxBytes + 1} bytes (so an oversized object is noticed without
   * reading it all), the daemon waiting at most {@code timeout} for missing blocks.
   */
  byte[] cat(String cid, long maxBytes, Duration timeout) {
    Duration wait = bounded(timeout);
    Reply reply = send("cat", List.of(Map.entry("arg", cid),
        Map.entry("length", Long.toString(maxBytes + 1)), daemonTimeout(wait)), null,
        wait.plus(SLACK), maxBytes + 1);
    if (!reply.ok() && isTimeout(reply.message())) {
      throw new ContentNotFoundException("IPFS content " + cid + " could not be fetched within "
          + wait.toMillis() + " ms (" + reply.message() + "): the writer's node may be "
          + "offline or no longer hold it; retry later");
    }
    return body("cat", reply);
  }

  /**
   * The texts by which Kubo and js-ipfs say a name has no (live) record: hubert 0.5.0's three
   * phrases, js-ipfs's {@code record has expired}, and a resolve the daemon gave up on at its
   * deadline.
   */
  static boolean isNotFound(String daemonMessage) {
    String m = daemonMessage.toLowerCase(Locale.ROOT);
    return m.contains("could not resolve name")
        || m.contains("no link named")
        || m.contains("not found")
        || m.contains("record has expired")
        || isTimeout(m);
  }

  private static boolean isTimeout(String daemonMessage) {
    String m = daemonMessage.toLowerCase(Locale.ROOT);
    return m.contains("context deadline exceeded") || m.contains("timed out");
  }

  /** A daemon's answer: status and body. */
  private static final class Reply {
    final int status;
    final byte[] body;

    Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    boolean ok() {
      return status / 100 == 2;
    }

    /** HTTP 404 or 405: nothing serves this RPC command at this URL. */
    boolean commandMissing() {
      return status == 404 || status == 405;
    }

    /** The daemon's {@code Message} of an error body, else the body itself. */
    String message() {
      String text = new String(body, StandardCharsets.UTF_8);
      try {
        JsonElement e = JsonParser.parseString(text);
        if (e.isJsonObject() && e.getAsJsonObject().has("Message")) {
          return e.getAsJsonObject().get("Message").getAsString();
        }
      } catch (RuntimeException notJson) {
        // keep the raw body as the message
      }
      return text.isBlank() ? "(empty body)" : text;
    }
  }

  /** {@code timeout}, or {@link #MAX_WAIT} if longer. */
  static Duration bounded(Duration timeout) {
    return timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
  }

  private static Map.Entry<String, String> daemonTimeout(Duration timeout) {
    return Map.entry("timeout", Math.max(1, timeout.toMillis()) + "ms");
  }

  private JsonObject json(String command, List<Map.Entry<String, String>> query, byte[] file,
      Duration timeout) {
    return parseObject(command, text(command, query, file, timeout));
  }

  private String text(String command, List<Map.Entry<String, String>> query, byte[] file,
      Duration timeout) {
    return new String(body(command, send(command, query, file, timeout, MAX_JSON_BYTES)),
        StandardCharsets.UTF_8);
  }

  private JsonObject parseObject(String command, String body) {
    try {
      JsonElement e = JsonParser.parseString(body);
      if (!e.isJsonObject()) {
        throw malformed(command, "not a JSON object", body);
      }
      return e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw malformed(command, e.getMessage(), body);
    }
  }

  private BackendException malformed(String command, String what, String body) {
    String shown = body.length() > 200 ? body.substring(0, 200) + "…" : body;
    return new BackendException("IPFS daemon at " + base + " answered " + command
        + " with an unexpected response (" + what + "): " + shown);
  }

  private static String string(JsonObject o, String field, String command) {
    JsonElement e = o.get(field);
    if (e == null || !e.isJsonPrimitive()) {
      throw new BackendException("IPFS daemon answered " + command + " without a " + field
          + " field: " + o);
    }
    return e.getAsString();
  }

  /** The body of a 2xx reply; otherwise the daemon's error as a {@link BackendException}. */
  private byte[] body(String command, Reply reply) {
    if (reply.ok()) {
      return reply.body;
    }
    if (reply.commandMissing()) {
      throw new BackendException("IPFS daemon at " + base + " has no RPC command " + command
          + " (HTTP " + reply.status + ": " + reply.message()
          + "); is the URL that of a Kubo RPC API?");
    }
    throw new BackendException("IPFS daemon error from " + command + " (HTTP " + reply.status
        + " at " + base + "): " + reply.message());
  }

  /** One POST; transport failures become {@link BackendUnavailableException}s. */
  private Reply send(String command, List<Map.Entry<String, String>> query, byte[] file,
      Duration timeout, long maxBytes) {
    return await(command, sendAsync(command, query, file, timeout, maxBytes));
  }

  /**
   * Waits for {@code future} (which completes by itself: every call has a deadline) and throws its
   * typed failure. An interrupt cancels the call.
   */
  static <T> T await(String command, CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted during IPFS " + command, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new BackendUnavailableException("IPFS " + command + " failed: " + cause, cause);
    }
  }

  /**
   * One POST, completing with the reply, or with a {@link BackendUnavailableException} when the
   * transport fails or the reply (headers and body) is not complete within {@code timeout} plus a
   * moment. Cancelling the future aborts the exchange.
   */
  private CompletableFuture<Reply> sendAsync(String command, List<Map.Entry<String, String>> query,
      byte[] file, Duration timeout, long maxBytes) {
    StringBuilder uri = new StringBuilder(base.toString()).append(command);
    char sep = '?';
    for (Map.Entry<String, String> q : query) {
      uri.append(sep).append(q.getKey()).append('=')
          .append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(timeout);
    if (file == null) {
      request.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      String boundary = "hubert-" + IpnsKey.randomPassword();
      request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, file)));
    }
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    inFlight.put(reply, command);
    ScheduledFuture<?> deadline;
    try {
      // the request timeout covers only the headers; this bounds the body too
      deadline = timer.schedule(() -> expire(reply, command, timeout), timeout.toMillis() + 500,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      inFlight.remove(reply);
      return CompletableFuture.failedFuture(closedError(command));
    }
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(request.build(),
            info -> new LimitedBody(info.statusCode() / 100 == 2 ? maxBytes : MAX_JSON_BYTES));
    pending.whenComplete((response, error) -> {
      if (error == null) {
        reply.complete(new Reply(response.statusCode(), response.body()));
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        reply.completeExceptionally(transportError(command, timeout, cause));
      }
    });
    reply.whenComplete((r, e) -> {
      inFlight.remove(reply);
      deadline.cancel(false);
      if (e != null) {
        pending.cancel(true);
      }
    });
    return reply;
  }

  /** On the timer: fails a call that ran out of time, on {@link #expiries}. */
  private void expire(CompletableFuture<Reply> reply, String command, Duration timeout) {
    Runnable fail = () -> reply.completeExceptionally(timedOut(command, timeout, null));
    try {
      expiries.execute(fail);
    } catch (RuntimeException refused) {
      fail.run(); // the executor's owner is closing: the call still ends, here
    }
  }

  /**
   * Ends the timer thread (waiting at most a second for it) and fails the calls still in flight
   * with {@link BackendUnavailableException}, on this thread; later calls fail the same way.
   * Idempotent.
   */
  void close() {
    timer.shutdownNow();
    inFlight.forEach((reply, command) -> reply.completeExceptionally(closedError(command)));
    // no wait when closed from a stage the timer ran: it cannot wait for itself
    timerThread.awaitTermination(timer, Duration.ofSeconds(1));
  }

  private BackendUnavailableException closedError(String command) {
    return new BackendUnavailableException("IPFS " + command + " at " + base
        + " abandoned: the store was closed; build a new one");
  }

  private BackendUnavailableException timedOut(String command, Duration timeout, Throwable cause) {
    return new BackendUnavailableException("IPFS daemon at " + base + " did not answer " + command
        + " within " + timeout.toMillis() + " ms; check that it is running and responsive", cause);
  }

  private RuntimeException transportError(String command, Duration timeout, Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
      return new BackendUnavailableException("IPFS daemon not reachable at " + base + " ("
          + cause + "); start it (e.g. 'ipfs daemon') or fix the RPC URL", cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return timedOut(command, timeout, cause);
    }
    if (cause instanceof BodyTooLarge) {
      return new BackendException("IPFS daemon at " + base + " answered " + command
          + " with more than " + ((BodyTooLarge) cause).limit + " bytes", cause);
    }
    return new BackendUnavailableException("IPFS " + command + " at " + base + " failed: " + cause,
        cause);
  }

  private static byte[] multipart(String boundary, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + 256);
    out.writeBytes(("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"data\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(file);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final long limit;

    BodyTooLarge(long limit) {
      super("response body over " + limit + " bytes");
      this.limit = limit;
    }
  }

  /** Collects a body of at most {@code limit} bytes; cancels the stream past it. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final long limit;
    private Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (buffer.size() + (long) b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLarge(limit));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
