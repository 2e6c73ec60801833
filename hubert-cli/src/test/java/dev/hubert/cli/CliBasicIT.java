package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reference's {@code tests/test_cli_basic.rs}, run against the built jar, with the exit
 * codes and streams made exact: usage errors exit 2 on stderr, command errors exit 1 with {@code
 * Error: …} on stderr, results on stdout.
 */
class CliBasicIT {
  static final String VALID_ARID =
      "ur:arid/hdcxuestvsdemusrdlkngwtosweortdwbasrdrfxhssgfmvlrflthdplatjydmmwahgdwlflguqz";
  static final String HELLO = "ur:envelope/tpsoiyfdihjzjzjldmksbaoede";

  static void usageError(HubertCli.Result r) {
    assertEquals(2, r.exit, r::toString);
    assertEquals("", r.out, r::toString);
    assertTrue(r.err.startsWith("error: "), r::toString);
    assertTrue(r.err.contains("For more information, try '--help'."), r::toString);
  }

  static void error(HubertCli.Result r, String message) {
    assertEquals(1, r.exit, r::toString);
    assertEquals("", r.out, r::toString);
    assertEquals("Error: " + message + "\n", r.err, r::toString);
  }

  @Test
  void invalidCommand() {
    HubertCli.Result r = HubertCli.run("invalid");
    usageError(r);
    assertTrue(r.err.contains("'invalid'"), r::toString);
  }

  @Test
  void missingArguments() {
    usageError(HubertCli.run("put"));
    usageError(HubertCli.run("get"));
    HubertCli.Result r = HubertCli.run("put", VALID_ARID);
    usageError(r);
    assertTrue(r.err.contains("ENVELOPE"), r::toString);
  }

  @Test
  void invalidAridFormat() {
    error(HubertCli.run("put", "not-a-valid-arid", HELLO), "Invalid ARID format. Expected ur:arid");
    error(HubertCli.run("get", "not-a-valid-arid"), "Invalid ARID format. Expected ur:arid");
  }

  @Test
  void invalidEnvelopeFormat() {
    error(
        HubertCli.run("put", VALID_ARID, "not-a-valid-envelope"),
        "Invalid envelope format. Expected ur:envelope");
  }

  @Test
  void hexAridNotAccepted() {
    error(
        HubertCli.run(
            "put", "dec7e82893c32f7a4fcec633c02c0ec32a4361ca3ee3bc8758ae07742e940550", HELLO),
        "Invalid ARID format. Expected ur:arid");
  }

