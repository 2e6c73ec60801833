package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.check;
import static dev.hubert.testkit.Kit.describe;
import static dev.hubert.testkit.Kit.failure;
import static dev.hubert.testkit.Kit.ms;
import static dev.hubert.testkit.Kit.skip;

import dev.hubert.api.BackendUnavailableException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Rule 2.1 across two parties, and rules 5.1–5.4 and 5.6: threads, completion, close. */
final class ThreadTester {
  static final int THREADS = 4;
  static final int PUTS_PER_THREAD = 3;
  private static final String[][] PARTIES = {
    {"Alice's data", "Secret from Alice"},
    {"Bob's data", "Secret from Bob"},
    {"Carol's data", "Secret from Carol"},
  };

  private ThreadTester() {}

  static void secondPartyReads(Kit k) {
    if (!k.hasSecondParty()) {
      skip("2.1", "createSecondParty(store) returned the first store itself, so what another"
          + " party sees is not tested", "override createSecondParty(first) to return another"
          + " instance of your store (another node, or another client of the same backend)"
          + " that should read what the first one writes");
    }
    int n = PARTIES.length;
    List<Arid> arids = new ArrayList<>();
    List<CompletableFuture<Optional<Envelope>>> reads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Arid a = Kit.fresh();
      arids.add(a);
      reads.add(k.second.get(a, k.op())); // the reader polls before anything is written
    }
    ExecutorService pool = Threads.pool(n);
    try {
      List<Future<Receipt>> writes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Arid a = arids.get(i);
        Envelope env = Fixtures.message(PARTIES[i][0], PARTIES[i][1]);
        writes.add(pool.submit(() -> k.expectValue(k.store.put(a, env), k.op(), "2.1",
            "the first party's put of " + env, "that concurrent puts from several threads all"
                + " succeed")));
      }
      for (int i = 0; i < n; i++) {
        Threads.get(writes.get(i), k.op().plus(k.timing.slack()), "2.1", "writer " + i);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < n; i++) {
      Duration limit = k.op().plus(k.timing.slack());
      Kit.Outcome<Optional<Envelope>> o = Kit.settle(reads.get(i), start, limit);
      String call = "the second party's get of " + PARTIES[i][0] + " (started before the put)";
      Optional<Envelope> got = k.value(o, limit, "2.1", call, "that the second party's get"
          + " polls and reports backend faults as HubertExceptions");
      Envelope want = Fixtures.message(PARTIES[i][0], PARTIES[i][1]);
      check(got.isPresent(), "2.1", call + " completed empty after " + ms(o.elapsed()),
          "that put completes only once other parties can read the value (flushed, committed,"
              + " announced to enough nodes), and that both instances derive the same storage"
              + " key from the ARID");
      check(got.get().isIdenticalTo(want), "2.1", call + " returned " + got.get()
          + " instead of " + want, "that the second party decodes exactly what was stored");
    }
  }

  static void oneStoreManyThreads(Kit k) {
    ExecutorService pool = Threads.pool(THREADS);
    List<Arid> all = new ArrayList<>();
    try {
      List<Future<List<Arid>>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        tasks.add(pool.submit(() -> {
          List<Arid> mine = new ArrayList<>();
          for (int i = 0; i < PUTS_PER_THREAD; i++) {
            Arid a = Kit.fresh();
            Envelope env = Envelope.of("thread " + thread + " value " + i);
            k.expectValue(k.store.put(a, env), k.op(), "5.1", "put from thread " + thread,
                "that the store is safe for concurrent use (no shared unsynchronized state)");
            mine.add(a);
          }
          return mine;
        }));
      }
      for (int t = 0; t < THREADS; t++) {
        all.addAll(Threads.get(tasks.get(t), k.op().multipliedBy(PUTS_PER_THREAD + 1), "5.1",
            "thread " + t));
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < all.size(); i++) {
      int thread = i / PUTS_PER_THREAD;
      Envelope want = Envelope.of("thread " + thread + " value " + (i % PUTS_PER_THREAD));
      Optional<Envelope> got = k.expectValue(k.store.get(all.get(i), k.op()), k.getLimit(k.op()),
          "5.1", "get of a value put concurrently", "that concurrent puts are not lost");
      check(got.isPresent() && got.get().isIdenticalTo(want), "5.1", "of " + all.size()
          + " values put from " + THREADS + " threads at once, " + want + " read back as " + got,
          "that the store is safe for concurrent use: use concurrent collections or locks"
              + " around shared state, and no per-call state in fields");
    }
  }

  static void otherThread(Kit k) {
    String check = "that futures are completed by the store's own threads or the backend's"
        + " callbacks, never only by the caller's get()/join() (no thread-bound event loop)";
    Arid arid = Kit.fresh();
    Envelope env = Envelope.of("awaited elsewhere");
    CompletableFuture<Receipt> put = k.store.put(arid, env);
    ExecutorService pool = Threads.pool(1);
    try {
      Duration limit = k.op();
      Future<Kit.Outcome<Receipt>> waiter =
          pool.submit(() -> Kit.settle(put, System.nanoTime(), limit));
      Kit.Outcome<Receipt> o = Threads.get(waiter, limit.plus(k.timing.slack()), "5.2",
          "the thread awaiting put");
      if (!o.done) {
        throw failure("5.2", "put's future, awaited on another thread than the caller's, did not"
            + " complete within " + ms(limit), check);
      }
      k.value(o, limit, "5.2", "put awaited on another thread", "that put succeeds");
      Future<CompletableFuture<Optional<Envelope>>> made =
          pool.submit(() -> k.store.get(arid, k.op()));
      CompletableFuture<Optional<Envelope>> get =
          Threads.get(made, k.op(), "5.2", "calling get on another thread");
      Kit.Outcome<Optional<Envelope>> g = Kit.settle(get, System.nanoTime(), k.getLimit(k.op()));
      if (!g.done) {
        throw failure("5.2", "get's future, made on one thread and awaited on another, did not"
            + " complete within " + ms(k.getLimit(k.op())), check);
      }
      Optional<Envelope> got = k.value(g, k.op(), "5.2", "get awaited on another thread", check);
      check(got.isPresent() && got.get().isIdenticalTo(env), "5.2",
          "get awaited on another thread returned " + got, "that get finds what put stored");
      CompletableFuture<Boolean> composed = k.store.exists(arid).thenApplyAsync(b -> b, pool);
      boolean there = k.expectValue(composed, k.op(), "5.2",
          "exists composed with thenApplyAsync on another executor", check);
      check(there, "5.2", "exists composed on another executor was false",
          "that exists finds what put stored");
      // a stage that blocks on another call to the same store, run by whatever thread completes
      // a polling get (registered before the value exists, so it cannot run on this thread);
      // bounded, so a store that runs stages on its only I/O thread fails here rather than hangs
      Duration nestedLimit = k.op();
      Arid later = Kit.fresh();
      CompletableFuture<Optional<Envelope>> polling = k.store.get(later, k.op());
      CompletableFuture<Optional<Envelope>> nested = polling.thenApply(found -> {
        try {
          return k.store.get(arid, Duration.ZERO).get(nestedLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      k.expectValue(k.store.put(later, Envelope.of("wakes the stage")), k.op(), "5.2", "put",
          "that put succeeds");
      Optional<Envelope> again = k.expectValue(nested, k.getLimit(k.op()).plus(nestedLimit), "5.2",
          "a thenApply stage of a polling get that waits for a get on the same store",
          "that dependent stages never run on a thread the store needs to complete other calls"
              + " (an event loop, a selector): hand the outcome over to another executor, or let"
              + " a thread blocked in get()/join() take it (see dev.hubert.api.Delivered)");
      check(again.isPresent() && again.get().isIdenticalTo(env), "5.2",
          "the get inside a dependent stage returned " + again, "that get finds what put stored");
    } finally {
      pool.shutdownNow();
    }
  }

  static void withoutAwaiting(Kit k) {
    Duration timeout = k.timing.missingTimeout();
    List<String> calls = List.of("put", "exists", "get of a missing ARID with timeout "
        + ms(timeout));
    List<CompletableFuture<?>> futures = List.of(
        k.store.put(Kit.fresh(), Fixtures.reference()),
        k.store.exists(Kit.fresh()),
        k.store.get(Kit.fresh(), timeout));
    CountDownLatch done = new CountDownLatch(futures.size());
    futures.forEach(f -> f.whenComplete((v, e) -> done.countDown()));
    Duration limit = timeout.plus(k.op());
    try {
      done.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      if (!futures.get(i).isDone()) {
        pending.add(calls.get(i));
      }
    }
    check(pending.isEmpty(), "5.3", "no one called get()/join() on the futures of " + pending
        + ", and they had not completed after " + ms(limit), "that every future completes by"
        + " itself: the store's threads or the backend's callbacks must complete it, with a"
        + " deadline on every network wait");
  }

  static void closed(Kit k) throws Exception {
    KvStore s = k.suite().createStore();
    if (s == k.store || s == k.second) {
      skip("5.4", "createStore() returned an instance the suite is already using",
          "make createStore() return a new instance on every call, so one can be closed");
    }
    try {
      s.close();
      s.close();
    } catch (Exception e) {
      throw failure("5.4", "close() threw " + describe(e), "that close() releases resources"
          + " quietly and can be called twice (it is idempotent)", e);
    }
    Arid arid = Kit.fresh();
    afterClose(k, "put", () -> s.put(arid, Fixtures.reference()));
    afterClose(k, "get", () -> s.get(arid, k.timing.missingTimeout()));
    afterClose(k, "exists", () -> s.exists(arid));
  }

  /**
   * Rule 5.6: a second put at one ARID, and put, get and exists on a closed store, do not fail with
   * a wrapped HubertException. Whether they fail at all is for rules 2.2 and 5.4 to judge.
   */
  static void unwrappedFailures(Kit k) throws Exception {
    Arid arid = Kit.fresh();
    k.expectValue(k.store.put(arid, Fixtures.reference()), k.op(), "5.6", "put at a fresh ARID",
        "that put stores a value at an ARID that holds nothing (rule 2.1)");
    unwrapped(k, "second put at the same ARID", () -> k.store.put(arid, Fixtures.reference()));
    KvStore s = k.suite().createStore();
    if (s == k.store || s == k.second) {
      return; // rule 5.4 reports it
    }
    s.close();
    Arid other = Kit.fresh();
    unwrapped(k, "put on a closed store", () -> s.put(other, Fixtures.reference()));
    unwrapped(k, "get on a closed store", () -> s.get(other, k.timing.missingTimeout()));
    unwrapped(k, "exists on a closed store", () -> s.exists(other));
  }

  private static void unwrapped(Kit k, String call, Supplier<CompletableFuture<?>> invocation) {
    CompletableFuture<?> f;
    try {
      f = invocation.get();
    } catch (RuntimeException e) {
      return; // a call that throws is for rule 5.4 to judge
    }
    if (f != null) {
      Kit.checkUnwrapped(Kit.settle(f, System.nanoTime(), k.timing.missingTimeout().plus(k.op())),
          "5.6", call);
    }
  }

  private static void afterClose(Kit k, String call, Supplier<CompletableFuture<?>> invocation) {
    String check = "that every method checks a closed flag and returns"
        + " CompletableFuture.failedFuture(new BackendUnavailableException(\"... closed ...\"))";
    CompletableFuture<?> f;
    try {
      f = invocation.get();
    } catch (RuntimeException e) {
      throw failure("5.4", call + " on a closed store threw " + describe(e)
          + " instead of returning a future that fails", check, e);
    }
    check(f != null, "5.4", call + " on a closed store returned null", check);
    k.expectFailure(f, BackendUnavailableException.class,
        k.timing.missingTimeout().plus(k.op()), "5.4", call + " on a closed store", check);
  }
}
