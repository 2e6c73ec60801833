package dev.hubert.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.AridDerivation;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import lbms.plugins.mldht.kad.GenericStorage;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.messages.PutRequest;
import net.i2p.crypto.eddsa.EdDSAPrivateKey;
import net.i2p.crypto.eddsa.spec.EdDSAPrivateKeySpec;
import org.junit.jupiter.api.Test;

/** The BEP-44 item bytes against the spec's computed vectors (§12.3), and the size limits. */
class MutableItemTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Envelope HELLO = Envelope.of("Hello, Hubert!");

  private static MutableItem itemFor(String aridHex) {
    Arid arid = Arid.fromHex(aridHex);
    return MutableItem.sign(AridDerivation.mainlineSigningSeed(arid), null,
        AridDerivation.obfuscate(arid, HELLO.toCborData()));
  }

  @Test
  void aridA1() {
    MutableItem item = itemFor("dec7e82893c32f7a4fcec633c02c0ec32a4361ca3ee3bc8758ae07742e940550");
    assertEquals("ada0f1a9a5804203656f6be7b7900e5f4b0b39", HEX.formatHex(item.value()));
    assertEquals("2ee2e8dd61b02bf0c2d1480c723dfd7c13d69ff4", item.target().toString(false).toLowerCase(java.util.Locale.ROOT));
    assertEquals("174b1faa09708ab858d3db79da12c1c4315ad8293df91c24ee2b62800d797432"
        + "1a60b85aba42775fa1b4e803f063ea2c045debfaf447af12d483ac0d62016e03",
        HEX.formatHex(item.signature()));
    assertEquals(item.target(), MutableItem.target(HEX.parseHex(
        "afb310f0ddb67597471a387dd210f22a1f16814b70f6be23383c9d1eaf2b1e30"), null));
  }

  @Test
  void aridA2() {
    MutableItem item = itemFor("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    assertEquals("8a5ae6667bae6f248f7fc3649325c905d4e3e4", HEX.formatHex(item.value()));
    assertEquals("b5d0b42b85a13b4370e61c27aece92694748fbdf", item.target().toString(false).toLowerCase(java.util.Locale.ROOT));
    assertEquals("744b3fe93b74ec156e8e11bae2562a811a441dff0a65ce5c873e37497e1a8614"
        + "51b0963c47250ab37c7c5f6bdee811f96bdeef35482feeedb80289cdc423720e",
        HEX.formatHex(item.signature()));
  }

  @Test
  void signedLikeMldhtSignsAndVerified() throws Exception {
    byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    byte[] value = "some value".getBytes(StandardCharsets.UTF_8);
    for (byte[] salt : new byte[][] {null, "a salt".getBytes(StandardCharsets.US_ASCII)}) {
      MutableItem ours = MutableItem.sign(seed, salt, value);
      StorageItem mldht = GenericStorage.buildMutable(value, new EdDSAPrivateKey(
          new EdDSAPrivateKeySpec(seed, StorageItem.spec)), salt, MutableItem.SEQ);
      assertArrayEquals(bytes(mldht.sig().orElseThrow()), ours.signature());
      assertArrayEquals(bytes(mldht.pubKey().orElseThrow()), ours.publicKey());
      assertEquals(mldht.fingerprint(), ours.target());
      assertTrue(ours.storageItem().validateSig(), "mldht accepts our signature");
      assertTrue(MutableItem.verify(mldht, ours.target(), salt));
      assertFalse(MutableItem.verify(mldht, ours.target(), salt == null ? new byte[] {1} : null));
      assertFalse(MutableItem.verify(mldht, MutableItem.target(new byte[32], salt), salt));
      byte[] otherSeed = seed.clone();
      otherSeed[0] ^= 1;
      StorageItem forged = GenericStorage.buildMutable("other".getBytes(StandardCharsets.UTF_8),
          new EdDSAPrivateKey(new EdDSAPrivateKeySpec(otherSeed, StorageItem.spec)), salt, 1);
      PutRequest mixed = new PutRequest();
      mixed.setValue(forged.getRawValue());
      mixed.setSequenceNumber(1);
      mixed.setPubkey(ours.publicKey());
      mixed.setSalt(salt);
      mixed.setSignature(bytes(forged.sig().orElseThrow()));
      assertFalse(MutableItem.verify(new StorageItem(mixed), ours.target(), salt),
          "a signature by another key");
    }
  }

  @Test
  void signersAcceptExactlyWhatVerifyAccepts() throws Exception {
    byte[] seed = HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    byte[] value = "another value".getBytes(StandardCharsets.UTF_8);
    for (byte[] salt : new byte[][] {null, "a salt".getBytes(StandardCharsets.US_ASCII)}) {
      MutableItem.Signer signer = MutableItem.signer(seed, salt);
      StorageItem own = signer.sign(value).storageItem();
      assertTrue(signer.valid(own), "its own signature");
      // the same key pair with another nonce prefix (RFC 8032's second half of SHA-512(seed)):
      // a valid signature that is not the deterministic one, so only the full check accepts it
      byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
      h[40] ^= 1;
      StorageItem otherNonce = GenericStorage.buildMutable(value,
          new EdDSAPrivateKey(new EdDSAPrivateKeySpec(StorageItem.spec, h)), salt, MutableItem.SEQ);
      assertFalse(Arrays.equals(bytes(otherNonce.sig().orElseThrow()),
          bytes(own.sig().orElseThrow())));
      assertTrue(MutableItem.verify(otherNonce, signer.target(), salt));
      assertTrue(signer.valid(otherNonce), "a valid signature other than its own");
      PutRequest tampered = new PutRequest();
      tampered.setValue(java.nio.ByteBuffer.wrap("1:x".getBytes(StandardCharsets.US_ASCII)));
      tampered.setSequenceNumber(MutableItem.SEQ);
      tampered.setPubkey(signer.publicKey());
      tampered.setSalt(salt);
      tampered.setSignature(bytes(own.sig().orElseThrow()));
      assertFalse(signer.valid(new StorageItem(tampered)), "its signature on another value");
      byte[] flipped = bytes(own.sig().orElseThrow());
      flipped[63] ^= 1;
      tampered.setValue(own.getRawValue());
      tampered.setSignature(flipped);
      assertFalse(signer.valid(new StorageItem(tampered)), "a damaged signature");
      assertFalse(MutableItem.signer(seed, salt == null ? new byte[] {1} : null).valid(own),
          "another salt, so another target");
    }
  }

  private static byte[] bytes(java.nio.ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void saltChangesTheTarget() {
    byte[] pk = new byte[32];
    assertTrue(!MutableItem.target(pk, null).equals(MutableItem.target(pk, new byte[] {1})));
    assertThrows(IllegalArgumentException.class, () -> MutableItem.checkSalt(new byte[65]));
    MutableItem.checkSalt(new byte[64]);
  }

  /** An empty salt would be signed as {@code 4:salt0:}; libtorrent treats it as none and refuses. */
  @Test
  void anEmptySaltIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MutableItem.sign(new byte[32], new byte[0], new byte[] {1}));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> MutableItem.signer(new byte[32], new byte[0]));
  }

  @Test
  void valuesUpTo996BytesFitInABencodedThousand() {
    byte[] seed = new byte[32];
    assertEquals(996, MutableItem.sign(seed, null, new byte[996]).value().length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MutableItem.sign(seed, null, new byte[997]));
    assertTrue(e.getMessage().contains("996"), e.getMessage());
  }

  @Test
  void onlyWholeByteStringsDecode() {
    assertArrayEquals(new byte[] {'a', 'b'}, MutableItem.decodeByteString(ascii("2:ab")).orElseThrow());
    assertArrayEquals(new byte[0], MutableItem.decodeByteString(ascii("0:")).orElseThrow());
    for (String bad : new String[] {"i42e", "3:ab", "1:ab", "02:ab", ":ab", "", "le", "d1:ai1ee",
        "99999999:x"}) {
      assertEquals(Optional.empty(), MutableItem.decodeByteString(ascii(bad)).map(b -> "decoded"),
          bad);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