  @Test
  void storageBackendOption() {
    HubertCli.Result r = HubertCli.run("check", "--storage", "mainline", "--help");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("mainline"), r::toString);
    assertEquals("", r.err);
    r = HubertCli.run("put", "--storage", "ipfs", "--help");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("ipfs"), r::toString);
    assertTrue(r.out.contains("BitTorrent Mainline DHT (fast, ≤1 KB messages)"), r::toString);
  }

  @Test
  void invalidStorageBackend() {
    HubertCli.Result r = HubertCli.run("check", "--storage", "invalid");
    usageError(r);
    assertTrue(r.err.contains("mainline, ipfs, hybrid, server"), r::toString);
    usageError(HubertCli.run("check", "--storage", "Mainline")); // case-sensitive, as clap
  }

  @Test
  void generateHelp() {
    HubertCli.Result r = HubertCli.run("generate", "--help");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("Generate a new ARID or example Envelope"), r::toString);
    assertTrue(r.out.contains("arid"), r::toString);
  }

  @Test
  void putHelpWrapsEnvelopeDescriptionAsOneParagraph() {
    HubertCli.Result r = HubertCli.run("put", "--help");
    assertEquals(0, r.exit, r::toString);
    assertTrue(
        r.out.contains("tagged envelope CBOR; or - to read either from standard input\n"),
        r::toString);
  }

  @Test
  void generateArid() {
    HubertCli.Result a = HubertCli.run("generate", "arid");
    HubertCli.Result b = HubertCli.run("generate", "arid");
    assertEquals(0, a.exit, a::toString);
    assertEquals("", a.err);
    assertTrue(a.out.startsWith("ur:arid/") && a.out.endsWith("\n"), a::toString);
    assertNotEquals(a.out, b.out);
    Arid arid = Arid.fromUr(a.out.strip());
    assertEquals(a.out.strip(), arid.urString());
  }

  @Test
  void helpAndVersionExitZeroOnStdout() {
    HubertCli.Result help = HubertCli.run("--help");
    assertEquals(0, help.exit, help::toString);
    assertTrue(help.out.contains("Hubert: Distributed substrate for multiparty transactions"));
    for (String command : new String[] {"generate", "put", "get", "check", "server", "demo"}) {
      assertTrue(help.out.contains(command), help::toString);
    }
    // the command list shows only a description's first line: it must be a whole sentence
    assertTrue(
        help.out.contains(
            "\n  demo      Play one multi-party coordination round on an embedded server\n"),
        help::toString);
    HubertCli.Result demo = HubertCli.run("demo", "--help");
    assertTrue(demo.out.contains("the coordinator collects them."), demo::toString);
    // the footer points to the README section listing the differences from the reference
    assertTrue(
        help.out.contains("see the README, section \"The `hubert` command\"."), help::toString);
    HubertCli.Result version = HubertCli.run("--version");
    assertEquals(0, version.exit, version::toString);
    assertTrue(version.out.startsWith("hubert 0."), version::toString);
    assertEquals("", version.err);
    assertEquals(version.out, HubertCli.run("-V").out);
  }

  @Test
  void helpFooterNamesAReadmeSection() throws IOException {
    Path readme = Path.of(System.getProperty("hubert.repo", ".."), "README.md");
    assertTrue(
        Files.readAllLines(readme).contains("## The `hubert` command"),
        "the --help footer names the README section \"The `hubert` command\"");
  }

  @Test
  void noCommandPrintsHelpOnStderrAndExitsTwo() {
    HubertCli.Result r = HubertCli.run();
    assertEquals(2, r.exit, r::toString);
    assertEquals("", r.out);
    assertTrue(r.err.contains("Usage: hubert"), r::toString);
    r = HubertCli.run("generate");
    assertEquals(2, r.exit, r::toString);
    assertTrue(r.err.contains("Usage: hubert generate"), r::toString);
  }

  @Test
  void uniquePrefixesSelectCommands() {
    HubertCli.Result r = HubertCli.run("gen", "arid");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.startsWith("ur:arid/"), r::toString);
    r = HubertCli.run("g", "arid"); // generate or get
    usageError(r);
    assertTrue(r.err.contains("not unique"), r::toString);
    r = HubertCli.run("p", "x", HELLO);
    error(r, "Invalid ARID format. Expected ur:arid");
  }

  @Test
  void verboseBeforeOrAfterTheCommand() {
    assertEquals(0, HubertCli.run("-v", "generate", "arid").exit);
    assertEquals(0, HubertCli.run("generate", "arid", "-v").exit);
    assertEquals(0, HubertCli.run("generate", "--verbose", "arid").exit);
  }

  @Test
  void generateEnvelope() {
    HubertCli.Result r = HubertCli.run("generate", "envelope", "16");
    assertEquals(0, r.exit, r::toString);
    dev.hubert.envelope.Envelope e = dev.hubert.envelope.Envelope.fromUr(r.out.strip());
    assertEquals(16, e.subject().leaf().orElseThrow().byteString().length);
    assertNotEquals(r.out, HubertCli.run("generate", "envelope", "16").out);
    usageError(HubertCli.run("generate", "envelope", "-1"));
    usageError(HubertCli.run("generate", "envelope", "many"));
    usageError(HubertCli.run("generate", "envelope"));
  }

  @Test
  void completionScript() {
    HubertCli.Result r = HubertCli.run("generate", "completion");
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.contains("complete -F"), r::toString);
    for (String word : new String[] {"generate", "put", "get", "check", "--storage", "mainline"}) {
      assertTrue(r.out.contains(word), word);
    }
    HubertCli.Result bash =
        HubertCli.exec(java.util.List.of("bash", "-n"), r.out, java.time.Duration.ofMinutes(1));
    assertEquals(0, bash.exit, bash::toString);
  }
}
