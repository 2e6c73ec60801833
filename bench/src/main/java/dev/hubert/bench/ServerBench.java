package dev.hubert.bench;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.server.HubertServer;
import dev.hubert.server.ServerKv;
import dev.hubert.server.Storage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Throughput and latency of the Hubert server next to what bounds it and what a user would pick
 * instead, in one run, at several client counts (each client a thread; the Hubert variants share
 * one {@link ServerKv}, whose pool keeps a keep-alive connection per concurrent request; Jedis and
 * the SQLite readers have a connection per thread):
 *
 * <ul>
 *   <li><b>Hubert server, SQLite</b>: {@link ServerKv} put/get against a {@link HubertServer} on
 *       loopback with SQLite storage (WAL, synchronous=FULL).
 *   <li><b>Hubert server, memory</b>: the same with in-memory storage (the HTTP and client cost).
 *   <li><b>raw SQLite</b>: the reference's INSERT and SELECT on the same schema through
 *       sqlite-jdbc, same pragmas, one writer connection (SQLite has one writer) and a reader
 *       connection per client: the limit for a durable SQLite store.
 *   <li><b>Redis, AOF fsync always</b> / <b>Redis, defaults</b>: {@code SET key value NX EX 86400}
 *       and {@code GET key} through Jedis, against Debian's redis-server started by this harness on
 *       127.0.0.1 (with {@code --appendonly yes --appendfsync always}: as durable as the SQLite
 *       variants; with its defaults: RDB snapshots, an acknowledged write can be lost).
 * </ul>
 *
 * <p>Not the same work per get: a Hubert get decodes and verifies the envelope it receives (UR,
 * bytewords, CRC-32, CBOR, digests; about 1–2 µs), Jedis and the raw SQLite reader return the
 * string. A Hubert put sends the envelope's UR (encoded by the client) and the server parses and
 * re-encodes it; the others store the string given.
 *
 * <p>Every variant stores the same value: the {@code ur:envelope} of a 256-byte byte string. Per
 * client count the variants run in rotating order; each first warms up, then does the same number
 * of puts, then gets of what it put (every get must find its value). Prints a Markdown table.
 * Talks only to 127.0.0.1; stops the redis-server processes it started, by their pid.
 */
public final class ServerBench {
  private static final Random RANDOM = new Random(7);

  private ServerBench() {}

  /** One system under test: per-client put and get of a key and a ur:envelope string. */
  interface Variant extends AutoCloseable {
    String name();

    Client client() throws Exception;

    @Override
    default void close() throws Exception {}
  }

  interface Client extends AutoCloseable {
    void put(Arid key, Envelope envelope, String ur) throws Exception;

    /** Returns whether the value was found. */
    boolean get(Arid key) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  public static void main(String[] args) throws Exception {
    int[] clientCounts =
        Arrays.stream(System.getProperty("bench.clients", "1,4,16,64").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    int ops = Integer.getInteger("bench.ops", 2000);
    // enough for the JIT to compile the HTTP paths of client and server (500 was not: the first
    // variants measured partly interpreted code)
    int warmup = Integer.getInteger("bench.warmup", 2000);
    Path dir = Files.createTempDirectory("hubert-server-bench");
    List<Variant> variants = new ArrayList<>();
    List<Process> started = new ArrayList<>();
    try {
      variants.add(hubert("Hubert server, SQLite", Storage.sqlite(dir.resolve("server.sqlite"))));
      variants.add(hubert("Hubert server, memory", Storage.memory()));
      variants.add(rawSqlite(dir.resolve("raw.sqlite")));
      variants.add(redis("Redis, AOF fsync always", dir.resolve("redis-aof"), started, true));
      variants.add(redis("Redis, defaults", dir.resolve("redis-default"), started, false));
      System.out.printf(
          Locale.ROOT,
          "%d puts then %d gets per variant and client count (after %d warm-up puts and gets),"
              + " value: ur:envelope of 256 random bytes%n%n",
          ops,
          ops,
          warmup);
      System.out.println(
          "| system | clients | puts/s | put p50 / p99 (ms) | gets/s | get p50 / p99 (ms) |");
      System.out.println("|---|---|---|---|---|---|");
      for (int c : clientCounts) {
        List<String> rows = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
          Variant variant = variants.get((v + c) % variants.size()); // rotate the order
          rows.add(measure(variant, c, ops, warmup));
        }
        rows.sort(Comparator.comparing(r -> order(variants, r)));
        rows.forEach(System.out::println);
      }
    } finally {
      for (Variant v : variants) {
        v.close();
      }
      for (Process p : started) {
        p.destroy(); // only the redis-server processes this harness started
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      deleteTree(dir);
    }
  }

  private static int order(List<Variant> variants, String row) {
    for (int i = 0; i < variants.size(); i++) {
      if (row.startsWith("| " + variants.get(i).name() + " |")) {
        return i;
      }
    }
    return variants.size();
  }

  private static String measure(Variant variant, int clients, int ops, int warmup)
      throws Exception {
    run(variant, clients, warmup); // JIT, connections, page cache
    Result r = run(variant, clients, ops);
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.0f | %.2f / %.2f | %.0f | %.2f / %.2f |",
        variant.name(),
        clients,
        r.putsPerSecond,
        r.putP50,
        r.putP99,
        r.getsPerSecond,
        r.getP50,
        r.getP99);
  }

