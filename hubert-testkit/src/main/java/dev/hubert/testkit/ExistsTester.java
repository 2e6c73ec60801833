package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.check;
import static dev.hubert.testkit.Kit.failure;
import static dev.hubert.testkit.Kit.ms;

import dev.hubert.envelope.Arid;
import java.time.Duration;

/** Rule 4.1: exists. */
final class ExistsTester {
  private ExistsTester() {}

  static void falseThenTrue(Kit k) {
    Arid arid = Kit.fresh();
    boolean before = k.expectValue(k.store.exists(arid), k.op(), "4.1",
        "exists of a fresh ARID", "that exists does one lookup and completes");
    check(!before, "4.1", "exists of a never-written ARID was true",
        "that exists looks under the ARID's own key and answers false when nothing is there");
    k.expectValue(k.store.put(arid, Fixtures.reference()), k.op(), "4.1", "put",
        "that put stores the value");
    boolean after = k.expectValue(k.store.exists(arid), k.op(), "4.1",
        "exists after put", "that exists does one lookup and completes");
    check(after, "4.1", "exists was false after put had completed", "that put completes only"
        + " once the value is stored (rule 2.1) and that exists looks under the key put wrote");
  }

  static void doesNotPoll(Kit k) {
    Duration limit = k.timing.slack();
    long start = System.nanoTime();
    Kit.Outcome<Boolean> o = Kit.settle(k.store.exists(Kit.fresh()), start, limit);
    if (!o.done) {
      throw failure("4.1", "exists of a missing ARID had not completed after " + ms(limit)
          + " (the slack)", "that exists does a single lookup and does not poll like get; raise "
          + Timing.SLACK_PROPERTY + " if one lookup takes longer on this machine");
    }
    boolean there = k.value(o, limit, "4.1", "exists of a missing ARID", "that exists works");
    check(!there, "4.1", "exists of a never-written ARID was true",
        "that exists answers false when nothing is there");
  }
}
