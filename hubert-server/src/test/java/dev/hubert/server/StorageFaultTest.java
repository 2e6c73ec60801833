package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hubert.api.BackendException;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real storage faults on a real SQLite file: another process holding the write lock, and the
 * files turning read-only under a running server ({@code chattr +i}, which binds root too). Each
 * ends in a clean 5xx, reads keep working, nothing is corrupted, and writes work again once the
 * fault is gone.
 */
class StorageFaultTest {
  private Path dir;
  private Path file;
  private HubertServer server;
  private final List<Arid> stored = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    // under target/, on the build's own file system (tmpfs would not support chattr)
    Path target = Path.of("target");
    Files.createDirectories(target);
    dir = Files.createTempDirectory(target.toAbsolutePath(), "fault-");
    file = dir.resolve("hubert.sqlite");
    server = ServerFixture.start(Storage.sqlite(file));
    for (int i = 0; i < 5; i++) {
      Arid a = Arid.random();
      assertEquals(200, put(a, "before " + i).statusCode());
      stored.add(a);
    }
  }

  @AfterEach
  void stop() throws Exception {
    immutable(false, file, Path.of(file + "-wal"));
    server.close();
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
    Files.deleteIfExists(dir);
  }

  private HttpResponse<String> put(Arid a, String value) throws Exception {
    return Http.post(server.baseUrl(), "/put", a.urString() + "\n" + Envelope.of(value).urString());
  }

  private void assertEarlierValuesReadable() throws Exception {
    for (int i = 0; i < stored.size(); i++) {
      HttpResponse<String> r = Http.post(server.baseUrl(), "/get", stored.get(i).urString());
      assertEquals(200, r.statusCode(), "get during or after the fault");
      assertEquals(Envelope.of("before " + i).urString(), r.body());
    }
  }

  private void assertIntact() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertEquals("ok", rs.getString(1));
    }
  }

  @Test
  void lockedDatabaseGets503AndRecovers() throws Exception {
    Arid a = Arid.random();
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = other.createStatement()) {
      st.execute("PRAGMA busy_timeout = 0");
      st.execute("BEGIN EXCLUSIVE"); // another writer holds the lock for longer than 2 s
      HttpResponse<String> r = put(a, "while locked");
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("1", r.headers().firstValue("retry-after").orElse(null));
      assertTrue(r.body().startsWith("SQLite storage busy"), r.body());
      assertEarlierValuesReadable(); // WAL readers are not blocked by the writer
      st.execute("ROLLBACK");
    }
    assertEquals(404, Http.post(server.baseUrl(), "/get", a.urString()).statusCode());
    assertEquals(200, put(a, "after the lock").statusCode(), "writes work again");
    assertIntact();
  }

  /**
   * Group commit's failure path: while another connection holds the write lock past the busy
   * timeout, puts queued behind a first one fail together in one transaction; every one is answered
   * with the storage error, and batches commit again once the lock is gone.
   */
  @Test
  void aFailedGroupCommitAnswersEveryPutAndBatchesWorkAgain() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = other.createStatement()) {
      st.execute("PRAGMA busy_timeout = 0");
      st.execute("BEGIN EXCLUSIVE");
      List<Future<HttpResponse<String>>> puts = new ArrayList<>();
      try {
        puts.add(pool.submit(() -> put(Arid.random(), "first")));
        Thread.sleep(200); // the first waits for the lock (2 s); the others queue behind it
        for (int i = 0; i < 15; i++) {
          String value = "queued " + i;
          puts.add(pool.submit(() -> put(Arid.random(), value)));
        }
        for (Future<HttpResponse<String>> f : puts) {
          HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
          assertEquals(503, r.statusCode(), r.body());
          assertTrue(r.body().startsWith("SQLite storage busy while storing"), r.body());
        }
      } finally {
        st.execute("ROLLBACK");
      }
    }
    List<Arid> arids = new ArrayList<>();
    List<Future<HttpResponse<String>>> again = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Arid a = Arid.random();
      arids.add(a);
      String value = "after " + i;
      again.add(pool.submit(() -> put(a, value)));
    }
    try {
      for (int i = 0; i < again.size(); i++) {
        HttpResponse<String> r = again.get(i).get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> got = Http.post(server.baseUrl(), "/get", arids.get(i).urString());
        assertEquals(Envelope.of("after " + i).urString(), got.body());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEarlierValuesReadable();
    assertIntact();
  }

  /**
   * A put waiting for the write lock waits on the storage's commit thread, holding no I/O or
   * worker thread: a get sent after it (on another connection) is answered before the put is.
   */
  @Test
  void getIsAnsweredWhileAPutWaitsForTheWriteLock() throws Exception {
    Arid a = Arid.random();
    AtomicLong putAnswered = new AtomicLong();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = other.createStatement()) {
      st.execute("BEGIN EXCLUSIVE");
      Future<HttpResponse<String>> waiting;
      long getAnswered;
      try {
        waiting =
            pool.submit(
                () -> {
                  HttpResponse<String> r = put(a, "after the lock");
                  putAnswered.set(System.nanoTime());
                  return r;
                });
        Thread.sleep(200); // let the put reach the server and start waiting (up to 2 s)
        HttpResponse<String> r = Http.post(server.baseUrl(), "/get", stored.get(0).urString());
        getAnswered = System.nanoTime();
        assertEquals(200, r.statusCode(), r.body());
      } finally {
        st.execute("ROLLBACK");
      }
      HttpResponse<String> p = waiting.get(30, TimeUnit.SECONDS);
      assertTrue(getAnswered - putAnswered.get() < 0, "the get was answered before the put");
      assertTrue(p.statusCode() == 200 || p.statusCode() == 503, p.statusCode() + " " + p.body());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void clientSeesA503AsBackendExceptionWithTheServersText() throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = other.createStatement();
        ServerKv kv = ServerKv.create(server.baseUrl())) {
      st.execute("BEGIN EXCLUSIVE");
      try {
        kv.blocking().put(Arid.random(), Envelope.of("x"));
        fail("put must fail while the database is locked");
      } catch (BackendException e) {
        assertTrue(e.getMessage().startsWith("Server error: Server error: SQLite storage busy"), e.getMessage());
      }
      st.execute("ROLLBACK");
    }
  }

  @Test
  void readOnlyFilesGet500AndRecover() throws Exception {
    Arid a = Arid.random();
    immutable(true, file, Path.of(file + "-wal"));
    try {
      HttpResponse<String> r = put(a, "while read-only");
      assertTrue(r.statusCode() == 500 || r.statusCode() == 503, r.statusCode() + " " + r.body());
      assertTrue(r.body().startsWith("SQLite storage"), r.body());
      assertEarlierValuesReadable();
    } finally {
      immutable(false, file, Path.of(file + "-wal"));
    }
    assertEquals(404, Http.post(server.baseUrl(), "/get", a.urString()).statusCode(), "nothing stored");
    assertEquals(200, put(a, "writable again").statusCode(), "writes work again");
    assertEarlierValuesReadable();
    assertIntact();
  }

  /** {@code chattr [+-]i}: even root cannot write an immutable file. */
  private static void immutable(boolean on, Path... files) throws IOException, InterruptedException {
    for (Path f : files) {
      if (!Files.exists(f)) {
        continue;
      }
      Process p =
          new ProcessBuilder("chattr", on ? "+i" : "-i", f.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(
            "chattr " + (on ? "+i " : "-i ") + f + " failed (" + out.trim() + "): this test needs"
                + " chattr (Debian package e2fsprogs, installed by scripts/setup.d/40-server.sh)"
                + " on a file system with the immutable attribute (ext4, xfs, btrfs)");
      }
    }
  }
}
