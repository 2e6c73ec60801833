package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.VerboseLog;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's verbose lines (spec §8.2, §8.6, §11), captured from {@link VerboseLog}. */
class VerboseTest {
  private static final Pattern STAMP =
      Pattern.compile("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\] ");

  @TempDir Path dir;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream previous;

  @BeforeEach
  void capture() {
    previous = VerboseLog.setOutput(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    VerboseLog.setOutput(previous);
  }

  /** The captured output with each line's timestamp checked and removed. */
  private String output() {
    String text = captured.toString(StandardCharsets.UTF_8);
    Matcher m = STAMP.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start());
      last = m.end();
    }
    return out.append(text.substring(last)).toString();
  }

  @Test
  void clientPutAndGetPrintTheReferenceLines() throws Exception {
    try (HubertServer server = ServerFixture.start(Storage.memory());
        ServerKv kv = ServerKv.create(server.baseUrl())) {
      Arid a = Arid.random();
      kv.blocking().put(a, Envelope.of("v"), null, true);
      assertThrows(AlreadyExistsException.class, () -> kv.blocking().put(a, Envelope.of("w"), null, true));
      kv.blocking().get(a, Duration.ofSeconds(5), true);
      assertEquals(
          "Starting server put operation\nSending PUT request to server\nServer put operation completed\n"
              + "Starting server put operation\nSending PUT request to server\nServer put operation failed\n"
              + "Starting server get operation\nPolling server for value\nValue found on server\n"
              + "Server get operation completed\n",
          output());
    }
  }

  @Test
  void clientPollingPrintsDotsThenANewline() throws Exception {
    try (HubertServer server = ServerFixture.start(Storage.memory());
        ServerKv kv = ServerKv.create(server.baseUrl())) {
      Arid a = Arid.random();
      CompletableFuture<?> got = kv.get(a, Duration.ofSeconds(60), true);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (output().chars().filter(c -> c == '.').count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50); // until two misses were printed
      }
      kv.blocking().put(a, Envelope.of("late"));
      got.get(60, TimeUnit.SECONDS);
      String out = output();
      assertTrue(
          out.matches(
              "Starting server get operation\nPolling server for value\n\\.{2,}\n"
                  + "Value found on server\nServer get operation completed\n"),
          out);
      captured.reset();
      // misses at about 0 s and 1 s print dots; the lookup at the 2 s deadline ends the get
      kv.blocking().get(Arid.random(), Duration.ofSeconds(2), true);
      String timedOut = output();
      assertTrue(
          timedOut.matches(
              "Starting server get operation\nPolling server for value\n\\.+\n"
                  + "Timeout reached, value not found\n"),
          timedOut);
    }
  }

  @Test
  void serverPrintsOneLinePerRequestWithTheClientAddress() throws Exception {
    try (HubertServer server = ServerFixture.start(Storage.memory(), b -> b.verbose(true))) {
      Arid a = Arid.random();
      String ur = a.urString();
      String env = Envelope.of("v").urString();
      Http.post(server.baseUrl(), "/put", ur + "\n" + env + "\n3600");
      Http.post(server.baseUrl(), "/put", ur + "\n" + env);
      Http.post(server.baseUrl(), "/get", ur);
      Http.post(server.baseUrl(), "/get", Arid.random().urString());
      Http.post(server.baseUrl(), "/put", "garbage"); // 400: no line, as the reference
      String out = output();
      String[] lines = out.split("\n");
      assertEquals(4, lines.length, out);
      String client = "127\\.0\\.0\\.1:\\d+: ";
      assertTrue(lines[0].matches(client + Pattern.quote("PUT " + ur + " (TTL 3600s) OK")), lines[0]);
      assertTrue(
          lines[1].matches(
              client + Pattern.quote("PUT " + ur + " (TTL 86400s) ERROR: " + ur + " already exists")),
          lines[1]);
      assertTrue(lines[2].matches(client + Pattern.quote("GET " + ur + " OK")), lines[2]);
      assertTrue(lines[3].matches(client + "GET ur:arid/\\S+ NOT_FOUND"), lines[3]);
    }
  }

  /** Cancelling a get stops its polling: the server's verbose lines count its lookups. */
  @Test
  void cancellingAGetStopsItsPolling() throws Exception {
    try (HubertServer server = ServerFixture.start(Storage.memory(), b -> b.verbose(true));
        ServerKv kv = ServerKv.create(server.baseUrl())) {
      String arid = Arid.random().urString();
      CompletableFuture<?> got = kv.get(Arid.fromUr(arid), Duration.ofSeconds(8), false);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (lookups(arid) < 2 && System.nanoTime() < deadline) {
        Thread.sleep(50); // until the second lookup, about 1 s in
      }
      assertTrue(got.cancel(false));
      int atCancel = lookups(arid);
      Thread.sleep(3_000); // three poll intervals
      int after = lookups(arid);
      assertTrue(after <= atCancel + 1, (after - atCancel) + " lookups after the cancel");
    }
  }

  private int lookups(String arid) {
    return output().split("GET " + Pattern.quote(arid), -1).length - 1;
  }

  /** The commit thread never prints: a blocked standard output would hold up every put. */
  @Test
  void sqlitePutsArePrintedOffTheCommitThread() throws Exception {
    Set<String> printers = ConcurrentHashMap.newKeySet();
    VerboseLog.setOutput(
        new PrintStream(captured, true, StandardCharsets.UTF_8) {
          @Override
          public void println(String line) {
            printers.add(Thread.currentThread().getName());
            super.println(line);
          }
        });
    try (HubertServer server =
        ServerFixture.start(Storage.sqlite(dir.resolve("v.sqlite")), b -> b.verbose(true))) {
      List<CompletableFuture<Integer>> puts = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String body = Arid.random().urString() + "\n" + Envelope.of(i).urString();
        puts.add(CompletableFuture.supplyAsync(() -> post(server, body)));
      }
      for (CompletableFuture<Integer> p : puts) {
        assertEquals(200, p.get(60, TimeUnit.SECONDS));
      }
    }
    assertEquals(16, output().split("\n").length, output());
    assertTrue(printers.stream().noneMatch(n -> n.equals("hubert-sqlite-commit")), printers::toString);
  }

  private static int post(HubertServer server, String body) {
    try {
      return Http.post(server.baseUrl(), "/put", body).statusCode();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  @Test
  void quietServerPrintsNothing() throws Exception {
    try (HubertServer server = ServerFixture.start(Storage.memory())) {
      Arid a = Arid.random();
      Http.post(server.baseUrl(), "/put", a.urString() + "\n" + Envelope.of("v").urString());
      Http.post(server.baseUrl(), "/get", a.urString());
    }
    assertEquals("", output());
  }

  @Test
  void sweeperPrunesAndReportsOnlyWhenVerbose() throws Exception {
    for (boolean verbose : List.of(true, false)) {
      captured.reset();
      Path file = dir.resolve(verbose + ".sqlite");
      try (HubertServer server =
          ServerFixture.start(
              Storage.sqlite(file),
              b -> b.verbose(verbose).sweepInterval(Duration.ofMillis(300)))) {
        for (int i = 0; i < 3; i++) {
          Http.post(server.baseUrl(), "/put", Arid.random().urString() + "\n" + Envelope.of(i).urString() + "\n1");
        }
        Http.post(server.baseUrl(), "/put", Arid.random().urString() + "\n" + Envelope.of("keep").urString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rows(file) > 1 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertEquals(1, rows(file), "the sweeper deletes the three expired rows, keeps the live one");
      }
      String lines = output().replaceAll("127\\.0\\.0\\.1:\\d+: (PUT|GET) .*\n", "");
      if (!verbose) {
        assertEquals("", lines);
        continue;
      }
      // the three may expire in one sweep or, across a second boundary, in two
      int pruned = 0;
      for (String line : lines.split("\n")) {
        Matcher m = Pattern.compile("Pruned (\\d+) expired (entry|entries)").matcher(line);
        assertTrue(m.matches(), line);
        int n = Integer.parseInt(m.group(1));
        assertEquals(n == 1 ? "entry" : "entries", m.group(2));
        pruned += n;
      }
      assertEquals(3, pruned, lines);
    }
  }

  private static int rows(Path file) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM hubert_store")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
