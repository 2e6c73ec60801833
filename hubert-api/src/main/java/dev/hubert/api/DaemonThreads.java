package dev.hubert.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a backend's own pools: daemon threads (an unclosed store never keeps the JVM
 * alive) with names that say whose they are, and the bounded wait for them in a store's {@code
 * close()}. Support for backends, like {@link Polling} and {@link Delivered}.
 *
 * <p>A factory either numbers its threads ({@link #numbered}: {@code <prefix>1}, {@code
 * <prefix>2}, … in the order they are made, across every pool it serves) or gives each the same
 * name ({@link #named}, for a pool of one thread). Thread-safe.
 */
public final class DaemonThreads implements ThreadFactory {
  private final String name;
  /** The last number given; null when every thread gets {@link #name} as it is. */
  private final AtomicInteger count;

  private DaemonThreads(String name, AtomicInteger count) {
    this.name = Objects.requireNonNull(name, "name");
    this.count = count;
  }

  /**
   * Daemon threads named {@code prefix} followed by a number counting from 1, e.g. {@code
   * numbered("hubert-poll-")} makes {@code hubert-poll-1}, {@code hubert-poll-2}, …
   *
   * @param prefix the names' start, with its separator
   */
  public static DaemonThreads numbered(String prefix) {
    return new DaemonThreads(prefix, new AtomicInteger());
  }

  /** Daemon threads all named {@code name}, e.g. the one thread of a timer. */
  public static DaemonThreads named(String name) {
    return new DaemonThreads(name, null);
  }

  /** A new daemon thread, not started, that will run {@code task}. */
  @Override
  public Thread newThread(Runnable task) {
    Thread t = new Own(this, task, count == null ? name : name + count.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  /** A thread that knows the factory that made it. */
  private static final class Own extends Thread {
    final DaemonThreads factory;

    Own(DaemonThreads factory, Runnable task, String name) {
      super(task, name);
      this.factory = factory;
    }
  }

  /**
   * After {@code pool} (whose threads this factory made) was shut down, waits at most {@code
   * limit} for it to terminate: for a task still running, e.g. a caller's stage, to finish. Returns
   * at once when called from a thread this factory made, as a pool's own thread cannot wait for
   * itself to end (another thread with the same name still waits). An interrupt ends the wait and
   * is kept set.
   *
   * @throws IllegalStateException if {@code pool} has not been shut down: it would never terminate
   */
  public void awaitTermination(ExecutorService pool, Duration limit) {
    if (!pool.isShutdown()) {
      throw new IllegalStateException("shut the pool down before waiting for it to end");
    }
    if (Thread.currentThread() instanceof Own own && own.factory == this) {
      return;
    }
    try {
      pool.awaitTermination(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