  private static final class Result {
    double putsPerSecond;
    double putP50;
    double putP99;
    double getsPerSecond;
    double getP50;
    double getP99;
  }

  private static Result run(Variant variant, int clients, int ops) throws Exception {
    int perClient = Math.max(1, ops / clients);
    List<Client> cs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      cs.add(variant.client());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      Arid[][] keys = new Arid[clients][perClient];
      Envelope[][] values = new Envelope[clients][perClient];
      for (int i = 0; i < clients; i++) {
        for (int j = 0; j < perClient; j++) {
          keys[i][j] = Arid.random();
          byte[] payload = new byte[256];
          RANDOM.nextBytes(payload);
          values[i][j] = Envelope.ofBytes(payload);
        }
      }
      long[][] putLatency = new long[clients][perClient];
      long[][] getLatency = new long[clients][perClient];
      long putNanos =
          phase(
              pool,
              clients,
              i -> {
                for (int j = 0; j < perClient; j++) {
                  String ur = values[i][j].urString();
                  long t0 = System.nanoTime();
                  cs.get(i).put(keys[i][j], values[i][j], ur);
                  putLatency[i][j] = System.nanoTime() - t0;
                }
              });
      long getNanos =
          phase(
              pool,
              clients,
              i -> {
                for (int j = 0; j < perClient; j++) {
                  long t0 = System.nanoTime();
                  boolean found = cs.get(i).get(keys[i][j]);
                  getLatency[i][j] = System.nanoTime() - t0;
                  if (!found) {
                    throw new IllegalStateException(variant.name() + ": a put value was not found");
                  }
                }
              });
      Result r = new Result();
      int total = clients * perClient;
      r.putsPerSecond = total / (putNanos / 1e9);
      r.getsPerSecond = total / (getNanos / 1e9);
      long[] puts = flatten(putLatency);
      long[] gets = flatten(getLatency);
      r.putP50 = percentile(puts, 0.50);
      r.putP99 = percentile(puts, 0.99);
      r.getP50 = percentile(gets, 0.50);
      r.getP99 = percentile(gets, 0.99);
      return r;
    } finally {
      pool.shutdownNow();
      for (Client c : cs) {
        c.close();
      }
    }
  }

  interface Work {
    void run(int client) throws Exception;
  }

