package dev.hubert.cli;

import static dev.hubert.cli.CliBasicIT.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * put/get/check through a real Hubert server, itself started from the jar ({@code hubert server
 * --port 0 --sqlite DIR}), as separate processes talking HTTP on loopback.
 */
class ServerRoundTripIT {
  private static final Pattern VERBOSE_LINE =
      Pattern.compile("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z] .+");

  @TempDir static Path dir;
  static ServerProcess server;

  @BeforeAll
  static void startServer() throws Exception {
    server = ServerProcess.start("server", "--port", "0", "--sqlite", dir.toString());
    assertEquals(
        "Starting Hubert server on port 0 with SQLite storage: " + dir.resolve("hubert.sqlite"),
        server.lines.get(0));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private static String port() {
    return Integer.toString(server.port);
  }

  private static String newArid() {
    return Arid.random().urString();
  }

  @Test
  void checkFindsTheServer() {
    HubertCli.Result r = HubertCli.run("check", "-t", "60", "-s", "server", "--port", port());
    assertEquals(0, r.exit, r::toString);
    assertEquals(
        "✓ Hubert server is available at 127.0.0.1:" + port() + " (version 0.5.0)\n", r.out);
  }

  @Test
  void putThenGet() {
    String arid = newArid();
    String envelope = Envelope.of("Hello, Hubert!").addAssertion("note", "round trip").urString();
    HubertCli.Result put = HubertCli.run("put", "-s", "server", "--port", port(), arid, envelope);
    assertEquals(0, put.exit, put::toString);
    assertEquals("", put.out + put.err); // silent on success, as the reference
    HubertCli.Result get = HubertCli.run("get", "-s", "server", "--port", port(), arid);
    assertEquals(0, get.exit, get::toString);
    assertEquals(envelope + "\n", get.out);
    assertEquals("", get.err);
  }

  @Test
  void serverUrlAndHostForms() {
    String arid = newArid();
    String envelope = HubertCli.run("generate", "envelope", "20").out.strip();
    HubertCli.Result put =
        HubertCli.run("put", "--storage", "server", "--server-url", server.url(), arid, envelope);
    assertEquals(0, put.exit, put::toString);
    HubertCli.Result get =
        HubertCli.run("g" + "et", "-s", "server", "--host", "127.0.0.1", "--port", port(), arid);
    assertEquals(envelope + "\n", get.out, get::toString);
  }

  @Test
  void writeOnce() {
    String arid = newArid();
    String first = Envelope.of("First").urString();
    assertEquals(0, HubertCli.run("put", "-s", "server", "--port", port(), arid, first).exit);
    HubertCli.Result again =
        HubertCli.run("put", "-s", "server", "--port", port(), arid, Envelope.of("Second").urString());
    assertEquals(1, again.exit, again::toString);
    assertTrue(again.err.startsWith("Error: ") && again.err.contains("already exists"), again::toString);
    assertEquals(first + "\n", HubertCli.run("get", "-s", "server", "--port", port(), arid).out);
  }

  @Test
  void getTimesOutWithTheReferenceMessage() {
    error(
        HubertCli.run("get", "-s", "server", "--port", port(), "-t", "1", newArid()),
        "Value not found within 1 seconds");
  }

  @Test
  void verbosePutAndGetLogOnStdout() {
    String arid = newArid();
    String envelope = Envelope.of("verbose").urString();
    HubertCli.Result put =
        HubertCli.run("-v", "put", "-s", "server", "--port", port(), arid, envelope);
    assertEquals(0, put.exit, put::toString);
    List<String> lines = put.out.lines().toList();
    assertTrue(lines.stream().allMatch(l -> VERBOSE_LINE.matcher(l).matches()), put::toString);
    assertTrue(lines.get(lines.size() - 1).endsWith("] ✓ Stored envelope at ARID"), put::toString);
    assertEquals("", put.err);
    HubertCli.Result get =
        HubertCli.run("get", "-s", "server", "--port", port(), arid, "--verbose");
    assertEquals(0, get.exit, get::toString);
    assertTrue(get.out.contains("Value found on server"), get::toString);
    assertTrue(get.out.endsWith(envelope + "\n"), get::toString);
  }

  @Test
  void getFormats() {
    String arid = newArid();
    Envelope envelope = Envelope.of("Alice").addAssertion("knows", "Bob");
    assertEquals(0, HubertCli.run("put", "-s", "server", "--port", port(), arid,
        envelope.urString()).exit);
    HubertCli.Result notation =
        HubertCli.run("get", "-s", "server", "--port", port(), "--format", "notation", arid);
    assertEquals("\"Alice\" [\n    \"knows\": \"Bob\"\n]\n", notation.out, notation::toString);
    HubertCli.Result hex =
        HubertCli.run("get", "-s", "server", "--port", port(), "--format", "cbor-hex", arid);
    assertEquals(HexFormat.of().formatHex(envelope.toCborData()) + "\n", hex.out, hex::toString);
  }

  @Test
  void putFromFileAndStdin() throws Exception {
    Envelope a = Envelope.of("from a UR file");
    Path urFile = Files.writeString(dir.resolve("a.ur"), a.urString() + "\n");
    String aridA = newArid();
    assertEquals(0, HubertCli.run("put", "-s", "server", "--port", port(), aridA, "@" + urFile).exit);
    assertEquals(a.urString() + "\n", HubertCli.run("get", "-s", "server", "--port", port(), aridA).out);

    Envelope b = Envelope.of("from a CBOR file");
    Path cborFile = Files.write(dir.resolve("b.cbor"), b.toCborData());
    String aridB = newArid();
    assertEquals(0, HubertCli.run("put", "-s", "server", "--port", port(), aridB, "@" + cborFile).exit);
    assertEquals(b.urString() + "\n", HubertCli.run("get", "-s", "server", "--port", port(), aridB).out);

    Envelope c = Envelope.of("from standard input");
    String aridC = newArid();
    HubertCli.Result put =
        HubertCli.runWithStdin(c.urString(), "put", "-s", "server", "--port", port(), aridC, "-");
    assertEquals(0, put.exit, put::toString);
    assertEquals(c.urString() + "\n", HubertCli.run("get", "-s", "server", "--port", port(), aridC).out);

    Path junk = Files.writeString(dir.resolve("junk.txt"), "not an envelope");
    HubertCli.Result bad = HubertCli.run("put", "-s", "server", "--port", port(), newArid(), "@" + junk);
    assertEquals(1, bad.exit, bad::toString);
    assertTrue(bad.err.startsWith("Error: Invalid envelope format in " + junk), bad::toString);
  }

  @Test
  void ttlExpires() throws InterruptedException {
    String arid = newArid();
    String envelope = Envelope.of("short-lived").urString();
    assertEquals(0, HubertCli.run("put", "-s", "server", "--port", port(), "--ttl", "1", arid, envelope).exit);
    Thread.sleep(3_000); // well past the TTL
    error(HubertCli.run("get", "-s", "server", "--port", port(), "-t", "0", arid),
        "Value not found within 0 seconds");
  }

  @Test
  void progressWhilePollingGoesToStderr() {
    HubertCli.Result r = HubertCli.run(null, List.of("-Dhubert.progress=true"),
        "get", "-s", "server", "--port", port(), "-t", "2", newArid());
    assertEquals(1, r.exit, r::toString);
    assertEquals("", r.out);
    assertTrue(r.err.contains("waiting for the envelope"), r::toString);
    assertTrue(r.err.contains("\r\033[K"), r::toString); // erased when the wait ends
    assertTrue(r.err.endsWith("Error: Value not found within 2 seconds\n"), r::toString);
  }

  @Test
  void secondServerOnATakenPortFails() {
    HubertCli.Result r = HubertCli.run("server", "--port", port());
    assertEquals(1, r.exit, r::toString);
    assertTrue(r.err.startsWith("Error: cannot start the Hubert server on 127.0.0.1:" + port()),
        r::toString);
  }

  /** The message says what failed and what to do, not just a path. */
  @Test
  void sqlitePathWhoseDirectoryCannotBeMadeFails() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    Path file = notADirectory.resolve("hubert.sqlite");
    HubertCli.Result r = HubertCli.run("server", "--port", "0", "--sqlite", file.toString());
    assertEquals(1, r.exit, r::toString);
    assertEquals(
        "Error: cannot create the directory " + notADirectory + " for the SQLite database " + file
            + ": " + notADirectory + " exists and is not a directory; choose a path whose"
            + " directory exists or can be created\n",
        r.err);
  }

  @Test
  void serverHelpByPrefix() {
    HubertCli.Result r = HubertCli.run("s", "--help");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("Start the Hubert HTTP server") && r.out.contains("--sqlite"),
        r::toString);
  }
}
