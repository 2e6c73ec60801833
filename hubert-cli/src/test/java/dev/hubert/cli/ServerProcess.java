package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code hubert server --port 0 …} run as a process; its port read from its startup line. */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("✓ Hubert server listening on 127\\.0\\.0\\.1:(\\d+)");

  final Process process;
  final int port;
  final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code hubert <args>} and waits (bounded) until it says where it listens. */
  static ServerProcess start(String... args) throws IOException {
    Process p = new ProcessBuilder(HubertCli.command(List.of(), args))
        .redirectErrorStream(true)
        .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          seen.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      port.complete(-1);
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
    int n;
    try {
      n = port.get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("server did not start: " + seen, e);
    }
    if (n < 0) {
      fail("server exited before listening: " + seen);
    }
    ServerProcess s = new ServerProcess(p, n);
    s.lines.addAll(seen);
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops it with SIGTERM (its shutdown hook closes the server) and waits for it to exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("server did not stop on SIGTERM");
    }
    assertTrue(!process.isAlive());
  }
}
