package dev.hubert.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test helper: {@link HubertServer#main} in a child JVM (same java, same class path, inside the
 * test namespace like this JVM), so a test can kill it with SIGKILL by its pid.
 */
final class ChildServer implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("✓ Hubert server listening on 127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final int port;

  private ChildServer(Process process, Duration startTimeout) throws IOException {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  output.add(line);
                }
              } catch (IOException ignored) {
                // the child died: its output ends here
              }
            },
            "child-server-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    int found = -1;
    while (found < 0 && System.nanoTime() < deadline && process.isAlive()) {
      for (String line : output) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          found = Integer.parseInt(m.group(1));
        }
      }
      sleep(50);
    }
    if (found < 0) {
      process.destroyForcibly();
      throw new IOException("child server did not start within " + startTimeout + "; output: " + output);
    }
    this.port = found;
  }

  /** Starts {@code HubertServer --port 0 --sqlite <file>} and waits for its listening line. */
  static ChildServer start(Path sqliteFile) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp",
                classPath,
                HubertServer.class.getName(),
                "--port",
                "0",
                "--sqlite",
                sqliteFile.toString())
            .redirectErrorStream(true);
    return new ChildServer(pb.start(), Duration.ofSeconds(60));
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** Everything the child printed (stdout and stderr, SLF4J included). */
  List<String> output() {
    return List.copyOf(output);
  }

  /** SIGKILL: no shutdown hook, no flush, no close. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child server " + pid() + " did not die");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
