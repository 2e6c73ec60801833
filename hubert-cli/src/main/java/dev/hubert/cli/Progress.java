package dev.hubert.cli;

import dev.hubert.api.DaemonThreads;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code get} shows while it polls. In verbose mode the store prints the reference's dots
 * on standard output, so this shows nothing; on a terminal it shows a spinner with the elapsed
 * time on standard error, erased when the wait ends; otherwise (pipes, scripts) nothing.
 */
final class Progress implements AutoCloseable {
  private static final String FRAMES = "|/-\\";
  private static final Progress NONE = new Progress(null, null);

  private final PrintStream err;
  private final ScheduledExecutorService timer;

  private Progress(PrintStream err, ScheduledExecutorService timer) {
    this.err = err;
    this.timer = timer;
  }

  static Progress start(PrintStream err, boolean verbose, long timeoutSeconds) {
    boolean terminal = System.console() != null || Boolean.getBoolean("hubert.progress");
    if (verbose || !terminal) {
      return NONE;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("hubert-progress"));
    long start = System.nanoTime();
    int[] frame = {0};
    timer.scheduleAtFixedRate(
        () -> {
          long tenths = (System.nanoTime() - start) / 100_000_000L;
          err.printf(
              "\r%c waiting for the envelope… %d.%ds of %ds",
              FRAMES.charAt(frame[0]++ % FRAMES.length()), tenths / 10, tenths % 10,
              timeoutSeconds);
          err.flush();
        },
        0,
        125,
        TimeUnit.MILLISECONDS);
    return new Progress(err, timer);
  }

  /** Stops the spinner and erases its line. */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.print("\r\033[K");
    err.flush();
  }
}
