package dev.hubert.api;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The reference's verbose output: {@code [YYYY-MM-DDTHH:MM:SS.mmmZ] message} lines and polling
 * dots, on standard output unless {@linkplain #setOutput redirected}. Stores write here only when
 * an operation is called with {@code verbose} set (rule 6.1 of {@link KvStore}).
 */
public final class VerboseLog {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static volatile PrintStream out = System.out;

  private VerboseLog() {}

  /** Formats an instant as the reference does: UTC, milliseconds truncated. */
  public static String timestamp(Instant instant) {
    return FORMAT.format(instant);
  }

  /** Prints {@code [timestamp] message} and a newline; prints nothing for an empty message. */
  public static void println(String message) {
    if (!message.isEmpty()) {
      PrintStream o = out;
      o.println("[" + timestamp(Instant.now()) + "] " + message);
      o.flush();
    }
  }

  /** Prints one polling dot, without a newline, and flushes. */
  public static void dot() {
    PrintStream o = out;
    o.print('.');
    o.flush();
  }

  /** Prints a bare newline. */
  public static void newline() {
    PrintStream o = out;
    o.println();
    o.flush();
  }

  /**
   * Sends verbose output to {@code stream} instead of standard output, for every store in this
   * JVM, and returns the previous stream.
   */
  public static PrintStream setOutput(PrintStream stream) {
    PrintStream previous = out;
    out = Objects.requireNonNull(stream, "stream");
    return previous;
  }
}
