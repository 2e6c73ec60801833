package dev.hubert.testkit;

import static dev.hubert.testkit.Kit.check;

import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Rule 6.1: verbose output goes through VerboseLog, and only when asked for. */
final class VerboseTester {
  private static final Pattern LINE =
      Pattern.compile("\\[\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z] .+");

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
