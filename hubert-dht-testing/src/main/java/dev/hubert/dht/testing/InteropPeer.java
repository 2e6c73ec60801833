package dev.hubert.dht.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
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
 * An independent BEP-44 implementation, run as a child process that joins a testnet: Debian's
 * python3-libtorrent or npm's bittorrent-dht ({@code tools/dht-interop}, installed by {@code
 * scripts/setup.d/20-dht-interop.sh}). Driven by one JSON line per command; every wait is bounded,
 * and {@link #close()} ends the process by its pid (asks, then terminates, then kills).
 *
 * <p>The tools are found through the system property {@value #DIR_PROPERTY}, else in {@code
 * tools/dht-interop} of the working directory or one of its parents.
 */
public final class InteropPeer implements AutoCloseable {
  /** System property naming the {@code tools/dht-interop} directory. */
  public static final String DIR_PROPERTY = "hubert.dht.interop.dir";

  /** The two implementations and their addresses in the test namespace (tests; benchmarks pick). */
  public enum Kind {
    /** libtorrent 2.0 through Debian's python3-libtorrent, on 198.51.100.100. */
    LIBTORRENT(100, "libtorrent"),
    /** npm bittorrent-dht 11 (webtorrent), on 198.51.100.101. */
    BITTORRENT_DHT(101, "bittorrent-dht");

    private final int host;
    private final String label;

    Kind(int host, String label) {
      this.host = host;
      this.label = label;
    }

    /** The host number tests use: 198.51.100.{host}. */
    public int host() {
      return host;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private static final HexFormat HEX = HexFormat.of();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Kind kind;
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

  /** Starts the peer on its test address 198.51.100.{kind.host()}. */
  public static InteropPeer start(Kind kind, List<InetSocketAddress> bootstrap) throws IOException {
    return start(kind, kind.host(), bootstrap);
  }

  /**
   * Starts the peer on 198.51.100.{host}:6881, bootstrapping from {@code bootstrap} (give one
   * node: libtorrent never adds its bootstrap nodes to its routing table), and waits until it has
   * joined.
   *
   * @throws IllegalStateException if the tools are not installed or the peer cannot join
   */
  public static InteropPeer start(Kind kind, int host, List<InetSocketAddress> bootstrap)
      throws IOException {
    DhtTestnet.requireNamespace(host);
    Path dir = toolsDir();
    String nodes = bootstrap.stream()
        .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
        .collect(Collectors.joining(","));
    List<String> command = new ArrayList<>();
    if (kind == Kind.LIBTORRENT) {
      // Debian's python3-libtorrent is built for the system python, not a pyenv one on the PATH
      command.addAll(List.of("/usr/bin/python3", dir.resolve("libtorrent_peer.py").toString()));
    } else {
      if (!Files.isDirectory(dir.resolve("node_modules/bittorrent-dht"))) {
        throw new IllegalStateException("bittorrent-dht is not installed in " + dir
            + ": run scripts/setup.d/20-dht-interop.sh install (scripts/test.sh does)");
      }
      command.addAll(List.of("node", dir.resolve("bittorrent_dht_peer.mjs").toString()));
    }
    command.addAll(List.of("--bind", DhtTestnet.address(host).getHostAddress(),
        "--port", String.valueOf(DhtTestnet.PORT), "--bootstrap", nodes,
        "--timeout", "30", "--lifetime", "1800"));
    InteropPeer peer = new InteropPeer(kind, new ProcessBuilder(command).start());
    JsonObject ready = peer.next();
    if (!ready.has("event") || !"ready".equals(ready.get("event").getAsString())) {
      peer.close();
      throw new IllegalStateException(kind + " did not join the testnet: " + ready
          + "; stderr: " + peer.stderr()
          + " (are the interop tools installed? run scripts/setup.d/20-dht-interop.sh install)");
    }
    return peer;
  }

  private static Path toolsDir() {
    String configured = System.getProperty(DIR_PROPERTY);
    if (configured != null) {
      return Path.of(configured);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("tools/dht-interop");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("tools/dht-interop not found from " + Path.of("").toAbsolutePath()
        + "; set -D" + DIR_PROPERTY);
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

  private List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  private JsonObject next() {
    try {
      JsonObject reply = replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (reply == null) {
        throw new IllegalStateException(this + " sent nothing in " + WAIT + "; alive="
            + process.isAlive() + ", stderr: " + stderr());
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
      throw new IllegalStateException(this + " is gone; stderr: " + stderr(), e);
    }
    while (true) {
      JsonObject reply = next();
      if (reply.has("id") && reply.get("id").getAsInt() == id) {
        return reply;
      }
    }
  }

  private static JsonObject item(byte[] seed, byte[] salt, byte[] value) {
    JsonObject c = new JsonObject();
    c.addProperty("seed", HEX.formatHex(seed));
    c.addProperty("salt", salt == null ? null : HEX.formatHex(salt));
    c.addProperty("value", HEX.formatHex(value));
    return c;
  }

  /**
   * Puts a BEP-44 item with seq = 1, and {@code cas} if not null (libtorrent's Python API cannot
   * send cas and ignores it). The reply has {@code ok}, {@code responses}, {@code ms}.
   */
  public JsonObject put(byte[] seed, byte[] salt, byte[] value, Integer cas) {
    JsonObject c = item(seed, salt, value);
    c.addProperty("op", "put");
    if (cas != null) {
      c.addProperty("cas", cas);
    }
    return call(c);
  }

  /**
   * Puts all {@code items} (each {seed, salt, value}) at once and waits for all (libtorrent only).
   * The reply has {@code ok} (how many succeeded) and {@code ms} (wall time).
   */
  public JsonObject putAll(List<byte[][]> items) {
    JsonArray array = new JsonArray();
    for (byte[][] i : items) {
      array.add(item(i[0], i[1], i[2]));
    }
    JsonObject c = new JsonObject();
    c.addProperty("op", "put_many");
    c.add("items", array);
    return call(c);
  }

  /**
   * Gets the item of {@code publicKey} (and salt). The reply has {@code found}, and for a found
   * item {@code seq}, {@code value} (hex) and {@code ms}.
   */
  public JsonObject get(byte[] publicKey, byte[] salt) {
    JsonObject c = new JsonObject();
    c.addProperty("op", "get");
    c.addProperty("pubkey", HEX.formatHex(publicKey));
    c.addProperty("salt", salt == null ? null : HEX.formatHex(salt));
    return call(c);
  }

  /** The {@code value} of a get reply, decoded. */
  public static byte[] value(JsonObject reply) {
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
    return kind + " (pid " + process.pid() + ")";
  }
}
