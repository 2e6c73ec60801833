package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.check;
import static dev.hubert.testkit.Kit.failure;
import static dev.hubert.testkit.Kit.ms;

import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * Rule 6.1: verbose output goes through VerboseLog, and only when asked for. Rule 5.5, seen
 * through rule 6.1's polling dots: a cancelled get stops polling.
 */
final class VerboseTester {
  private static final Pattern LINE =
      Pattern.compile("\\[\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z] .+");
  /** The shortest wait for dots after a cancel, so a fast store's timer jitter does not count. */
  private static final Duration LEAST_QUIET = Duration.ofMillis(500);

  private VerboseTester() {}

  static void quiet(Kit k) {
    Printed p = capture(() -> operations(k, false));
    check(p.stdout.isEmpty() && p.verbose.isEmpty(), "6.1", "with verbose=false, put/get/exists"
        + " printed " + quote(p.stdout + p.verbose), "that the store prints only when verbose is"
        + " set, and sends ordinary diagnostics to SLF4J (silent by default), not to System.out");
  }

  static void timestamped(Kit k) {
    Printed p = capture(() -> operations(k, true));
    check(p.stdout.isEmpty(), "6.1", "with verbose=true the store printed " + quote(p.stdout)
        + " to System.out directly", "that verbose lines go through VerboseLog.println/dot/"
        + "newline (which callers and tests can redirect), not System.out");
    List<String> bad = new ArrayList<>();
    int lines = 0;
    for (String line : p.verbose.split("\r?\n")) {
      String text = line.replaceFirst("^\\.+", "");
      if (text.isEmpty()) {
        continue;
      }
      lines++;
      if (!LINE.matcher(text).matches()) {
        bad.add(text);
      }
    }
    check(lines > 0, "6.1", "with verbose=true, put and get printed no progress line",
        "that verbose put/get print the reference's lines through VerboseLog.println");
    check(bad.isEmpty(), "6.1", "verbose lines not in the form [YYYY-MM-DDTHH:MM:SS.mmmZ]"
        + " message: " + bad, "that lines are printed with VerboseLog.println (which adds the"
        + " timestamp) and dots with VerboseLog.dot()");
  }

  /**
   * Starts a verbose get of a missing ARID, measures the time between its first two dots (one
   * poll), cancels it and waits three polls (at least {@link #LEAST_QUIET}): at most one more dot,
   * from a lookup under way, may arrive. Each dot is awaited at most missing timeout + slack.
   */
  static synchronized void cancelStopsPolling(Kit k) {
    String rule = "5.5";
    Duration bound = k.timing.missingTimeout().plus(k.timing.slack());
    String needsDots = "that a verbose get prints a dot through VerboseLog.dot() for every lookup"
        + " that finds nothing (rule 6.1): the kit sees that a cancelled get stops polling"
        + " (rule 5.5) by its dots stopping. Polls further apart than " + ms(bound) + " need a"
        + " larger " + Timing.MISSING_TIMEOUT_PROPERTY + " or " + Timing.SLACK_PROPERTY;
    Dots dots = new Dots();
    PrintStream old = VerboseLog.setOutput(dots);
    CompletableFuture<Optional<Envelope>> get = null;
    try {
      get = k.store.get(Kit.fresh(), k.op().plus(bound.multipliedBy(6)), true);
      OptionalLong first = dots.await(1, System.nanoTime() + bound.toNanos());
      if (first.isEmpty()) {
        throw failure(rule, "a verbose get of a missing ARID printed no polling dot within "
            + ms(bound) + (get.isDone() ? " (and had completed)" : ""), needsDots);
      }
      OptionalLong second = dots.await(2, first.getAsLong() + bound.toNanos());
      if (second.isEmpty()) {
        throw failure(rule, "a verbose get of a missing ARID printed one polling dot, then none"
            + " within " + ms(bound) + (get.isDone() ? " (and had completed)" : ""), needsDots);
      }
      check(!get.isDone(), rule, "a get of a missing ARID with a long timeout was already done"
          + " after two polls, before it could be cancelled", "that get polls until its timeout"
          + " (rule 3.2) and that its lookups succeed");
      get.cancel(false);
      long cancelled = System.nanoTime();
      Duration poll = Duration.ofNanos(second.getAsLong() - first.getAsLong());
      Duration quiet = poll.multipliedBy(3);
      quiet = quiet.compareTo(LEAST_QUIET) < 0 ? LEAST_QUIET : quiet;
      TimeUnit.NANOSECONDS.sleep(quiet.toNanos());
      int after = dots.since(cancelled);
      check(after <= 1, rule, "a verbose get polling every " + ms(poll) + " printed " + after
          + " dots in the " + ms(quiet) + " after its future was cancelled", "that cancelling"
          + " the future get returned stops the polling: no lookup may start after the cancel."
          + " A future made from the poll's by thenApply, thenCompose or a new CompletableFuture"
          + " does not pass its cancel back; chain with Polling.then, or cancel the poll from"
          + " the returned future's whenComplete");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted while waiting for the store", e);
    } finally {
      if (get != null) {
        get.cancel(false);
      }
      VerboseLog.setOutput(old);
    }
  }

