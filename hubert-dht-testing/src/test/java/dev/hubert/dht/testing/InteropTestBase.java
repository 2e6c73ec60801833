package dev.hubert.dht.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.hubert.api.AlreadyExistsException;
import dev.hubert.api.AridDerivation;
import dev.hubert.api.Receipt;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with an independent BEP-44 implementation on the testnet, both directions: it reads
 * what Hubert put (and sees exactly the obfuscated envelope bytes), Hubert reads what it put, and
 * an item it wrote first makes Hubert's put fail with {@link AlreadyExistsException}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
abstract class InteropTestBase {
  private static final HexFormat HEX = HexFormat.of();
  /** ASCII: libtorrent's Python binding handles only UTF-8 salts. */
  private static final byte[] SALT = "hubert-interop".getBytes(StandardCharsets.US_ASCII);

  private DhtTestnet net;
  private InteropPeer peer;
  private MainlineDhtKv writer;
  private MainlineDhtKv reader;
  private MainlineDhtKv saltedWriter;
  private MainlineDhtKv saltedReader;

  abstract InteropPeer.Kind kind();

  /** Whether the peer's put can carry cas (libtorrent's Python API cannot). */
  abstract boolean peerSendsCas();

  @BeforeAll
  void start() throws Exception {
    net = DhtTestnet.start();
    writer = net.client(11);
    reader = net.client(12);
    saltedWriter = net.client(net.clientConfig(13).salt(SALT).build());
    saltedReader = net.client(net.clientConfig(14).salt(SALT).build());
    // one bootstrap node: libtorrent never adds its bootstrap "routers" to its routing table
    peer = InteropPeer.start(kind(), net.addresses().subList(0, 1));
  }

  @AfterAll
  void stop() {
    if (peer != null) {
      peer.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private static Envelope message(String text) {
    return Envelope.of(text).addAssertion("from", "interop test");
  }

  private JsonObject peerGet(byte[] publicKey, byte[] salt) {
    JsonObject got = peer.get(publicKey, salt);
    assertTrue(got.get("found").getAsBoolean(), peer + " did not find the item: " + got);
    assertEquals(1, got.get("seq").getAsLong(), "hubert writes seq 1");
    return got;
  }

  @Test
  void peerReadsWhatHubertPut() {
    Arid arid = Arid.random();
    Envelope env = message("Hubert to " + kind());
    Receipt receipt = writer.blocking().put(arid, env);
    byte[] publicKey = AridDerivation.mainlinePublicKey(arid);
    assertEquals("dht://" + HEX.formatHex(publicKey), receipt.text());
    assertTrue(receipt.replicas().orElse(0) >= 1, "replicas: " + receipt.replicas());

    byte[] stored = InteropPeer.value(peerGet(publicKey, null));
    byte[] cbor = env.toCborData();
    assertArrayEquals(AridDerivation.obfuscate(arid, cbor), stored,
        "the DHT holds the envelope CBOR obfuscated with the ARID");
    assertFalse(java.util.Arrays.equals(cbor, stored), "the stored bytes are not plain CBOR");
    assertTrue(Envelope.fromCborData(AridDerivation.obfuscate(arid, stored)).isEquivalentTo(env));
  }

  /** The spec's computed vector (§12.3, ARID A1, "Hello, Hubert!") as an independent node sees it. */
  @Test
  void peerSeesTheSpecVectorBytes() {
    Arid a1 = Arid.fromHex("dec7e82893c32f7a4fcec633c02c0ec32a4361ca3ee3bc8758ae07742e940550");
    Receipt receipt = writer.blocking().put(a1, Envelope.of("Hello, Hubert!"));
    assertEquals("dht://afb310f0ddb67597471a387dd210f22a1f16814b70f6be23383c9d1eaf2b1e30",
        receipt.text());
    JsonObject got = peerGet(HEX.parseHex(
        "afb310f0ddb67597471a387dd210f22a1f16814b70f6be23383c9d1eaf2b1e30"), null);
    assertEquals("ada0f1a9a5804203656f6be7b7900e5f4b0b39", got.get("value").getAsString());
  }

  @Test
  void hubertReadsWhatPeerPut() {
    Arid arid = Arid.random();
    Envelope env = message(kind() + " to Hubert");
    byte[] value = AridDerivation.obfuscate(arid, env.toCborData());
    JsonObject put = peer.put(AridDerivation.mainlineSigningSeed(arid), null, value,
        peerSendsCas() ? 0 : null);
    assertTrue(put.get("ok").getAsBoolean(), peer + " put failed: " + put);

    Optional<Envelope> got = reader.blocking().get(arid, Duration.ofSeconds(20));
    assertTrue(got.isPresent(), "hubert did not find what " + peer + " put");
    assertTrue(got.get().isIdenticalTo(env));
    assertTrue(reader.blocking().exists(arid));
  }

  @Test
  void peerItemMakesHubertPutFailWithAlreadyExists() throws Exception {
    Arid arid = Arid.random();
    Envelope theirs = message("first, by " + kind());
    JsonObject put = peer.put(AridDerivation.mainlineSigningSeed(arid), null,
        AridDerivation.obfuscate(arid, theirs.toCborData()), peerSendsCas() ? 0 : null);
    assertTrue(put.get("ok").getAsBoolean(), peer + " put failed: " + put);

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> writer.put(arid, message("second, by Hubert")).get());
    assertTrue(e.getCause() instanceof AlreadyExistsException, "got " + e.getCause());
    assertTrue(e.getCause().getMessage().startsWith(arid.urString()), e.getCause().getMessage());
    assertTrue(reader.blocking().get(arid, Duration.ofSeconds(20)).orElseThrow()
        .isIdenticalTo(theirs), "the first value stays");
  }

  @Test
  void saltedItemsBothWays() {
    Arid ours = Arid.random();
    Envelope env = message("salted, by Hubert");
    saltedWriter.blocking().put(ours, env);
    byte[] stored = InteropPeer.value(peerGet(AridDerivation.mainlinePublicKey(ours), SALT));
    assertArrayEquals(AridDerivation.obfuscate(ours, env.toCborData()), stored);
    assertFalse(peer.get(AridDerivation.mainlinePublicKey(ours), null).get("found").getAsBoolean(),
        "without the salt the item is elsewhere");

    Arid theirs = Arid.random();
    Envelope env2 = message("salted, by " + kind());
    JsonObject put = peer.put(AridDerivation.mainlineSigningSeed(theirs), SALT,
        AridDerivation.obfuscate(theirs, env2.toCborData()), peerSendsCas() ? 0 : null);
    assertTrue(put.get("ok").getAsBoolean(), peer + " put failed: " + put);
    assertTrue(saltedReader.blocking().get(theirs, Duration.ofSeconds(20)).orElseThrow()
        .isIdenticalTo(env2));
    assertFalse(reader.blocking().exists(theirs), "an unsalted store does not see salted items");
  }
}
