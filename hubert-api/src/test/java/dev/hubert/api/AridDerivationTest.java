package dev.hubert.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hubert.envelope.Arid;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AridDerivationTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void deriveKeyIsBouncyCastlesHkdfForEveryLength() {
    // the JDK-HMAC HKDF against an independent implementation: one block, several, partial ones,
    // and the largest output RFC 5869 allows
    int[] lengths = {1, 20, 31, 32, 33, 64, 65, 100, 255 * 32};
    for (int i = 0; i < 1000; i++) {
      Arid arid = Arid.random();
      int length = lengths[i % lengths.length];
      String constant = "hubert-test-" + i;
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(new HKDFParameters(constant.getBytes(StandardCharsets.UTF_8), arid.bytes(), new byte[0]));
      byte[] expected = new byte[length];
      hkdf.generateBytes(expected, 0, length);
      assertArrayEquals(expected, AridDerivation.deriveKey(constant, arid, length), constant);
    }
  }

  /** One dynamic test per vector in {@code arid-derivation-vectors.json}. */
  @TestFactory
  Stream<DynamicTest> specVectors() throws Exception {
    JsonObject root;
    try (var in = AridDerivationTest.class.getResourceAsStream("arid-derivation-vectors.json")) {
      root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
    byte[] envelope = HEX.parseHex(root.get("envelope_tagged_cbor").getAsString());
    List<DynamicTest> tests = new ArrayList<>();
    for (var element : root.getAsJsonArray("vectors")) {
      JsonObject v = element.getAsJsonObject();
      String id = v.get("id").getAsString();
      Arid arid = Arid.fromHex(v.get("arid").getAsString());
      tests.add(dynamicTest(id + " ipfs key name", () ->
          assertEquals(v.get("ipfs_key_name").getAsString(), AridDerivation.ipfsKeyName(arid))));
      tests.add(dynamicTest(id + " IPNS key seed", () ->
          assertEquals(v.get("ipns_key_seed").getAsString(), HEX.formatHex(AridDerivation.ipnsKeySeed(arid)))));
      tests.add(dynamicTest(id + " IPNS public key", () ->
          assertEquals(v.get("ipns_public_key").getAsString(), HEX.formatHex(AridDerivation.ipnsPublicKey(arid)))));
      tests.add(dynamicTest(id + " mainline key", () ->
          assertEquals(v.get("mainline_key").getAsString(), HEX.formatHex(AridDerivation.mainlineKey(arid)))));
      tests.add(dynamicTest(id + " ed25519 seed", () ->
          assertEquals(v.get("ed25519_seed").getAsString(),
              HEX.formatHex(AridDerivation.mainlineSigningSeed(arid)))));
      tests.add(dynamicTest(id + " ed25519 public key", () ->
          assertEquals(v.get("ed25519_public_key").getAsString(),
              HEX.formatHex(AridDerivation.mainlinePublicKey(arid)))));
      tests.add(dynamicTest(id + " BEP-44 target", () ->
          assertEquals(v.get("bep44_target").getAsString(), HEX.formatHex(
              MessageDigest.getInstance("SHA-1").digest(AridDerivation.mainlinePublicKey(arid))))));
      tests.add(dynamicTest(id + " obfuscation key", () ->
          assertEquals(v.get("obfuscation_key").getAsString(),
              HEX.formatHex(AridDerivation.deriveKey(AridDerivation.OBFUSCATION_CONSTANT, arid, 32)))));
      if (v.has("keystream_prefix")) {
        tests.add(dynamicTest(id + " keystream", () -> {
          byte[] expected = HEX.parseHex(v.get("keystream_prefix").getAsString());
          assertArrayEquals(expected, AridDerivation.obfuscate(arid, new byte[expected.length]));
        }));
      }
      byte[] obfuscated = HEX.parseHex(v.get("obfuscated_envelope").getAsString());
      tests.add(dynamicTest(id + " obfuscated envelope", () -> {
        assertArrayEquals(obfuscated, AridDerivation.obfuscate(arid, envelope));
        assertArrayEquals(envelope, AridDerivation.obfuscate(arid, obfuscated));
      }));
      tests.add(dynamicTest(id + " BEP-44 signature", () -> {
        byte[] signable = concat(
            ("3:seqi1e1:v" + obfuscated.length + ":").getBytes(StandardCharsets.US_ASCII), obfuscated);
        if (v.has("signable")) {
          assertEquals(v.get("signable").getAsString(), HEX.formatHex(signable));
        }
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(AridDerivation.mainlineSigningSeed(arid), 0));
        signer.update(signable, 0, signable.length);
        assertEquals(v.get("signature").getAsString(), HEX.formatHex(signer.generateSignature()));
      }));
    }
    return tests.stream();
  }

  @Test
  void derivationsAreDeterministicAndDistinct() {
    Arid a = Arid.random();
    Arid b = Arid.random();
    assertEquals(AridDerivation.ipfsKeyName(a), AridDerivation.ipfsKeyName(a));
    assertNotEquals(AridDerivation.ipfsKeyName(a), AridDerivation.ipfsKeyName(b));
    assertNotEquals(HEX.formatHex(AridDerivation.mainlineKey(a)), HEX.formatHex(AridDerivation.mainlineKey(b)));
    assertEquals(64, AridDerivation.ipfsKeyName(a).length());
    assertEquals(20, AridDerivation.mainlineKey(a).length);
    assertNotEquals(AridDerivation.ipfsKeyName(a), HEX.formatHex(AridDerivation.mainlineKey(a)));
    assertNotEquals(AridDerivation.ipfsKeyName(a), HEX.formatHex(AridDerivation.ipnsKeySeed(a)));
    assertNotEquals(HEX.formatHex(AridDerivation.ipnsKeySeed(a)), HEX.formatHex(AridDerivation.ipnsKeySeed(b)));
  }

  @Test
  void obfuscationRoundTripsAndKeepsLength() {
    Arid arid = Arid.random();
    byte[] data = "some envelope bytes".getBytes(StandardCharsets.UTF_8);
    byte[] once = AridDerivation.obfuscate(arid, data);
    assertEquals(data.length, once.length);
    assertNotEquals(HEX.formatHex(data), HEX.formatHex(once));
    assertArrayEquals(data, AridDerivation.obfuscate(arid, once));
    assertArrayEquals(once, AridDerivation.obfuscate(arid, data));
    assertNotEquals(HEX.formatHex(once), HEX.formatHex(AridDerivation.obfuscate(Arid.random(), data)));
    assertEquals(0, AridDerivation.obfuscate(arid, new byte[0]).length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
