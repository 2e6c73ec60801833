package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.dht.testing.DhtTestnet;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * put/get/check on a real Mainline DHT: a 5-node testnet (hubert-dht-testing) in this JVM, on
 * 198.51.100.16–20 inside the test namespace; each {@code hubert} process runs its own DHT node
 * (inheriting the namespace) and joins through {@code --bootstrap}.
 */
class DhtRoundTripIT {
  static DhtTestnet testnet;
  static String bootstrap;

  @BeforeAll
  static void startTestnet() {
    testnet = DhtTestnet.start(16, 5);
    bootstrap = "198.51.100.16:6881,198.51.100.17:6881,198.51.100.18:6881";
  }

  @AfterAll
  static void stopTestnet() {
    if (testnet != null) {
      testnet.close();
    }
  }

  @Test
  void checkJoinsTheDht() {
    HubertCli.Result r = HubertCli.run("check", "--bootstrap", bootstrap);
    assertEquals(0, r.exit, r::toString);
    assertTrue(r.out.startsWith("✓ Mainline DHT is available ("), r::toString);
  }

  @Test
  void checkWithoutReachableNodesSaysSo() {
    HubertCli.Result r = HubertCli.run("check", "-s", "mainline", "--bootstrap", "198.51.100.60:6881");
    assertEquals(1, r.exit, r::toString);
    assertTrue(r.err.startsWith("Error: ✗ Mainline DHT is not available: no DHT node answered"),
        r::toString);
  }

  @Test
  void putThenGetThroughTheDht() {
    String arid = Arid.random().urString();
    String envelope = Envelope.of("Hello, DHT").addAssertion("via", "mainline").urString();
    HubertCli.Result put = HubertCli.run("put", "--bootstrap", bootstrap, arid, envelope);
    assertEquals(0, put.exit, put::toString);
    assertEquals("", put.out + put.err);
    HubertCli.Result get = HubertCli.run("get", "-s", "mainline", "--bootstrap", bootstrap, arid);
    assertEquals(0, get.exit, get::toString);
    assertEquals(envelope + "\n", get.out);

    HubertCli.Result again = HubertCli.run("put", "--bootstrap", bootstrap, arid,
        Envelope.of("Second").urString());
    assertEquals(1, again.exit, again::toString);
    assertTrue(again.err.contains("already exists"), again::toString);
  }

  @Test
  void verboseGetPrintsTheReferenceLines() {
    String arid = Arid.random().urString();
    String envelope = Envelope.of("verbose DHT").urString();
    HubertCli.Result put = HubertCli.run("-v", "put", "--bootstrap", bootstrap, arid, envelope);
    assertEquals(0, put.exit, put::toString);
    assertTrue(put.out.contains("] ✓ Stored envelope at ARID\n"), put::toString);
    HubertCli.Result get = HubertCli.run("get", "-v", "--bootstrap", bootstrap, arid);
    assertEquals(0, get.exit, get::toString);
    assertTrue(get.out.contains("Value found in DHT"), get::toString);
    assertTrue(get.out.endsWith(envelope + "\n"), get::toString);
  }

  @Test
  void tooLargeForTheDht() {
    String big = HubertCli.run("generate", "envelope", "2000").out.strip();
    HubertCli.Result put = HubertCli.run("put", "--bootstrap", bootstrap, Arid.random().urString(), big);
    assertEquals(1, put.exit, put::toString);
    assertTrue(put.err.startsWith("Error: ") && put.err.contains("over the Mainline DHT limit"), put::toString);
  }

  @Test
  void missingValueTimesOut() {
    CliBasicIT.error(
        HubertCli.run("get", "--bootstrap", bootstrap, "-t", "2", Arid.random().urString()),
        "Value not found within 2 seconds");
  }

  /** Hybrid: the DHT testnet plus the IPFS test nodes (scripts/setup.d/30-ipfs.sh). */
  @Test
  void hybridSmallGoesToTheDhtLargeThroughIpfsWithItsCid() {
    HubertCli.Result check = HubertCli.run("check", "-t", "30", "-s", "hybrid", "--bootstrap", bootstrap);
    assertEquals(0, check.exit, check::toString);
    assertTrue(check.out.endsWith("✓ IPFS is available at 127.0.0.1:5001\n"
        + "✓ Hybrid storage is available (DHT + IPFS)\n"), check::toString);

    String small = Arid.random().urString();
    String smallEnvelope = Envelope.of("small, via the DHT").urString();
    HubertCli.Result put = HubertCli.run("put", "-s", "hybrid", "--bootstrap", bootstrap, "--pin",
        small, smallEnvelope);
    assertEquals(0, put.exit, put::toString);
    assertEquals("", put.out, put::toString); // nothing went to IPFS: no CID
    assertEquals(smallEnvelope + "\n",
        HubertCli.run("get", "-s", "hybrid", "--bootstrap", bootstrap, small).out);

    String large = Arid.random().urString();
    String largeEnvelope = HubertCli.run("generate", "envelope", "3000").out.strip();
    put = HubertCli.run("put", "-s", "hybrid", "--bootstrap", bootstrap, "--pin", large, largeEnvelope);
    assertEquals(0, put.exit, put::toString);
    assertTrue(put.out.startsWith("CID: "), put::toString); // the reference never printed it
    HubertCli.Result get = HubertCli.run("get", "-s", "hybrid", "--bootstrap", bootstrap,
        "--port", "5002", "-t", "60", large);
    assertEquals(0, get.exit, get::toString);
    assertEquals(largeEnvelope + "\n", get.out);
  }
}
