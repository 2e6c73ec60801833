package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.check;
import static dev.hubert.testkit.Kit.describe;
import static dev.hubert.testkit.Kit.failure;
import static dev.hubert.testkit.Kit.ms;
import static dev.hubert.testkit.Kit.skip;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.HubertException;
import dev.hubert.api.KvStore;
import dev.hubert.api.Receipt;
import dev.hubert.api.ValueTooLargeException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Rules 2.1–2.5: put. */
final class PutTester {
  static final int MANY = 5;
  static final int CONCURRENT_WRITERS = 8;
  static final int CONCURRENT_ROUNDS = 5;

  private PutTester() {}

  static void completesWithReceipt(Kit k) {
    Receipt r = k.expectValue(k.store.put(Kit.fresh(), Fixtures.reference()), k.op(), "2.1",
        "put(arid, envelope)", "that put stores the envelope and completes with a Receipt");
    check(r != null, "2.1", "put completed with null instead of a Receipt",
        "that put completes with Receipt.of(text), in the reference's receipt format");
    check(!r.text().isBlank(), "2.1", "put completed with a blank receipt text",
        "that the receipt says where the value went, in the reference's format"
            + " (e.g. \"Stored in memory\", \"dht://<public key hex>\")");
  }

  static void manyArids(Kit k) {
    List<Arid> arids = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      Arid a = Kit.fresh();
      arids.add(a);
      k.expectValue(k.store.put(a, Envelope.of("Msg " + i)), k.op(), "2.1",
          "put #" + i + " of " + MANY + " at fresh ARIDs",
          "that put at one ARID is independent of values at other ARIDs");
    }
    for (int i = 0; i < MANY; i++) {
      Optional<Envelope> got = k.expectValue(k.store.get(arids.get(i), k.op()), k.getLimit(k.op()),
          "2.1", "get of put #" + i, "that each ARID keeps its own value");
      Envelope want = Envelope.of("Msg " + i);
      check(got.isPresent(), "2.1", "get of put #" + i + " of " + MANY + " found nothing",
          "that put stores each value under its own ARID so that get finds it (the store may"
              + " lose or overwrite values at other ARIDs)");
      check(got.get().isIdenticalTo(want), "2.1", "get of put #" + i + " returned " + got.get()
          + " instead of " + want, "that values are keyed by the whole ARID, not mixed up");
    }
  }

  static void putTwice(Kit k) {
    Arid arid = Kit.fresh();
    Envelope first = Envelope.of("First");
    k.expectValue(k.store.put(arid, first), k.op(), "2.2", "first put at a fresh ARID",
        "that put stores a value at an ARID that holds nothing");
    String check = "that put checks for an existing value at the ARID before it writes, and fails"
        + " with new AlreadyExistsException(arid, arid.urString()) if there is one";
    AlreadyExistsException e = k.expectFailure(k.store.put(arid, Envelope.of("Second")),
        AlreadyExistsException.class, k.op(), "2.2", "second put at the same ARID", check);
    check(arid.equals(e.arid()), "2.2", "AlreadyExistsException.arid() is " + e.arid()
        + ", not the ARID that was put", "that the exception names the ARID that is taken");
    k.expectFailure(k.store.put(arid, first), AlreadyExistsException.class, k.op(), "2.2",
        "a put of the same envelope again at the same ARID", check + " (even for the same value)");
    Optional<Envelope> got = k.expectValue(k.store.get(arid, k.op()), k.getLimit(k.op()), "2.2",
        "get after the refused put", "that a refused put leaves the first value in place");
    check(got.isPresent() && got.get().isIdenticalTo(first), "2.2",
        "after a refused second put, get returned " + got + " instead of the first value " + first,
        "that a refused put never writes: the first value stays unchanged");
  }

  static void concurrentPuts(Kit k) {
    if (!k.caps.atomicWriteOnce()) {
      skip("2.2", "the store declares that it cannot decide concurrent puts atomically",
          "make put create-if-absent atomically and declare atomicWriteOnce(true)");
    }
    ExecutorService pool = Threads.pool(CONCURRENT_WRITERS);
    try {
      for (int round = 0; round < CONCURRENT_ROUNDS; round++) {
        oneRace(k, pool, round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void oneRace(Kit k, ExecutorService pool, int round) {
    Arid arid = Kit.fresh();
    CountDownLatch ready = new CountDownLatch(CONCURRENT_WRITERS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CompletableFuture<Receipt>>> calls = new ArrayList<>();
    for (int w = 0; w < CONCURRENT_WRITERS; w++) {
      Envelope env = Envelope.of("writer " + w);
      calls.add(pool.submit(() -> {
        ready.countDown();
        go.await(k.op().toMillis(), TimeUnit.MILLISECONDS);
        return k.store.put(arid, env);
      }));
    }
    Threads.await(ready, k.op(), "2.2", "starting the concurrent writers");
    go.countDown();
    int winner = -1;
    int successes = 0;
    List<String> others = new ArrayList<>();
    for (int w = 0; w < CONCURRENT_WRITERS; w++) {
      CompletableFuture<Receipt> f = Threads.get(calls.get(w), k.op(), "2.2", "put #" + w);
      Kit.Outcome<Receipt> o = Kit.settle(f, System.nanoTime(), k.op());
      if (!o.done) {
        throw k.hang("2.2", "concurrent put #" + w, k.op());
      }
      if (o.error == null) {
        successes++;
        winner = w;
      } else if (!(o.error instanceof AlreadyExistsException)) {
        others.add("put #" + w + " failed with " + describe(o.error));
      }
    }
    String check = "that put decides create-if-absent atomically (e.g. ConcurrentMap.putIfAbsent,"
        + " INSERT with a primary key, a compare-and-set on the backend); if the backend cannot,"
        + " declare atomicWriteOnce(false)";
    check(successes <= 1, "2.2", "round " + round + ": " + successes + " of " + CONCURRENT_WRITERS
        + " concurrent puts at one ARID succeeded", check);
    check(others.isEmpty(), "2.2", "round " + round + ": concurrent puts that lost failed with"
        + " something other than AlreadyExistsException: " + others, check);
    check(successes == 1, "2.2", "round " + round + ": none of " + CONCURRENT_WRITERS
        + " concurrent puts at a fresh ARID succeeded", "that one of the racing puts wins");
    Optional<Envelope> got = k.expectValue(k.store.get(arid, k.op()), k.getLimit(k.op()), "2.2",
        "get after the race", "that the winning put's value is stored");
    Envelope want = Envelope.of("writer " + winner);
    check(got.isPresent() && got.get().isIdenticalTo(want), "2.2", "round " + round
        + ": put #" + winner + " won, but get returned " + got, check);
  }

  static void oversized(Kit k) {
    long max = requireMaxSize(k);
    long size = k.caps.exactValueSizeLimit() ? max + 1 : max + 1000;
    Envelope big = sized(size);
    Arid arid = Kit.fresh();
    String check = "that put measures envelope.toCborData().length (the declared maxValueSize is "
        + max + ") and fails with ValueTooLargeException before it writes anything";
    k.expectFailure(k.store.put(arid, big), ValueTooLargeException.class, k.op(), "2.3",
        "put of a " + size + "-byte envelope", check);
    Boolean stored = k.expectValue(k.store.exists(arid), k.op(), "2.3",
        "exists after the refused put", "that exists works after a refused put");
    check(!stored, "2.3", "the ARID of a refused " + size + "-byte put exists afterwards",
        "that nothing is written when the value is too large");
  }

  static void atLimit(Kit k) {
    long max = requireMaxSize(k);
    if (!k.caps.exactValueSizeLimit()) {
      skip("2.3", "the store declares its size limit (" + max + " bytes) as approximate",
          "declare exactValueSizeLimit(true) if an envelope of exactly maxValueSize bytes is"
              + " accepted and one byte more is refused");
    }
    Envelope env = sized(max);
    Arid arid = Kit.fresh();
    k.expectValue(k.store.put(arid, env), k.op(), "2.3", "put of an envelope of exactly the"
        + " declared maxValueSize (" + max + " bytes)", "that the limit is inclusive (size > max"
        + " is refused, size == max accepted), or declare exactValueSizeLimit(false)");
    Optional<Envelope> got = k.expectValue(k.store.get(arid, k.op()), k.getLimit(k.op()), "2.3",
        "get of the " + max + "-byte envelope", "that values at the limit are stored whole");
    check(got.isPresent() && got.get().isIdenticalTo(env), "2.3",
        "get of the " + max + "-byte envelope returned " + got.map(e -> "a different envelope")
            .orElse("nothing"), "that values at the limit are stored whole");
  }

  private static long requireMaxSize(Kit k) {
    if (k.caps.maxValueSize().isEmpty()) {
      skip("2.3", "the store declares no maximum value size",
          "declare maxValueSize(bytes) in capabilities() if the store refuses large values");
    }
    return k.caps.maxValueSize().getAsLong();
  }

  private static Envelope sized(long size) {
    Envelope e = Fixtures.ofSize(size);
    if (e == null) {
      skip("2.3", "the kit cannot build a text envelope of exactly " + size + " bytes",
          "declare a maxValueSize of at most " + Fixtures.MAX_BUILDABLE
              + " bytes that a text envelope can reach");
    }
    return e;
  }

  static void ttlAccepted(Kit k) {
    Arid arid = Kit.fresh();
    Envelope env = Envelope.of("kept for an hour");
    k.expectValue(k.store.put(arid, env, Duration.ofHours(1), false), k.op(), "2.4",
        "put(arid, envelope, 1 hour, false)", "that put accepts a TTL (a store without expiry"
            + " ignores it; a store with a maximum clamps it)");
    Optional<Envelope> got = k.expectValue(k.store.get(arid, k.op()), k.getLimit(k.op()), "2.4",
        "get of a value put with a 1-hour TTL", "that a TTL does not stop the value being stored");
    check(got.isPresent() && got.get().isIdenticalTo(env), "2.4",
        "get of a value put with a 1-hour TTL returned " + got,
        "that a TTL does not stop the value being stored");
  }

  static void expires(Kit k) {
    Duration granularity = requireTtl(k, "2.4");
    Duration ttl = ttlFor(k, granularity);
    Arid arid = Kit.fresh();
    long start = System.nanoTime();
    k.expectValue(k.store.put(arid, Envelope.of("short-lived"), ttl, false), k.op(), "2.4",
        "put with TTL " + ms(ttl), "that put accepts a TTL");
    boolean early = System.nanoTime() - start < ttl.toNanos() / 2;
    if (early) {
      boolean there = k.expectValue(k.store.exists(arid), k.op(), "2.4", "exists right after put",
          "that exists works");
      check(there, "2.4", "a value put with TTL " + ms(ttl) + " was gone before half its TTL",
          "that the TTL is applied in the right unit (seconds vs. milliseconds)");
    }
    Duration limit = ttl.plus(granularity).plus(k.timing.slack());
    boolean gone = pollUntilGone(k, arid, start, limit, "2.4");
    check(gone, "2.4", "a value put with TTL " + ms(ttl) + " still existed " + ms(limit)
        + " after the put (declared TTL granularity " + ms(granularity) + ", slack "
        + ms(k.timing.slack()) + ")", "that the store expires values after their TTL, and that"
        + " exists treats an expired value as absent; or declare a coarser"
        + " supportsTtl(granularity), or no TTL support");
  }

  /** Polls exists until false or until {@code limit} after {@code start}; true if it went. */
  static boolean pollUntilGone(Kit k, Arid arid, long start, Duration limit, String rule) {
    long step = Math.max(10, Math.min(250, limit.toMillis() / 20));
    for (int i = 0; i < 10_000; i++) {
      boolean there = k.expectValue(k.store.exists(arid), k.op(), rule, "exists while waiting"
          + " for expiry", "that exists works for expiring values");
      if (!there) {
        return true;
      }
      if (System.nanoTime() - start > limit.toNanos()) {
        return false;
      }
      Threads.sleep(step);
    }
    return false;
  }

  static Duration requireTtl(Kit k, String rule) {
    Optional<Duration> g = k.caps.ttlGranularity();
    if (g.isEmpty()) {
      skip(rule, "the store declares no TTL support",
          "declare supportsTtl(granularity) in capabilities() if the store expires values");
    }
    return g.get();
  }

  /** The TTL the expiry tests put: the missing timeout, or the granularity if coarser. */
  static Duration ttlFor(Kit k, Duration granularity) {
    Duration t = k.timing.missingTimeout();
    return granularity.compareTo(t) > 0 ? granularity : t;
  }

  static void unreachable(Kit k) throws Exception {
    KvStore u = k.suite().createUnreachableStore();
    if (u == null) {
      skip("2.5", "createUnreachableStore() returns null",
          "override createUnreachableStore() to return your store configured for a backend that"
              + " cannot be reached (for example a closed loopback port)");
    }
    String check = "that network faults complete the future with BackendUnavailableException"
        + " (no answer) or BackendException (an error answer), within a deadline";
    try {
      Arid arid = Kit.fresh();
      k.expectFailure(u.put(arid, Fixtures.reference()), HubertException.class, k.op(), "2.5",
          "put on an unreachable backend", check);
      k.expectFailure(u.get(arid, k.timing.missingTimeout()), HubertException.class,
          k.timing.missingTimeout().plus(k.op()), "2.5", "get on an unreachable backend",
          check + " (a get may retry until its timeout, rule 3.4, then must fail)");
      k.expectFailure(u.exists(arid), HubertException.class, k.op(), "2.5",
          "exists on an unreachable backend", check);
    } finally {
      u.close();
    }
  }
}
