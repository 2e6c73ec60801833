package dev.hubert.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hubert.envelope.Arid;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class IpnsKeyTest {
  private static final HexFormat HEX = HexFormat.of();

  @TestFactory
  Stream<DynamicTest> vectors() throws Exception {
    JsonObject root;
    try (var in = IpnsKeyTest.class.getResourceAsStream("ipns-key-vectors.json")) {
      root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (var e : root.getAsJsonArray("vectors")) {
      JsonObject v = e.getAsJsonObject();
      String id = v.get("id").getAsString();
      IpnsKey key = IpnsKey.of(Arid.fromHex(v.get("arid").getAsString()));
      String name = v.get("ipns_name").getAsString();
      String base36 = v.get("ipns_name_base36").getAsString();
      tests.add(dynamicTest(id + " private key protobuf", () -> assertEquals(
          v.get("libp2p_private_key").getAsString(), HEX.formatHex(key.privateKeyProtobuf()))));
      tests.add(dynamicTest(id + " IPNS name", () -> assertEquals(name, key.ipnsName())));
      tests.add(dynamicTest(id + " peer-id forms", () -> {
        assertArrayEquals(key.peerIdMultihash(), IpnsKey.multihashOf(base36));
        assertTrue(key.matches(name));
        assertTrue(key.matches("/ipns/" + name));
        assertTrue(key.matches(base36));
        assertTrue(key.matches(base36.toUpperCase(java.util.Locale.ROOT).replace('K', 'k')));
      }));
    }
    return tests.stream();
  }

  @Test
  void base32AndBase58CidFormsOfThePeerIdMatch() {
    IpnsKey key = IpnsKey.of(Arid.random());
    byte[] cid = new byte[2 + 38];
    cid[0] = 1;
    cid[1] = 0x72;
    System.arraycopy(key.peerIdMultihash(), 0, cid, 2, 38);
    assertTrue(key.matches("z" + IpnsKey.base58(cid)));
    assertTrue(key.matches("b" + base32(cid)));
    assertFalse(IpnsKey.of(Arid.random()).matches(key.ipnsName()));
    assertFalse(key.matches("not a peer id"));
    assertFalse(key.matches(""));
  }

  @Test
  void base58RoundTripsWithLeadingZeros() {
    byte[] data = {0, 0, 1, 2, (byte) 0xff};
    assertEquals("11", IpnsKey.base58(new byte[2]));
    assertArrayEquals(data, IpnsKey.base58Decode(IpnsKey.base58(data)));
    assertThrows(IllegalArgumentException.class, () -> IpnsKey.base58Decode("0OIl"));
    assertThrows(IllegalArgumentException.class, () -> IpnsKey.multihashOf("k5%%"));
    // a CIDv1 of another codec (raw, 0x55) is not a peer id
    assertThrows(IllegalArgumentException.class,
        () -> IpnsKey.multihashOf("z" + IpnsKey.base58(new byte[] {1, 0x55, 0, 1, 7})));
  }

  /** Decrypts js-ipfs's export format as libp2p's importer does, and finds the protobuf. */
  @Test
  void jsIpfsExportDecryptsToThePrivateKeyProtobuf() throws Exception {
    IpnsKey key = IpnsKey.of(Arid.random());
    String password = IpnsKey.randomPassword();
    String pem = key.jsIpfsExport(password);
    assertEquals('m', pem.charAt(0));
    byte[] raw = Base64.getDecoder().decode(pem.substring(1));
    byte[] salt = Arrays.copyOfRange(raw, 0, 16);
    byte[] nonce = Arrays.copyOfRange(raw, 16, 28);
    byte[] aes = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 32767, 128)).getEncoded();
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aes, "AES"), new GCMParameterSpec(128, nonce));
    assertArrayEquals(key.privateKeyProtobuf(), gcm.doFinal(raw, 28, raw.length - 28));
    assertFalse(pem.equals(key.jsIpfsExport(password)), "salt and nonce are fresh per export");
  }

  private static String base32(byte[] data) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }
}
