package dev.hubert.dht;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import lbms.plugins.mldht.kad.GenericStorage;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.Key;
import net.i2p.crypto.eddsa.EdDSAPrivateKey;
import net.i2p.crypto.eddsa.spec.EdDSAPrivateKeySpec;

/**
 * A BEP-44 mutable item as hubert 0.5.0 writes it: Ed25519 key from a 32-byte RFC 8032 seed,
 * {@code seq = 1}, optional salt, {@code v} a bencoded byte string, target {@code SHA1(k ‖ salt)}.
 * Immutable.
 */
final class MutableItem {
  /** hubert always writes sequence number 1. */
  static final long SEQ = 1;
  /** mldht, libtorrent and bittorrent-dht nodes refuse a bencoded {@code v} over 1000 bytes. */
  static final int MAX_BENCODED_VALUE = 1000;
  /** The largest raw value whose bencoding ({@code "996:"} + 996 bytes) fits. */
  static final int MAX_VALUE = 996;
  /** BEP-44: nodes refuse a longer salt (error 207). */
  static final int MAX_SALT = 64;

  private final StorageItem item;
  private final Key target;
  private final byte[] value;

  private MutableItem(StorageItem item, Key target, byte[] value) {
    this.item = item;
    this.target = target;
    this.value = value;
  }

  /**
   * Signs {@code value} with the key whose seed is {@code seed}.
   *
   * @param salt the BEP-44 salt, or {@code null} for none
   * @throws IllegalArgumentException if the value is over {@link #MAX_VALUE} bytes or the salt over
   *     {@link #MAX_SALT}
   */
  static MutableItem sign(byte[] seed, byte[] salt, byte[] value) {
    if (value.length > MAX_VALUE) {
      throw new IllegalArgumentException("value is " + value.length + " bytes, over " + MAX_VALUE);
    }
    checkSalt(salt);
    StorageItem item;
    try {
      EdDSAPrivateKey key = new EdDSAPrivateKey(new EdDSAPrivateKeySpec(seed, StorageItem.spec));
      item = GenericStorage.buildMutable(value.clone(), key, salt, SEQ);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
    return new MutableItem(item, item.fingerprint(), value.clone());
  }

  static void checkSalt(byte[] salt) {
    if (salt != null && salt.length > MAX_SALT) {
      throw new IllegalArgumentException(
          "BEP-44 salt is " + salt.length + " bytes, over the limit of " + MAX_SALT);
    }
  }

  /** The BEP-44 target: {@code SHA1(publicKey ‖ salt)}. */
  static Key target(byte[] publicKey, byte[] salt) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(publicKey);
      if (salt != null) {
        sha1.update(salt);
      }
      return new Key(sha1.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /**
   * The raw bytes of a stored item's {@code v} if it is a bencoded byte string
   * ({@code <length>:<bytes>}, nothing after), else empty.
   */
  static Optional<byte[]> valueOf(StorageItem stored) {
    ByteBuffer raw = stored.getRawValue();
    byte[] bencoded = new byte[raw.remaining()];
    raw.duplicate().get(bencoded);
    return decodeByteString(bencoded);
  }

  static Optional<byte[]> decodeByteString(byte[] bencoded) {
    int colon = -1;
    for (int i = 0; i < bencoded.length && i < 7; i++) {
      if (bencoded[i] == ':') {
        colon = i;
        break;
      }
      if (bencoded[i] < '0' || bencoded[i] > '9') {
        return Optional.empty();
      }
    }
    if (colon < 1 || (bencoded[0] == '0' && colon > 1)) {
      return Optional.empty();
    }
    int length = Integer.parseInt(new String(bencoded, 0, colon, StandardCharsets.US_ASCII));
    if (colon + 1 + length != bencoded.length) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(bencoded, colon + 1, bencoded.length));
  }

  /** mldht's signed storage item, for put requests. */
  StorageItem storageItem() {
    return item;
  }

  Key target() {
    return target;
  }

  byte[] value() {
    return value.clone();
  }

  /** The 64-byte Ed25519 signature. */
  byte[] signature() {
    ByteBuffer sig = item.sig().orElseThrow();
    byte[] out = new byte[sig.remaining()];
    sig.duplicate().get(out);
    return out;
  }

  /** Whether {@code stored} holds exactly this item's value. */
  boolean sameValue(StorageItem stored) {
    return valueOf(stored).map(v -> Arrays.equals(v, value)).orElse(false);
  }
}
