package dev.hubert.dht;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.DaemonThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lbms.plugins.mldht.kad.DHT.DHTtype;
import lbms.plugins.mldht.kad.DHTConstants;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.messages.MessageBase;
import lbms.plugins.mldht.kad.messages.MessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import the8472.bencode.BDecoder;
import the8472.bencode.BEncoder;

/**
 * The UDP socket of hubert's own client requests (BEP-44 get and put), beside the embedded mldht
 * node, which keeps the routing table and answers other nodes. One receiving thread decodes each
 * answer and hands it to the request's listener at once; requests are sent from the calling thread,
 * their transaction registered before the datagram leaves (no send/answer race). Messages are
 * mldht's own classes, encoded and decoded with mldht's bencode code, so the bytes on the wire are
 * those mldht sends, plus BEP-43 {@code ro = 1}: this socket answers no queries (they are ignored),
 * so other nodes should not add it to their routing tables.
 *
 * <p>It has its own random node ID. Write tokens are bound to the asking address (mldht: IP,
 * port and node ID; libtorrent and bittorrent-dht: IP), so a put must go out from the socket
 * whose get obtained the token: both go through this one.
 *
 * <p>Per request: {@link Listener#stalled()} after the expected round trip, then either {@link
 * Listener#answered} (an answer or an error message from the address asked) or {@link
 * Listener#timedOut()} after {@link #TIMEOUT_MS} (mldht's RPC timeout), exactly one of the two.
 * Datagrams that are not a well-formed answer to a pending request from the address it went to
 * are ignored. {@link #close()} releases the socket and both threads; pending requests then get no
 * further callback.
 */
