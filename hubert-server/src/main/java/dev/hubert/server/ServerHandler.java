package dev.hubert.server;

import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three routes of the reference server, with its bodies, texts and content types: {@code GET
 * /health}, {@code POST /put}, {@code POST /get}. Unknown paths get 404 with an empty body, a
 * known path with the wrong method 405 with an {@code Allow} header.
 *
 * <p>Status codes beyond the reference: 409 only when the ARID is taken (the reference sent 409
 * for every storage failure), 413 over the body limit, 408 when the body does not arrive before
 * the idle timeout, 503 when the storage is busy or locked, 500 for other storage faults.
 */
final class ServerHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);

  static final String TEXT_PLAIN = "text/plain; charset=utf-8";
  static final String HEALTH = "{\"server\":\"hubert\",\"status\":\"ok\",\"version\":\"0.5.0\"}";
  static final String TOO_LARGE = "Failed to buffer the request body: length limit exceeded";

  /** How much of a body over the limit is read and dropped before the 413 (see readBody). */
  static final int DRAIN_BYTES = 1 << 20;

  private final Store store;
  private final long maxTtlSeconds;
  private final int maxBodyBytes;
  private final boolean verbose;

  ServerHandler(Store store, long maxTtlSeconds, int maxBodyBytes, boolean verbose) {
    // requests are handled on the I/O thread that parsed them (no hand-off per request): the
    // storage never waits there (Store), and verbose printing goes to a worker thread in handle
    super(InvocationType.NON_BLOCKING);
    this.store = store;
    this.maxTtlSeconds = maxTtlSeconds;
    this.maxBodyBytes = maxBodyBytes;
    this.verbose = verbose;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    switch (path == null ? "" : path) {
      case "/health":
        if (method.equals("GET") || method.equals("HEAD")) {
          send(response, callback, HttpStatus.OK_200, HEALTH);
        } else {
          notAllowed(response, callback, "GET,HEAD");
        }
        return true;
      case "/put":
      case "/get":
        if (!method.equals("POST")) {
          notAllowed(response, callback, "POST");
          return true;
        }
        boolean put = path.equals("/put");
        readBody(
            request,
            response,
            callback,
            body -> {
              Runnable work =
                  put
                      ? () -> handlePut(request, response, callback, body)
                      : () -> handleGet(request, response, callback, body);
              if (verbose) {
                dispatch(request, response, callback, work);
              } else {
                work.run();
              }
            });
        return true;
      default:
        send(response, callback, HttpStatus.NOT_FOUND_404, null);
        return true;
    }
  }

  /** Runs {@code work} on the server's worker pool; 503 if the pool refuses it (stopping, full). */
  private static void dispatch(Request request, Response response, Callback callback, Runnable work) {
    try {
      request.getComponents().getExecutor().execute(work);
    } catch (RejectedExecutionException e) {
      LOG.warn("no worker thread for a request, answering 503: {}", e.toString());
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
      send(response, callback, 503, "Server busy");
    }
  }

  private void handlePut(Request request, Response response, Callback callback, byte[] body) {
    String text = WireText.decodeUtf8(body);
    if (text == null) {
      send(response, callback, 400, "Invalid UTF-8");
      return;
    }
    List<String> lines = WireText.lines(text);
    if (lines.size() < 2) {
      send(response, callback, 400, "Expected at least 2 lines: ur:arid and ur:envelope");
      return;
    }
    Arid arid = parseArid(lines.get(0));
    if (arid == null) {
      send(response, callback, 400, "Invalid ur:arid");
      return;
    }
    String envelopeUr;
    try {
      envelopeUr = Envelope.fromUr(lines.get(1)).urString();
    } catch (RuntimeException e) {
      send(response, callback, 400, "Invalid ur:envelope");
      return;
    }
    long ttl = maxTtlSeconds; // no TTL line: the maximum, so every entry expires
    if (lines.size() > 2) {
      OptionalLong requested = WireText.parseU64(lines.get(2));
      if (requested.isEmpty()) {
        send(response, callback, 400, "Invalid TTL");
        return;
      }
      if (Long.compareUnsigned(requested.getAsLong(), maxTtlSeconds) < 0) {
        ttl = requested.getAsLong();
      }
    }
    long ttlSeconds = ttl;
    CompletableFuture<Boolean> stored = store.putIfAbsentAsync(arid, envelopeUr, ttl);
    if (verbose && !stored.isDone()) {
      // the answer prints, which may block (a full stdout): not on the storage's own thread
      Executor workers = request.getComponents().getExecutor();
      stored.whenComplete(
          (inserted, error) ->
              onWorker(
                  workers,
                  () -> putDone(request, response, callback, arid, ttlSeconds, inserted, error)));
    } else {
      stored.whenComplete(
          (inserted, error) -> putDone(request, response, callback, arid, ttlSeconds, inserted, error));
    }
  }

  /** Runs {@code work} on {@code workers}, or here if they refuse it (stopping, full). */
  private static void onWorker(Executor workers, Runnable work) {
    try {
      workers.execute(work);
    } catch (RejectedExecutionException e) {
      work.run();
    }
  }

  /** Answers a put once the storage has (or has not) stored it. */
  private void putDone(
      Request request,
      Response response,
      Callback callback,
      Arid arid,
      long ttl,
      Boolean inserted,
      Throwable error) {
    int status;
    String reply;
    String outcome;
    if (error == null) {
      if (inserted) {
        status = 200;
        reply = "OK";
        outcome = "OK";
      } else {
        status = 409;
        reply = arid.urString() + " already exists";
        outcome = "ERROR: " + reply;
      }
    } else {
      Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      boolean transientFault = e instanceof StoreException && ((StoreException) e).isTransient();
      status = transientFault ? 503 : 500;
      reply = e instanceof StoreException ? e.getMessage() : "Storage error: " + e;
      outcome = "ERROR: " + reply;
      LOG.warn("put failed, answering {}: {}", status, reply);
    }
    if (verbose) {
      VerboseLog.println(client(request) + "PUT " + arid.urString() + " (TTL " + ttl + "s) " + outcome);
    }
    LOG.debug("PUT status {}", status);
    if (status == 503) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    }
    send(response, callback, status, reply);
  }

  private void handleGet(Request request, Response response, Callback callback, byte[] body) {
    String text = WireText.decodeUtf8(body);
    if (text == null) {
      send(response, callback, 400, "Invalid UTF-8");
      return;
    }
    String aridText = WireText.trim(text);
    if (aridText.isEmpty()) {
      send(response, callback, 400, "Expected ur:arid");
      return;
    }
    Arid arid = parseArid(aridText);
    if (arid == null) {
      send(response, callback, 400, "Invalid ur:arid");
      return;
    }
    Optional<String> found;
    try {
      found = store.get(arid);
    } catch (StoreException e) {
      int status = e.isTransient() ? 503 : 500;
      LOG.warn("get failed, answering {}: {}", status, e.getMessage());
      if (verbose) {
        VerboseLog.println(client(request) + "GET " + arid.urString() + " ERROR: " + e.getMessage());
      }
      if (status == 503) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
      }
      send(response, callback, status, e.getMessage());
      return;
    }
    if (verbose) {
      VerboseLog.println(
          client(request) + "GET " + arid.urString() + (found.isPresent() ? " OK" : " NOT_FOUND"));
    }
    LOG.debug("GET {}", found.isPresent() ? "found" : "not found");
    if (found.isPresent()) {
      send(response, callback, 200, found.get());
    } else {
      send(response, callback, 404, "Not found");
    }
  }

  private static Arid parseArid(String text) {
    try {
      return Arid.fromUr(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code <ip>:<port>: } as Rust prints a socket address, IPv6 in brackets. */
  private static String client(Request request) {
    String ip = Request.getRemoteAddr(request);
    if (ip.indexOf(':') >= 0 && !ip.startsWith("[")) {
      ip = "[" + ip + "]";
    }
    return ip + ":" + Request.getRemotePort(request) + ": ";
  }

  interface BodyConsumer {
    void accept(byte[] body);
  }

  /**
   * Reads the whole body without holding a thread while waiting for it, up to {@code
   * maxBodyBytes}: a larger declared or actual body gets 413, a body that stops arriving gets 408
   * once the connection's idle timeout passes.
   *
   * <p>Before a 413 the rest of the body is read and dropped, up to {@link #DRAIN_BYTES} past the
   * limit: closing a connection with unread bytes resets it, and the reset can destroy the 413
   * before a client that is still sending reads it. So a body declared at most that long is read to
   * its end before the 413; a longer declared body, or one whose client asked {@code Expect:
   * 100-continue} (it has sent no body yet), gets the 413 at once.
   */
  private void readBody(Request request, Response response, Callback callback, BodyConsumer next) {
    long declared = request.getLength();
    boolean waitsToSend = request.getHeaders().contains(HttpHeader.EXPECT, "100-continue");
    if (declared > maxBodyBytes && (waitsToSend || declared > (long) maxBodyBytes + DRAIN_BYTES)) {
      tooLarge(response, callback);
      return;
    }
    new Runnable() {
      private byte[] buf = new byte[declared >= 0 && declared <= maxBodyBytes ? (int) declared : 256];
      private int size;
      private long received; // every body byte read, kept or dropped

      @Override
      public void run() {
        while (true) {
          Content.Chunk chunk = request.read();
          if (chunk == null) {
            request.demand(this);
            return;
          }
          if (Content.Chunk.isFailure(chunk)) {
            Throwable failure = chunk.getFailure();
            if (failure instanceof TimeoutException) {
              response.getHeaders().put(HttpHeader.CONNECTION, "close");
              send(response, callback, 408, "Request body timed out");
            } else {
              callback.failed(failure);
            }
            return;
          }
          ByteBuffer b = chunk.getByteBuffer();
          int n = b.remaining();
          received += n;
          if (received > maxBodyBytes || declared > maxBodyBytes) {
            buf = null; // over the limit: drop the rest, up to DRAIN_BYTES past it
            boolean last = chunk.isLast();
            chunk.release();
            if (last || received > (long) maxBodyBytes + DRAIN_BYTES) {
              tooLarge(response, callback);
              return;
            }
            continue;
          }
          if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + n, Math.min(maxBodyBytes, buf.length * 2)));
          }
          b.get(buf, size, n);
          size += n;
          boolean last = chunk.isLast();
          chunk.release();
          if (last) {
            next.accept(size == buf.length ? buf : Arrays.copyOf(buf, size));
            return;
          }
        }
      }
    }.run();
  }

  private void tooLarge(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.getHeaders().put(HubertServer.BODY_LIMIT_HEADER, Integer.toString(maxBodyBytes));
    send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, TOO_LARGE);
  }

  private static void notAllowed(Response response, Callback callback, String allow) {
    response.getHeaders().put(HttpHeader.ALLOW, allow);
    send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, null);
  }

  /** Sends {@code text} as {@code text/plain; charset=utf-8}, or an empty body if null. */
  static void send(Response response, Callback callback, int status, String text) {
    response.setStatus(status);
    if (text == null) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      response.write(true, null, callback);
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT_PLAIN);
      Content.Sink.write(response, true, text, callback);
    }
  }
}
