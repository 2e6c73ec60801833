package dev.hubert.server;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.BackendException;
import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.Checks;
import dev.hubert.api.CorruptValueException;
import dev.hubert.api.DaemonThreads;
import dev.hubert.api.KvStore;
import dev.hubert.api.Polling;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The {@link KvStore} that talks to a Hubert server ({@link HubertServer}, or hubert 0.5.0's
 * {@code hubert server}) over HTTP, as the reference's {@code ServerKvClient}.
 *
 * <ul>
 *   <li>{@code put} sends {@code POST <base>/put} with {@code ur:arid\nur:envelope[\nttl]}; the
 *       receipt is {@code Stored successfully}. A TTL is sent in whole seconds, rounded up; the
 *       server clamps it to its maximum and uses the maximum when none is sent. A body over 8 KiB
 *       is sent with {@code Expect: 100-continue}, so a server that refuses it (413) answers
 *       before it is sent.
 *   <li>{@code get} polls {@code POST <base>/get} once a second until found or the timeout
 *       (default 30 s) passes. Cancelling its future stops the polling and aborts a lookup under
 *       way.
 *   <li>{@code exists} asks once (the reference polled for a second).
 * </ul>
 *
 * <p>Cancelling a call's future ends its work: an exchange not yet sent is never sent, and one
 * under way is aborted (its connection closed), so a put cancelled while under way may or may not
 * have been stored.
 *
 * <p>Failures: 409 → {@link AlreadyExistsException}; 413 (request body over the server's limit)
 * → {@link dev.hubert.api.ValueTooLargeException}; other statuses → {@link BackendException}
 * with the reference's text {@code Server error: Server error: <response body>}; a body that is
 * not an envelope → {@link CorruptValueException}; no connection, a connection lost before the
 * whole answer, or no whole answer within the request timeout → {@link
 * BackendUnavailableException}, whose message says which. Verbose mode prints the reference's
 * lines.
 *
 * <p>The request timeout is a deadline for each exchange as a whole (connecting, sending, reading
 * the whole answer): an exchange still running then is aborted, however slowly the server keeps
 * sending. Each poll of a {@code get} is one exchange, and the one under way at the get's timeout
 * is the last, so a {@code get} ends at most one request timeout after its own timeout.
 *
 * <p>Thread-safe; one instance can serve many concurrent calls over up to 64 keep-alive
 * connections (Apache HttpClient's blocking client). Every exchange is a blocking write and read
 * on one thread: a call starts on the client's own thread pool at once, but a thread that blocks
 * in the returned future's {@code get()} or {@code join()} before a pool thread has taken it runs
 * the exchange itself (no thread wakes another for the answer, as with Jedis). Either way exactly
 * one thread runs it; dependent stages run on that thread (a pool thread or the waiting caller,
 * never a thread other calls need), so a stage may block, even on another call to this client. A
 * caller interrupted while it runs an exchange itself sees the interrupt once that exchange ends
 * (at most the request timeout). {@link #close()} releases the connections and threads.
 */
public final class ServerKv implements KvStore {
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  /** Largest response body read (a server's envelope); more is a fault, not an envelope. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
  private static final int MAX_CONNECTIONS = 64;
  /**
   * Bodies longer than this ask {@code Expect: 100-continue} first (far above a usual value): a
   * blocking client writes the whole body before it reads, and a server that refuses a body
   * closes the connection, which can lose its 413 under a body still being written.
   */
  private static final int EXPECT_CONTINUE_BYTES = 8 * 1024;
  private static final ContentType TEXT_PLAIN = ContentType.create("text/plain", StandardCharsets.UTF_8);

  private final Config config;
  private final URI putUri;
  private final URI getUri;
  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient http;
  private final RequestConfig expectContinue;
  /** Runs exchanges no caller waits for, and later polls; grows as calls block in it. */
  private final ExecutorService threads;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Starter starter;
  private final Deadlines deadlines;

  private ServerKv(Config config) {
    this.config = config;
    this.putUri = URI.create(config.baseUrl + "/put");
    this.getUri = URI.create(config.baseUrl + "/get");
    Timeout request = Timeout.ofMilliseconds(config.requestTimeout.toMillis());
    this.connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(MAX_CONNECTIONS)
            .setMaxConnPerRoute(MAX_CONNECTIONS)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.ofMilliseconds(config.connectTimeout.toMillis()))
                    .setSocketTimeout(request)
                    // a keep-alive connection unused for a second is checked before reuse (the
                    // server may have closed it); a put is never retried, as it may have landed
                    .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                    .build())
            .build();
    RequestConfig defaults =
        RequestConfig.custom()
            .setConnectionRequestTimeout(request)
            .setResponseTimeout(request)
            .setRedirectsEnabled(false)
            .setContentCompressionEnabled(false)
            .build();
    this.expectContinue = RequestConfig.copy(defaults).setExpectContinueEnabled(true).build();
    this.http =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(defaults)
            .disableAutomaticRetries()
            .disableRedirectHandling()
            // no Accept-Encoding: bodies are short text, and compressing them would only cost
            // both ends CPU
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableConnectionState()
            .disableDefaultUserAgent()
            .build();
    // daemon threads: an unclosed client never keeps the JVM alive
    this.threads = Executors.newCachedThreadPool(DaemonThreads.numbered("hubert-server-kv-"));
    this.starter = new Starter();
    this.deadlines = new Deadlines(config.requestTimeout.toNanos());
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
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return start(
        abort -> {
          Receipt receipt;
          try {
            Reply response = exchange(putUri, bytes, abort);
            switch (response.status) {
              case 200:
                receipt = Receipt.of("Stored successfully");
                break;
              case 409:
                throw new AlreadyExistsException(arid, arid.urString());
              case 413:
                throw tooLarge(response, bytes.length);
              default:
                throw serverError(response);
            }
          } catch (RuntimeException e) {
            if (verbose) {
              VerboseLog.println("Server put operation failed");
            }
            throw e;
          }
          if (verbose) {
            VerboseLog.println("Server put operation completed");
          }
          return receipt;
        });
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
    byte[] body = arid.urString().getBytes(StandardCharsets.UTF_8);
    AtomicBoolean printedDot = new AtomicBoolean();
    Handle<Optional<Envelope>> result = new Handle<>();
    Abort abort = new Abort();
    AtomicBoolean first = new AtomicBoolean(true);
    CompletableFuture<Optional<Envelope>> polling =
        Polling.<Envelope>poll(
            t,
            POLL_INTERVAL,
            () -> {
              CompletableFuture<Optional<Envelope>> one = new CompletableFuture<>();
              Task<Optional<Envelope>> task =
                  new Task<>(() -> lookup(body, verbose, printedDot, abort), one);
              if (first.getAndSet(false)) {
                // the first lookup waits for a taker, as a put does; later ones run on the pool
                queue(task, result);
              } else {
                task.dispatch();
              }
              return one;
            },
            () -> {
              if (verbose) {
                VerboseLog.dot();
                printedDot.set(true);
              }
            });
    result.onCancel(
        () -> {
          polling.cancel(false); // no next lookup
          abort.abort(); // nor this one
        });
    polling.whenComplete(
        (found, error) -> {
          if (error != null) {
            result.completeExceptionally(unwrap(error));
            return;
          }
          if (verbose && found.isEmpty()) {
            if (printedDot.get()) {
              VerboseLog.newline();
            }
            VerboseLog.println("Timeout reached, value not found");
          }
          result.complete(found);
        });
    return result;
  }

  /** One lookup: the envelope, or empty on 404. */
  private Optional<Envelope> lookup(
      byte[] body, boolean verbose, AtomicBoolean printedDot, Abort abort) {
    Reply response = exchange(getUri, body, abort);
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
        return Optional.empty();
      default:
        throw serverError(response);
    }
  }

  @Override
  public CompletableFuture<Boolean> exists(Arid arid) {
    Objects.requireNonNull(arid, "arid");
    if (closed.get()) {
      return closedFuture();
    }
    byte[] body = arid.urString().getBytes(StandardCharsets.UTF_8);
    return start(
        abort -> {
          Reply response = exchange(getUri, body, abort);
          switch (response.status) {
            case 200:
              return true;
            case 404:
              return false;
            default:
              throw serverError(response);
          }
        });
  }

  /**
   * Stops the HTTP client: calls in flight fail, new calls complete with {@link
   * BackendUnavailableException}. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      starter.close(); // exchanges no one took fail as closed
      deadlines.close();
      threads.shutdown(); // exchanges already started end (or fail) by themselves
      http.close(CloseMode.IMMEDIATE);
    }
  }

  /**
   * One exchange and the future it completes. Runs once: on a thread blocked waiting for that
   * future if one comes first, else on the pool (see {@link Handle}).
   */
  private final class Task<T> implements Runnable {
    private final Supplier<T> exchange;
    private final CompletableFuture<T> target;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean dispatched = new AtomicBoolean();
    final long createdNanos = System.nanoTime();

    Task(Supplier<T> exchange, CompletableFuture<T> target) {
      this.exchange = exchange;
      this.target = target;
    }

    boolean isClaimed() {
      return claimed.get();
    }

    /** Runs the exchange here unless another thread already took it. */
    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true) || target.isDone()) {
        return; // taken by another thread, or cancelled before it started
      }
      T value;
      try {
        value = exchange.get();
      } catch (RuntimeException | Error e) {
        target.completeExceptionally(unwrap(e));
        return;
      }
      target.complete(value);
    }

    /** Hands the exchange to the pool now, unless a thread already took it or it was handed. */
    void dispatch() {
      if (claimed.get() || !dispatched.compareAndSet(false, true)) {
        return;
      }
      try {
        threads.execute(this);
      } catch (RejectedExecutionException e) {
        failClosed(); // closed meanwhile
      }
    }

    void failClosed() {
      if (claimed.compareAndSet(false, true)) {
        target.completeExceptionally(closed());
      }
    }
  }

  /**
   * Lets a cancelled call abort its exchange under way, or keep the next one (a get's next
   * lookup) from starting.
   */
  private static final class Abort {
    private volatile boolean aborted;
    private volatile HttpPost current;

    /** Before {@code post} is sent: false if the call was cancelled (then it must not be). */
    boolean attach(HttpPost post) {
      current = post;
      return !aborted; // abort() sets aborted before it reads current: one of us sees the other
    }

    void detach(HttpPost post) {
      if (current == post) {
        current = null;
      }
    }

    void abort() {
      aborted = true;
      HttpPost p = current;
      if (p != null) {
        p.cancel(); // closes its connection; harmless once the exchange is over
      }
    }

    boolean aborted() {
      return aborted;
    }
  }

  /**
   * The future a call returns. Its exchange waits for a taker: a thread that blocks in {@link
   * #get()} or {@link #join()} runs it itself (the common blocking call: no thread wakes another
   * for the answer); composing a stage, or a timed {@code get}, hands it to the pool at once; and
   * if neither happens, the {@link Starter} hands it to the pool after {@link #GRACE_NANOS}, so
   * every call starts by itself.
   */
  private static final class Handle<T> extends CompletableFuture<T> {
    private volatile Task<?> task;
    private volatile Runnable onCancel;

    void task(Task<?> t) {
      task = t;
    }

    /** Runs {@code r} (idempotent) once this future is cancelled, at once if it already is. */
    void onCancel(Runnable r) {
      onCancel = r;
      if (isCancelled()) {
        r.run();
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      Runnable r = onCancel;
      if (r != null && isCancelled()) {
        r.run();
      }
      return cancelled;
    }

    private void runIfWaiting() {
      Task<?> t = task;
      if (t != null && !t.isClaimed() && !isDone() && !Thread.currentThread().isInterrupted()) {
        t.run();
      }
    }

    private void dispatch() {
      Task<?> t = task;
      if (t != null) {
        t.dispatch();
      }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
      runIfWaiting();
      return super.get();
    }

    @Override
    public T join() {
      runIfWaiting();
      return super.join();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      dispatch(); // a bounded wait does not run an exchange that may outlast it
      return super.get(timeout, unit);
    }

    /** Every dependent stage is created here: whoever composes wants the exchange started. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      dispatch();
      return new CompletableFuture<>();
    }
  }

  /** How long an exchange waits for a blocked caller to take it before the pool runs it. */
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * A daemon thread that calls {@link #tick} every period while there is work, and parks while
   * there is none; whoever adds work calls {@link #wake}, which unparks it only when it parked
   * (not once per call). Ends once the client is closed.
   */
  private abstract class Ticker implements Runnable {
    private final AtomicBoolean parked = new AtomicBoolean();
    private final long periodNanos;
    private final Thread thread;

    Ticker(String name, long periodNanos) {
      this.periodNanos = periodNanos;
      this.thread = DaemonThreads.named(name).newThread(this);
    }

    /** Starts the thread; a subclass calls it last in its constructor. */
    final void start() {
      thread.start();
    }

    abstract void tick(long nowNanos);

    abstract boolean idle();

    /** Runs on the thread once the client is closed. */
    void onClose() {}

    final void wake() {
      if (parked.get() && parked.compareAndSet(true, false)) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public final void run() {
      while (!closed.get()) {
        LockSupport.parkNanos(this, periodNanos);
        tick(System.nanoTime());
        if (idle()) {
          parked.set(true);
          // work added before this check is seen; work added after it sees parked and wakes us
          while (idle() && parked.get() && !closed.get()) {
            LockSupport.park(this);
          }
          parked.set(false);
        }
      }
      onClose();
    }

    final void close() {
      LockSupport.unpark(thread);
    }
  }

  /** Hands exchanges that no caller took within {@link #GRACE_NANOS} to the pool. */
  private final class Starter extends Ticker {
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();

    Starter() {
      super("hubert-server-kv-starter", GRACE_NANOS);
      start();
    }

    void add(Task<?> t) {
      queue.add(t);
      wake();
    }

    @Override
    void tick(long now) {
      for (Iterator<Task<?>> it = queue.iterator(); it.hasNext(); ) {
        Task<?> t = it.next();
        if (t.isClaimed()) {
          it.remove();
        } else if (now - t.createdNanos >= GRACE_NANOS) {
          it.remove();
          t.dispatch();
        }
      }
    }

    @Override
    boolean idle() {
      return queue.isEmpty();
    }

    @Override
    void onClose() {
      for (Task<?> t; (t = queue.poll()) != null; ) {
        t.failClosed();
      }
    }
  }

  /** An exchange under way and its deadline. */
  private static final class InFlight {
    final HttpPost post;
    final long deadlineNanos;
    volatile boolean expired;

    InFlight(HttpPost post, long deadlineNanos) {
      this.post = post;
      this.deadlineNanos = deadlineNanos;
    }
  }

  /**
   * Aborts exchanges still running at their deadline (the socket timeout bounds only each read, so
   * a server sending a byte a second would hold an exchange forever). Checks every tenth of the
   * timeout, at most every 100 ms, while exchanges are under way.
   */
  private final class Deadlines extends Ticker {
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final long timeoutNanos;

    Deadlines(long timeoutNanos) {
      super(
          "hubert-server-kv-deadlines",
          Math.max(
              TimeUnit.MILLISECONDS.toNanos(1),
              Math.min(TimeUnit.MILLISECONDS.toNanos(100), timeoutNanos / 10)));
      this.timeoutNanos = timeoutNanos;
      start();
    }

    InFlight watch(HttpPost post) {
      InFlight f = new InFlight(post, System.nanoTime() + timeoutNanos);
      inFlight.add(f);
      wake();
      return f;
    }

    void unwatch(InFlight f) {
      inFlight.remove(f);
    }

    @Override
    void tick(long now) {
      for (InFlight f : inFlight) {
        if (now - f.deadlineNanos >= 0 && !f.expired) {
          f.expired = true;
          f.post.cancel(); // closes its connection: the blocked read or write fails at once
        }
      }
    }

    @Override
    boolean idle() {
      return inFlight.isEmpty();
    }
  }

  /**
   * Starts {@code exchange} for the future returned, to run when taken (see Handle); cancelling
   * that future aborts it.
   */
  private <T> CompletableFuture<T> start(Function<Abort, T> exchange) {
    Handle<T> handle = new Handle<>();
    Abort abort = new Abort();
    queue(new Task<>(() -> exchange.apply(abort), handle), handle);
    handle.onCancel(abort::abort);
    return handle;
  }

  /** Queues {@code task} to wait for a taker: a thread blocked on {@code handle}, else the pool. */
  private void queue(Task<?> task, Handle<?> handle) {
    handle.task(task);
    starter.add(task);
    if (closed.get()) {
      task.failClosed(); // the starter may have ended before it was queued
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
   * POSTs {@code body} and reads the whole answer (at most {@link #MAX_RESPONSE_BYTES}) on this
   * thread, within the request timeout.
   *
   * @throws BackendUnavailableException if the server cannot be reached, the connection fails, or
   *     the whole answer has not arrived within the request timeout, or this client is closed
   */
  private Reply exchange(URI uri, byte[] body, Abort abort) {
    if (closed.get()) {
      throw closed();
    }
    HttpPost post = new HttpPost(uri);
    post.setEntity(new ByteArrayEntity(body, TEXT_PLAIN));
    if (body.length > EXPECT_CONTINUE_BYTES) {
      post.setConfig(expectContinue);
    }
    if (!abort.attach(post)) {
      throw new CancellationException("the call was cancelled");
    }
    InFlight watched = deadlines.watch(post);
    try {
      return http.execute(
          post,
          response -> {
            Header limit = response.getFirstHeader(HubertServer.BODY_LIMIT_HEADER);
            return new Reply(
                response.getCode(),
                readBody(response.getEntity()),
                limit == null ? null : limit.getValue());
          });
    } catch (IOException | RuntimeException e) {
      // unchecked: post.cancel() before the connection is made (a CancellationException while
      // waiting for a pooled connection, an IllegalStateException or NullPointerException while
      // connecting), or the pool was shut down under this call
      throw failure(e, abort.aborted(), watched.expired, uri == putUri);
    } finally {
      deadlines.unwatch(watched);
      abort.detach(post);
    }
  }

  /**
   * What an exchange that HttpClient ended with {@code e} fails with: a closed client's error; the
   * caller's cancel of its call ({@code aborted}); for an I/O error, {@link #failed}; for an
   * unchecked {@code e}, the deadline's {@link BackendUnavailableException} if it {@code expired}
   * or {@code e} is a {@link CancellationException} (only the deadline and the call's cancel
   * cancel an exchange), else {@code e} itself.
   */
  RuntimeException failure(Exception e, boolean aborted, boolean expired, boolean put) {
    if (closed.get()) {
      return closed();
    }
    if (aborted) {
      return new CancellationException("the call was cancelled");
    }
    if (e instanceof IOException) {
      return failed(e, expired, put);
    }
    if (expired || e instanceof CancellationException) {
      return failed(e, true, put);
    }
    return (RuntimeException) e;
  }

  /** Why an exchange failed, in words: no connection, no answer in time, or a lost connection. */
  private BackendUnavailableException failed(Exception e, boolean expired, boolean put) {
    String server = "the Hubert server at " + config.baseUrl;
    String message;
    if (!expired
        && (e instanceof ConnectException // refused, or HttpClient's HttpHostConnectException
            || e instanceof ConnectTimeoutException
            || e instanceof UnknownHostException
            || e instanceof NoRouteToHostException)) {
      message = "cannot reach " + server + " (" + e + "); check that it is running and reachable";
    } else if (expired
        || e instanceof SocketTimeoutException
        || e instanceof ConnectionRequestTimeoutException) {
      message =
          "no whole answer from "
              + server
              + " within the request timeout of "
              + config.requestTimeout.toMillis()
              + " ms"
              + (put ? "; the put may or may not have been stored" : "");
    } else {
      message =
          "the connection to "
              + server
              + " failed before the whole answer arrived ("
              + e
              + ")"
              + (put ? "; the put may or may not have been stored" : "");
    }
    return new BackendUnavailableException("Server error: " + message, e);
  }

  /** The body as UTF-8 text; one over {@link #MAX_RESPONSE_BYTES} is an I/O fault. */
  private static String readBody(HttpEntity entity) throws IOException {
    if (entity == null) {
      return "";
    }
    long length = entity.getContentLength();
    if (length > MAX_RESPONSE_BYTES) {
      throw new IOException("response body of " + length + " bytes is too large");
    }
    try (InputStream in = entity.getContent()) {
      if (in == null) {
        return "";
      }
      byte[] bytes = in.readNBytes(length >= 0 ? (int) length : MAX_RESPONSE_BYTES + 1);
      if (bytes.length > MAX_RESPONSE_BYTES) {
        throw new IOException("response body over " + MAX_RESPONSE_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * 413: the request body is over the server's limit, which {@link HubertServer} sends in the
   * {@value HubertServer#BODY_LIMIT_HEADER} header; otherwise axum's default of the reference.
   */
  private static ValueTooLargeException tooLarge(Reply response, int bodyBytes) {
    long limit =
        Optional.ofNullable(response.bodyLimit)
            .flatMap(ServerKv::parseLong)
            .orElse((long) HubertServer.DEFAULT_MAX_BODY_BYTES);
    return new ValueTooLargeException(
        "the put request (ur:arid and ur:envelope)",
        bodyBytes,
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

  /** The {@link dev.hubert.api.HubertException} itself, not a CompletionException around it. */
  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static BackendUnavailableException closed() {
    return new BackendUnavailableException("this ServerKv is closed; create a new one");
  }

  private <T> CompletableFuture<T> closedFuture() {
    return CompletableFuture.failedFuture(closed());
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
     * @throws IllegalArgumentException if it is not an absolute http(s) URL with a host, or its
     *     port is not 1..65535
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
      if (uri.getPort() == 0 || uri.getPort() > 65_535) { // URI does not check the range
        throw new IllegalArgumentException(
            "the server URL's port must be 1..65535, got " + uri.getPort() + " in " + baseUrl);
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

    /** How long to wait for a TCP connection; positive; over 100 years is cut to 100 years. */
    public Config withConnectTimeout(Duration timeout) {
      Duration connect = Checks.capped(Checks.positive(timeout, "connect timeout"));
      return new Config(baseUrl, connect, requestTimeout);
    }

    /**
     * How long one exchange may take as a whole: connecting, sending, and reading the whole answer
     * (each poll of a {@code get} is one exchange). Default 30 s; positive; over 100 years is cut
     * to 100 years.
     */
    public Config withRequestTimeout(Duration timeout) {
      Duration request = Checks.capped(Checks.positive(timeout, "request timeout"));
      return new Config(baseUrl, connectTimeout, request);
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