  private static void operations(Kit k, boolean verbose) {
    Arid arid = Kit.fresh();
    String rule = "6.1";
    k.expectValue(k.store.put(arid, Envelope.of("verbose " + verbose), null, verbose), k.op(),
        rule, "put with verbose=" + verbose, "that put works");
    k.expectValue(k.store.get(arid, Duration.ZERO, verbose), k.getLimit(Duration.ZERO), rule,
        "get with verbose=" + verbose, "that get works");
    Duration t = k.timing.missingTimeout();
    k.expectValue(k.store.get(Kit.fresh(), t, verbose), k.getLimit(t), rule,
        "polling get of a missing ARID with verbose=" + verbose, "that get works");
    k.expectValue(k.store.exists(arid), k.op(), rule, "exists", "that exists works");
  }

  private static String quote(String s) {
    String q = s.length() > 300 ? s.substring(0, 300) + "…" : s;
    return "\"" + q.replace("\n", "\\n") + "\"";
  }

  private static final class Printed {
    final String stdout;
    final String verbose;

    Printed(String stdout, String verbose) {
      this.stdout = stdout;
      this.verbose = verbose;
    }
  }

  /** A VerboseLog output that keeps only when each polling dot ({@code print('.')}) came. */
  private static final class Dots extends PrintStream {
    private final List<Long> times = new ArrayList<>();

    Dots() {
      super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Override
    public void print(char c) {
      if (c == '.') {
        synchronized (times) {
          times.add(System.nanoTime());
          times.notifyAll();
        }
      }
    }

    /** When the {@code n}th dot came, waited for until {@code deadline}; empty if not by then. */
    OptionalLong await(int n, long deadline) throws InterruptedException {
      synchronized (times) {
        while (times.size() < n) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return OptionalLong.empty();
          }
          TimeUnit.NANOSECONDS.timedWait(times, left);
        }
        return OptionalLong.of(times.get(n - 1));
      }
    }

    /** How many dots came at or after {@code start}. */
    int since(long start) {
      synchronized (times) {
        return (int) times.stream().filter(t -> t - start >= 0).count();
      }
    }
  }

  /** Runs {@code r} with System.out and VerboseLog captured; restores both afterwards. */
  private static synchronized Printed capture(Runnable r) {
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    ByteArrayOutputStream verbose = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldVerbose =
        VerboseLog.setOutput(new PrintStream(verbose, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(direct, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(oldOut);
      VerboseLog.setOutput(oldVerbose);
    }
    return new Printed(direct.toString(StandardCharsets.UTF_8),
        verbose.toString(StandardCharsets.UTF_8));
  }
}
