package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.check;
import static dev.hubert.testkit.Kit.failure;
import static dev.hubert.testkit.Kit.ms;
import static dev.hubert.testkit.Kit.skip;

import dev.hubert.api.CorruptValueException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Rules 3.1–3.5: get. */
final class GetTester {
  private GetTester() {}

  static void roundTrip(Kit k) {
    Arid arid = Kit.fresh();
    Envelope put = Fixtures.reference();
    k.expectValue(k.store.put(arid, put), k.op(), "3.1", "put(arid, envelope)",
        "that put stores the envelope");
    Optional<Envelope> got = k.expectValue(k.store.get(arid, k.op()), k.getLimit(k.op()), "3.1",
        "get of a stored ARID", "that get finds what put stored");
    check(got.isPresent(), "3.1", "get of an ARID that put had stored completed empty",
        "that put really stores the value (a store that loses writes fails here) and that get"
            + " looks under the same key put wrote");
    Envelope e = got.get();
    check(e.isIdenticalTo(put), "3.1", "get returned " + e + " (digest " + e.digest().shortHex()
        + ") instead of " + put + " (digest " + put.digest().shortHex() + ")"
        + (e.isEquivalentTo(put) ? ": the same digest, but not identical (elided?)" : ""),
        "that get decodes exactly the bytes put stored (Envelope.fromCborData of"
            + " envelope.toCborData()), that put stores the envelope itself, not an elided or"
            + " otherwise transformed form of it, and that de-obfuscation uses the same ARID");
  }

  static void missingCompletesEmpty(Kit k) {
    Duration timeout = k.timing.missingTimeout();
    Duration limit = timeout.plus(k.op());
    Optional<Envelope> got = k.expectValue(k.store.get(Kit.fresh(), timeout), limit, "3.2",
        "get of a missing ARID with timeout " + ms(timeout), "that a timeout completes the future"
            + " normally with Optional.empty(): a timeout is not an error");
    check(got != null && got.isEmpty(), "3.2", "get of a never-written ARID returned " + got,
        "that get returns only what was stored at that ARID");
  }

  static void missingBounds(Kit k) {
    requireBounds(k);
    Duration timeout = k.timing.missingTimeout();
    Arid arid = Kit.fresh();
    long start = System.nanoTime(); // before the call: a store may spend its timeout inside it
    bounded(k, k.store.get(arid, timeout, false), start, timeout,
        "get of a missing ARID with timeout " + ms(timeout));
  }

  /** Checks that a missing-ARID get completes empty no earlier than timeout, within slack. */
  private static void bounded(Kit k, CompletableFuture<Optional<Envelope>> f, long start,
      Duration timeout, String call) {
    Duration limit = timeout.plus(k.timing.slack());
    Kit.Outcome<Optional<Envelope>> o = Kit.settle(f, start, limit);
    if (!o.done) {
      throw failure("3.2", call + " had not completed " + ms(limit) + " after the call (timeout "
          + ms(timeout) + " + slack " + ms(k.timing.slack()) + ")", "that get stops polling at"
          + " its deadline and completes with Optional.empty(); that one backend lookup fits in"
          + " the slack (raise " + Timing.SLACK_PROPERTY + " on a slow machine), or declare"
          + " exactTimeoutBounds(false)");
    }
    Optional<Envelope> got = k.value(o, limit, "3.2", call, "that a timeout is not an error");
    check(got != null && got.isEmpty(), "3.2", call + " returned " + got,
        "that get returns only what was stored at that ARID");
    Duration tolerance = timeout.dividedBy(50);
    check(o.elapsedNanos >= timeout.minus(tolerance).toNanos(), "3.2", call
        + " completed after " + ms(o.elapsed()) + ", before its timeout", "that get keeps"
        + " polling until the whole timeout has passed (compare System.nanoTime() with a deadline"
        + " fixed when get was called, and count the timeout in the right unit)");
  }

  private static void requireBounds(Kit k) {
    if (!k.caps.exactTimeoutBounds()) {
      skip("3.2", "the store declares that it does not keep the timeout bounds",
          "make get complete no earlier than its timeout and at most one lookup later, then"
              + " declare exactTimeoutBounds(true)");
    }
  }