final class KrpcClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KrpcClient.class);

  /** A request's final timeout, as mldht's: 10 s. */
  static final long TIMEOUT_MS = DHTConstants.RPC_CALL_TIMEOUT_MAX;
  private static final int MAX_DATAGRAM = 65_536;
  private static final int RECEIVE_BUFFER = 2 << 20;

  /** What happens to one request. Callbacks run on the receiving or the timer thread. */
  interface Listener {
    /** The node answered: a response or an {@code ErrorMessage}. */
    void answered(MessageBase message);

    /** No answer within the expected round trip (the request may still be answered). */
    default void stalled() {}

    /** No answer within {@link #TIMEOUT_MS}, or the request could not be sent. */
    void timedOut();
  }

  /** One request in flight. */
  final class Call {
    private static final int SENT = 0;
    private static final int STALLED = 1;
    private static final int DONE = 2;

    private final int tid;
    private final InetSocketAddress to;
    private final MessageBase.Method method;
    private final Listener listener;
    private final AtomicInteger state = new AtomicInteger(SENT);
    private volatile ScheduledFuture<?> timer;

    private Call(int tid, InetSocketAddress to, MessageBase.Method method, Listener listener) {
      this.tid = tid;
      this.to = to;
      this.method = method;
      this.listener = listener;
    }

    /** Stops waiting: no further callback, a late answer is ignored. */
    void cancel() {
      finish();
    }

    /** Ends the call once; true for the one caller that did. */
    private boolean finish() {
      while (true) {
        int s = state.get();
        if (s == DONE) {
          return false;
        }
        if (state.compareAndSet(s, DONE)) {
          calls.remove(tid, this);
          ScheduledFuture<?> t = timer;
          if (t != null) {
            t.cancel(false);
          }
          return true;
        }
      }
    }

    private void stall() {
      if (state.compareAndSet(SENT, STALLED)) {
        listener.stalled();
      }
    }

    private void timeOut() {
      if (finish()) {
        listener.timedOut();
      }
    }

    private void answer(MessageBase message) {
      if (finish()) {
        listener.answered(message);
      }
    }
  }

  private final DatagramChannel channel;
  private final InetSocketAddress address;
  private final Key id = Key.createRandomKey();
  private final Map<Integer, Call> calls = new ConcurrentHashMap<>();
  private final AtomicInteger nextTid = new AtomicInteger(ThreadLocalRandom.current().nextInt());
  private final ScheduledThreadPoolExecutor timer;
  private final Thread receiver;
  private final long timeoutMillis;
  private volatile boolean closed;

  private KrpcClient(DatagramChannel channel, InetSocketAddress address, String name,
      long timeoutMillis) {
    this.channel = channel;
    this.address = address;
    this.timeoutMillis = timeoutMillis;
    this.timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(name + " timer"));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.receiver = new Thread(this::receive, name + " receiver");
    receiver.setDaemon(true);
  }

  /**
   * Opens a socket on {@code bind} (a free port) and starts its threads, named {@code name}
   * followed by "receiver" and "timer".
   *
   * @throws BackendUnavailableException if the socket cannot be opened
   */
  static KrpcClient open(InetAddress bind, String name) {
    return open(bind, name, TIMEOUT_MS);
  }

  /** {@link #open(InetAddress, String)} with another final timeout (tests). */
  static KrpcClient open(InetAddress bind, String name, long timeoutMillis) {
    DatagramChannel channel = null;
    try {
      channel = DatagramChannel.open(StandardProtocolFamily.INET);
      // room for the answers to many requests in flight at once (as mldht's socket: 2 MiB)
      channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
      channel.bind(new InetSocketAddress(bind, 0));
      KrpcClient client = new KrpcClient(channel,
          (InetSocketAddress) channel.getLocalAddress(), name, timeoutMillis);
      client.receiver.start();
      return client;
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // nothing more to release
        }
      }
      throw new BackendUnavailableException("cannot open a UDP socket on "
          + bind.getHostAddress() + " for DHT requests: " + e.getMessage(), e);
    }
  }

  /** The socket's local address. */
  InetSocketAddress address() {
    return address;
  }

  /** The node ID this socket's requests carry. */
  Key id() {
    return id;
  }

  /**
   * Sends {@code request} to {@code to} with this socket's node ID and a fresh transaction ID.
   * {@code stallMillis} is the expected round trip (at most {@link #TIMEOUT_MS}). A request that
   * cannot be sent times out at once, on the timer thread; so does every request after {@link
   * #close()} (or it gets no callback at all if the timer is already shut down).
   */
  Call send(MessageBase request, InetSocketAddress to, long stallMillis, Listener listener) {
    int tid = nextTid.getAndIncrement();
    Call call = new Call(tid, to, request.getMethod(), listener);
    request.setID(id);
    request.setMTID(tidBytes(tid));
    request.setDestination(to);
    calls.put(tid, call); // registered before the datagram leaves: an answer always finds it
    try {
      long stall = Math.max(1, Math.min(stallMillis, timeoutMillis));
      call.timer = timer.schedule(() -> {
        call.stall();
        long left = timeoutMillis - stall;
        if (left <= 0) {
          call.timeOut();
        } else if (call.state.get() != Call.DONE) {
          call.timer = timer.schedule(call::timeOut, left, TimeUnit.MILLISECONDS);
        }
      }, stall, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      call.finish(); // closed: no callbacks any more
      return call;
    }
    try {
      channel.send(encode(request), to);
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.debug("cannot send {} to {}: {}", request.getMethod(), to, e.toString());
      }
      failSoon(call);
    }
    return call;
  }

  private void failSoon(Call call) {
    try {
      timer.execute(call::timeOut); // not from inside the caller's own call
    } catch (RejectedExecutionException e) {
      call.finish();
    }
  }

  /** Runs {@code action} on the timer thread after {@code delayMillis}. */
  ScheduledFuture<?> schedule(Runnable action, long delayMillis) {
    return timer.schedule(action, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code action} on the timer thread every {@code periodMillis}. */
  ScheduledFuture<?> every(Runnable action, long periodMillis) {
    return timer.scheduleWithFixedDelay(action, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Requests waiting for an answer (for tests). */
  int pending() {
    return calls.size();
  }

  private static ByteBuffer encode(MessageBase request) {
    Map<String, Object> message = request.getBase();
    message.put("ro", 1); // BEP-43: read-only, answers no queries
    ByteBuffer out = ByteBuffer.allocate(1500);
    new BEncoder().encodeInto(message, out); // flips the buffer
    return out;
  }

  private static byte[] tidBytes(int tid) {
    return new byte[] {(byte) (tid >>> 24), (byte) (tid >>> 16), (byte) (tid >>> 8), (byte) tid};
  }

  private void receive() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    while (!closed) {
      SocketAddress from;
      buffer.clear();
      try {
        from = channel.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        LOG.debug("receive failed on {}: {}", address, e.toString());
        continue;
      }
      buffer.flip();
      byte[] datagram = new byte[buffer.remaining()];
      buffer.get(datagram);
      try {
        handle(from, datagram);
      } catch (RuntimeException e) {
        LOG.warn("DHT answer from {} not handled", from, e);
      }
    }
  }

  /** Decodes one datagram and completes the request it answers; ignores anything else. */
  void handle(SocketAddress from, byte[] datagram) {
    Map<String, Object> root;
    try {
      root = new BDecoder().decode(ByteBuffer.wrap(datagram));
    } catch (RuntimeException e) {
      return; // not bencoded
    }
    Object type = root.get("y");
    Object t = root.get("t");
    if (!(type instanceof byte[]) || !(t instanceof byte[]) || ((byte[]) t).length != 4
        || !(Arrays.equals((byte[]) type, new byte[] {'r'})
            || Arrays.equals((byte[]) type, new byte[] {'e'}))) {
      return; // queries (this socket answers none) and foreign transactions
    }
    byte[] tid = (byte[]) t;
    Call call = calls.get((tid[0] & 0xff) << 24 | (tid[1] & 0xff) << 16 | (tid[2] & 0xff) << 8
        | (tid[3] & 0xff));
    if (call == null || !call.to.equals(from)) {
      return; // unknown, finished, or from another address than the one asked
    }
    MessageBase message;
    try {
      MessageDecoder decoder = new MessageDecoder(x -> Optional.of(call.method), DHTtype.IPV4_DHT);
      decoder.toDecode(ByteBuffer.wrap(datagram), root);
      message = decoder.parseMessage();
    } catch (Exception e) {
      LOG.debug("malformed answer from {} ignored: {}", from, e.toString());
      return; // malformed: the request stays pending (it may stall and time out)
    }
    if (message == null) {
      return;
    }
    message.setOrigin((InetSocketAddress) from);
    call.answer(message);
  }

  /** Closes the socket, ends both threads (waits briefly for them). Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing {}", address, e);
    }
    timer.shutdownNow();
    calls.clear();
    try {
      if (Thread.currentThread() != receiver) {
        receiver.join(2000);
      }
      if (!timer.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warn("DHT client timer thread did not end within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
