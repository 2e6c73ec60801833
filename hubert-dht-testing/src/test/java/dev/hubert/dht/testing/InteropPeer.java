package dev.hubert.dht.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An independent BEP-44 implementation as a child process (tools/dht-interop), joined to a
 * testnet, driven by JSON lines. Every wait is bounded; {@link #close()} ends the process by its
 * pid (politely, then forcibly).
 */
final class InteropPeer implements AutoCloseable {
  /** The two implementations, with their fixed addresses in the test namespace. */
  enum Kind {
    LIBTORRENT(100, "python3-libtorrent"),
    BITTORRENT_DHT(101, "npm bittorrent-dht");

    final int host;
    final String label;

    Kind(int host, String label) {
      this.host = host;
      this.label = label;
    }
  }

  private static final HexFormat HEX = HexFormat.of();
  private static final Duration WAIT = Duration.ofSeconds(30);

  final Kind kind;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
  private final List<String> stderr = new ArrayList<>();
  private int nextId = 1;

  private InteropPeer(Kind kind, Process process) {
    this.kind = kind;
    this.process = process;
    this.stdin = process.outputWriter(StandardCharsets.UTF_8);
    Thread out = new Thread(() -> pump(process.inputReader(StandardCharsets.UTF_8), true),
        kind + " stdout");
    Thread err = new Thread(() -> pump(process.errorReader(StandardCharsets.UTF_8), false),
        kind + " stderr");
    out.setDaemon(true);
    err.setDaemon(true);
    out.start();
    err.start();
  }

  /** Starts the peer on 198.51.100.{kind.host}, bootstrapping from {@code bootstrap}. */
  static InteropPeer start(Kind kind, List<InetSocketAddress> bootstrap) throws IOException {
    DhtTestnet.requireNamespace(kind.host);
    Path dir = Path.of(System.getProperty("hubert.dht.interop.dir", "../tools/dht-interop"));
    String nodes = bootstrap.stream()
        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
        .collect(Collectors.joining(","));
    List<String> command = new ArrayList<>();
    if (kind == Kind.LIBTORRENT) {
      command.addAll(List.of("/usr/bin/python3", dir.resolve("libtorrent_peer.py").toString()));
    } else {
      if (!Files.isDirectory(dir.resolve("node_modules/bittorrent-dht"))) {
        throw new IllegalStateException("bittorrent-dht is not installed in " + dir
            + ": run scripts/setup.d/20-dht-interop.sh install (scripts/test.sh does)");
      }
      command.addAll(List.of("node", dir.resolve("bittorrent_dht_peer.mjs").toString()));
    }
    command.addAll(List.of("--bind", DhtTestnet.address(kind.host).getHostAddress(),
        "--port", "6881", "--bootstrap", nodes, "--timeout", "20", "--lifetime", "300"));
    InteropPeer peer = new InteropPeer(kind, new ProcessBuilder(command).start());
    JsonObject ready = peer.next();
    if (!ready.has("event") || !"ready".equals(ready.get("event").getAsString())) {
      peer.close();
      throw new IllegalStateException(kind.label + " did not join the testnet: " + ready
          + "; stderr: " + peer.stderr
          + " (are the interop tools installed? run scripts/setup.d/20-dht-interop.sh install)");
    }
    return peer;
  }

  private void pump(BufferedReader reader, boolean json) {
    try {
      for (String line; (line = reader.readLine()) != null; ) {
        if (json) {
          replies.add(JsonParser.parseString(line).getAsJsonObject());
        } else {
          synchronized (stderr) {
            stderr.add(line);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (stderr) {
        stderr.add("reader failed: " + e);
      }
    }
  }

  private JsonObject next() {
    try {
      JsonObject reply = replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (reply == null) {
        throw new IllegalStateException(kind.label + " (pid " + process.pid() + ") sent nothing in "
            + WAIT + "; alive=" + process.isAlive() + ", stderr: " + stderr);
      }
      return reply;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private synchronized JsonObject call(JsonObject command) {
    int id = nextId++;
    command.addProperty("id", id);
    try {
      stdin.write(command + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException(kind.label + " is gone; stderr: " + stderr, e);
    }
    while (true) {
      JsonObject reply = next();
      if (reply.has("id") && reply.get("id").getAsInt() == id) {
        return reply;
      }
    }
  }

  /** Puts a BEP-44 item with seq = 1 (and {@code cas} if not null; libtorrent ignores it). */
  JsonObject put(byte[] seed, byte[] salt, byte[] value, Integer cas) {
    JsonObject c = new JsonObject();
    c.addProperty("op", "put");
    c.addProperty("seed", HEX.formatHex(seed));
    c.addProperty("salt", salt == null ? null : HEX.formatHex(salt));
    c.addProperty("value", HEX.formatHex(value));
    if (cas != null) {
      c.addProperty("cas", cas);
    }
    return call(c);
  }

  /** Gets the item of {@code publicKey} (and salt). */
  JsonObject get(byte[] publicKey, byte[] salt) {
    JsonObject c = new JsonObject();
    c.addProperty("op", "get");
    c.addProperty("pubkey", HEX.formatHex(publicKey));
    c.addProperty("salt", salt == null ? null : HEX.formatHex(salt));
    return call(c);
  }

  static byte[] value(JsonObject reply) {
    return HEX.parseHex(reply.get("value").getAsString());
  }

  @Override
  public void close() {
    try {
      stdin.write("{\"op\":\"quit\"}\n");
      stdin.flush();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return kind.label + " (pid " + process.pid() + ")";
  }
}
