package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * put/get/check through the two IPFS test nodes that {@code scripts/setup.d/30-ipfs.sh} starts in
 * the test namespace (RPC on 127.0.0.1:5001 and :5002): written through one, read through the
 * other, with the RPC port honoured (the reference ignored it outside {@code check}).
 */
class IpfsRoundTripIT {
  @BeforeAll
  static void nodesRun() {
    for (String port : new String[] {"5001", "5002"}) {
      HubertCli.Result r = HubertCli.run("check", "-t", "30", "-s", "ipfs", "--port", port);
      assertEquals(0, r.exit, () -> "the IPFS test node on 127.0.0.1:" + port + " is not running;"
          + " scripts/test.sh starts it (scripts/setup.d/30-ipfs.sh start)\n" + r);
      assertEquals("✓ IPFS is available at 127.0.0.1:" + port + "\n", r.out);
    }
  }

  @Test
  void putThroughOneNodeGetThroughTheOther() {
    String arid = Arid.random().urString();
    String envelope = HubertCli.run("generate", "envelope", "5000").out.strip(); // too big for the DHT
    HubertCli.Result put = HubertCli.run("put", "-s", "ipfs", "--port", "5001", "--pin", arid, envelope);
    assertEquals(0, put.exit, put::toString);
    assertTrue(put.out.matches("CID: [1-9A-HJ-NP-Za-km-z]{46}\n|CID: b[a-z2-7]+\n"), put::toString);
    HubertCli.Result get = HubertCli.run("get", "-s", "ipfs", "--ipfs-url", "http://127.0.0.1:5002",
        "-t", "60", arid);
    assertEquals(0, get.exit, get::toString);
    assertEquals(envelope + "\n", get.out);

    HubertCli.Result again = HubertCli.run("put", "-s", "ipfs", arid, envelope);
    assertEquals(1, again.exit, again::toString);
    assertTrue(again.err.contains("already exists"), again::toString);
  }

  @Test
  void putWithoutPinPrintsNothing() {
    HubertCli.Result put = HubertCli.run("put", "-s", "ipfs", Arid.random().urString(),
        HubertCli.run("generate", "envelope", "10").out.strip());
    assertEquals(0, put.exit, put::toString);
    assertEquals("", put.out + put.err);
  }

  @Test
  void unreachableRpcUrlIsAnError() throws Exception {
    int port = CliCheckIT.closedPort();
    HubertCli.Result put = HubertCli.run("put", "-s", "ipfs", "--port", "" + port,
        Arid.random().urString(), HubertCli.run("generate", "envelope", "10").out.strip());
    assertEquals(1, put.exit, put::toString);
    assertTrue(put.err.startsWith("Error: "), put::toString);
  }
}