  static void zeroTimeout(Kit k) {
    Optional<Envelope> missing = k.expectValue(k.store.get(Kit.fresh(), Duration.ZERO),
        k.getLimit(Duration.ZERO), "3.3", "get of a missing ARID with timeout 0",
        "that a zero timeout means one lookup and no waiting");
    check(missing.isEmpty(), "3.3", "get with timeout 0 of a never-written ARID returned "
        + missing, "that get returns only what was stored at that ARID");
    Arid arid = Kit.fresh();
    Envelope env = Envelope.of("zero timeout");
    k.expectValue(k.store.put(arid, env), k.op(), "3.3", "put", "that put stores the value");
    Optional<Envelope> got = k.expectValue(k.store.get(arid, Duration.ZERO),
        k.getLimit(Duration.ZERO), "3.3", "get with timeout 0 of a stored ARID",
        "that a zero timeout still does one lookup");
    check(got.isPresent() && got.get().isIdenticalTo(env), "3.3",
        "get with timeout 0 of a stored ARID returned " + got,
        "that a zero timeout does one lookup before it gives up, not none");
  }

  static void nullTimeout(Kit k) {
    Duration d = k.store.defaultTimeout();
    check(d != null && !d.isNegative(), "3.3", "defaultTimeout() returned " + d,
        "that defaultTimeout() returns a non-negative Duration (30 s as in the reference)");
    requireBounds(k);
    Duration wait = k.timing.missingTimeout();
    long start = System.nanoTime();
    CompletableFuture<Optional<Envelope>> f = k.store.get(Kit.fresh(), null, false);
    if (d.compareTo(wait) <= 0) {
      bounded(k, f, start, d, "get with a null timeout (defaultTimeout() = " + ms(d) + ")");
      return;
    }
    // A long default: check only that the get is still waiting after the missing timeout.
    Kit.Outcome<Optional<Envelope>> o = Kit.settle(f, start, wait);
    f.cancel(false);
    check(!o.done, "3.3", "get with a null timeout completed after " + ms(o.elapsed())
        + (o.error != null ? " with " + Kit.describe(o.error) : "")
        + ", before defaultTimeout() = " + ms(d), "that a null timeout means"
        + " defaultTimeout(), not zero");
    k.reporter.publishEntry("rule 3.3", "defaultTimeout() is " + ms(d) + "; checked only that"
        + " get(arid, null) was still polling after " + ms(wait));
  }

  static void corrupt(Kit k) throws Exception {
    Arid arid = Kit.fresh();
    if (!k.suite().writeCorruptValue(k.store, arid)) {
      skip("3.4", "writeCorruptValue(store, arid) returns false",
          "override writeCorruptValue to store bytes that are not an envelope at the ARID,"
              + " directly through your backend, and return true");
    }
    Duration timeout = k.timing.missingTimeout();
    k.expectFailure(k.store.get(arid, timeout), CorruptValueException.class,
        timeout.plus(k.op()), "3.4", "get of an ARID holding bytes that are not an envelope",
        "that get decodes with Envelope.fromCborData and turns its DecodeException into"
            + " CorruptValueException (not an empty result, not another exception)");
  }

  static void expiredNeverReturned(Kit k) {
    Duration granularity = PutTester.requireTtl(k, "3.5");
    Duration ttl = PutTester.ttlFor(k, granularity);
    Arid arid = Kit.fresh();
    long start = System.nanoTime();
    k.expectValue(k.store.put(arid, Envelope.of("expiring"), ttl, false), k.op(), "3.5",
        "put with TTL " + ms(ttl), "that put accepts a TTL");
    Duration limit = ttl.plus(granularity).plus(k.timing.slack());
    check(PutTester.pollUntilGone(k, arid, start, limit, "3.5"), "3.5", "a value put with TTL "
        + ms(ttl) + " still existed " + ms(limit) + " after the put", "that the store expires"
        + " values (rule 2.4), or declare no TTL support");
    Duration timeout = k.timing.missingTimeout();
    Optional<Envelope> got = k.expectValue(k.store.get(arid, timeout), k.getLimit(timeout), "3.5",
        "get of an expired ARID", "that get treats an expired value as missing");
    check(got.isEmpty(), "3.5", "get returned " + got + " after its TTL had expired"
        + " (exists already said false)", "that get checks expiry on every lookup, also for"
        + " copies cached or replicated elsewhere");
  }
}