  /** Runs {@code work} on every client at once; returns the wall time from start to last end. */
  private static long phase(ExecutorService pool, int clients, Work work) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(clients + 1);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int client = i;
      fs.add(
          pool.submit(
              () -> {
                barrier.await();
                work.run(client);
                return null;
              }));
    }
    barrier.await();
    long t0 = System.nanoTime();
    for (Future<?> f : fs) {
      f.get(10, TimeUnit.MINUTES);
    }
    return System.nanoTime() - t0;
  }

  private static long[] flatten(long[][] a) {
    return Arrays.stream(a).flatMapToLong(Arrays::stream).sorted().toArray();
  }

  private static double percentile(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  // ---- variants ----------------------------------------------------------------------------

  private static Variant hubert(String name, Storage storage) {
    HubertServer server = HubertServer.builder().port(0).storage(storage).build().start();
    // one ServerKv shared by the client threads, as an application would (its pool keeps up to
    // 64 keep-alive connections)
    ServerKv kv = ServerKv.create(server.baseUrl());
    return new Variant() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Client client() {
        return new Client() {
          @Override
          public void put(Arid key, Envelope envelope, String ur) {
            kv.blocking().put(key, envelope);
          }

          @Override
          public boolean get(Arid key) {
            return kv.blocking().get(key, Duration.ZERO).isPresent();
          }
        };
      }

      @Override
      public void close() {
        kv.close();
        server.close();
      }
    };
  }

  private static Connection sqlite(Path file) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA synchronous=FULL");
      st.execute("PRAGMA busy_timeout=2000");
    }
    return c;
  }

  private static Variant rawSqlite(Path file) throws SQLException {
    Connection writer = sqlite(file);
    try (Statement st = writer.createStatement()) {
      // the reference's schema (hubert 0.5.0 SqliteKv)
      st.execute(
          "CREATE TABLE IF NOT EXISTS hubert_store (arid TEXT PRIMARY KEY, envelope TEXT NOT NULL,"
              + " expires_at INTEGER)");
      st.execute("CREATE INDEX IF NOT EXISTS idx_expires_at ON hubert_store(expires_at)");
    }
    PreparedStatement insert =
        writer.prepareStatement(
            "INSERT INTO hubert_store (arid, envelope, expires_at) VALUES (?, ?, ?)");
    ReentrantLock lock = new ReentrantLock();
    return new Variant() {
      @Override
      public String name() {
        return "raw SQLite (sqlite-jdbc)";
      }

      @Override
      public Client client() throws SQLException {
        Connection reader = sqlite(file);
        PreparedStatement select =
            reader.prepareStatement("SELECT envelope, expires_at FROM hubert_store WHERE arid = ?");
        return new Client() {
          @Override
          public void put(Arid key, Envelope envelope, String ur) throws SQLException {
            lock.lock();
            try {
              insert.setString(1, key.hex());
              insert.setString(2, ur);
              insert.setLong(3, System.currentTimeMillis() / 1000 + 86_400);
              insert.executeUpdate();
            } finally {
              lock.unlock();
            }
          }

          @Override
          public boolean get(Arid key) throws SQLException {
            select.setString(1, key.hex());
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() && rs.getString(1) != null;
            }
          }

          @Override
          public void close() throws SQLException {
            select.close();
            reader.close();
          }
        };
      }

      @Override
      public void close() throws SQLException {
        insert.close();
        writer.close();
      }
    };
  }

  private static Variant redis(String name, Path dir, List<Process> started, boolean aofAlways)
      throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "redis-server not found: install Debian's package first (apt-get install -y"
              + " redis-server); this harness starts and stops its own instances");
    }
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "yes",
                "--logfile", dir.resolve("redis.log").toString()));
    if (aofAlways) {
      cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "always", "--save", ""));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        if ("PONG".equals(j.ping())) {
          break;
        }
      } catch (Exception notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"), notYet);
        }
        Thread.sleep(100);
      }
    }
    SetParams nxEx = SetParams.setParams().nx().ex(86_400);
    return new Variant() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Client client() {
        Jedis jedis = new Jedis("127.0.0.1", port);
        return new Client() {
          @Override
          public void put(Arid key, Envelope envelope, String ur) {
            if (!"OK".equals(jedis.set(key.hex(), ur, nxEx))) {
              throw new IllegalStateException("SET NX refused a fresh key");
            }
          }

          @Override
          public boolean get(Arid key) {
            return jedis.get(key.hex()) != null;
          }

          @Override
          public void close() {
            jedis.close();
          }
        };
      }
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
