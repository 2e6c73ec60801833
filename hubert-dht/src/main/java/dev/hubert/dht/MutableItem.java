package dev.hubert.dht;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import lbms.plugins.mldht.kad.GenericStorage.StorageItem;
import lbms.plugins.mldht.kad.Key;
import lbms.plugins.mldht.kad.messages.PutRequest;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

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
  private final byte[] publicKey;

  private MutableItem(StorageItem item, Key target, byte[] value, byte[] publicKey) {
    this.item = item;
    this.target = target;
    this.value = value;
    this.publicKey = publicKey;
  }

  /**
   * Signs {@code value} with the key whose seed is {@code seed}.
   *
   * @param salt the BEP-44 salt, or {@code null} for none
   * @throws IllegalArgumentException if the value is over {@link #MAX_VALUE} bytes, or the salt
   *     empty or over {@link #MAX_SALT}
   */
  static MutableItem sign(byte[] seed, byte[] salt, byte[] value) {
    return signer(seed, salt).sign(value);
  }

  /**
   * The key pair of {@code seed} with {@code salt}: knows the item's target before any value is
   * signed, so that a put can start its read while it signs.
   *
   * @throws IllegalArgumentException if the salt is empty or over {@link #MAX_SALT} bytes
   */
  static Signer signer(byte[] seed, byte[] salt) {
    checkSalt(salt);
    return new Signer(seed, salt);
  }

  /** An Ed25519 key pair (BouncyCastle) and a salt. */
  static final class Signer {
    private final Ed25519PrivateKeyParameters key;
    private final byte[] publicKey;
    private final byte[] salt;
    private final Key target;

    private Signer(byte[] seed, byte[] salt) {
      this.key = new Ed25519PrivateKeyParameters(seed, 0);
      this.publicKey = key.generatePublicKey().getEncoded();
      this.salt = salt == null ? null : salt.clone();
      this.target = MutableItem.target(publicKey, salt);
    }

    Key target() {
      return target;
    }

    byte[] publicKey() {
      return publicKey.clone();
    }

    /**
     * Signs {@code value} (BouncyCastle rather than mldht's i2p code: about ten times faster, the
     * same deterministic bytes).
     *
     * @throws IllegalArgumentException if the value is over {@link #MAX_VALUE} bytes
     */
    MutableItem sign(byte[] value) {
      if (value.length > MAX_VALUE) {
        throw new IllegalArgumentException("value is " + value.length + " bytes, over " + MAX_VALUE);
      }
      byte[] bencoded = byteString(value);
      byte[] signed = signedBytes(salt, SEQ, bencoded);
      byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
      key.sign(Ed25519.Algorithm.Ed25519, null, signed, 0, signed.length, signature, 0);
      PutRequest fields = new PutRequest();
      fields.setValue(ByteBuffer.wrap(bencoded));
      fields.setSequenceNumber(SEQ);
      fields.setPubkey(publicKey.clone());
      fields.setSalt(salt == null ? null : salt.clone());
      fields.setSignature(signature);
      return new MutableItem(new StorageItem(fields), target, value.clone(), publicKey.clone());
    }

    /**
     * Whether {@code stored} is a validly signed item of this key, accepting exactly what {@link
     * MutableItem#verify} accepts, usually at a third of its cost: Ed25519 signatures are
     * deterministic (RFC 8032 §5.1.6), so an item signed with this seed carries the very signature
     * this key gives its bytes, and comparing with it takes one signing instead of a verification.
     * Any other signature goes to {@link MutableItem#verify}.
     */
    boolean valid(StorageItem stored) {
      if (!stored.mutable() || !stored.fingerprint().equals(target)) {
        return false;
      }
      byte[] signature = bytes(stored.sig().orElse(ByteBuffer.allocate(0)));
      if (signature.length == Ed25519PrivateKeyParameters.SIGNATURE_SIZE
          && Arrays.equals(bytes(stored.pubKey().orElseThrow()), publicKey)) {
        byte[] signed = signedBytes(salt, stored.seq(), bytes(stored.getRawValue()));
        byte[] own = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        key.sign(Ed25519.Algorithm.Ed25519, null, signed, 0, signed.length, own, 0);
        // constant time: how far a forged signature matches ours must not leak
        if (MessageDigest.isEqual(own, signature)) {
          return true;
        }
      }
      return verify(stored, target, salt);
    }
  }

  /** {@code <length>:<bytes>}. */
  private static byte[] byteString(byte[] value) {
    byte[] prefix = (value.length + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(prefix, prefix.length + value.length);
    System.arraycopy(value, 0, out, prefix.length, value.length);
    return out;
  }

  /**
   * What BEP-44 signs: the bencoded dictionary entries {@code salt} (if any), {@code seq} and
   * {@code v}, without the dictionary's {@code d}…{@code e}.
   */
  private static byte[] signedBytes(byte[] salt, long seq, byte[] bencodedValue) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(40 + bencodedValue.length);
    if (salt != null) {
      out.writeBytes(("4:salt" + salt.length + ":").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(salt);
    }
    out.writeBytes(("3:seqi" + seq + "e1:v").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(bencodedValue);
    return out.toByteArray();
  }

  /**
   * Whether {@code stored} is a mutable item whose target is {@code target} and whose Ed25519
   * signature is valid (BouncyCastle; mldht's own check is several times slower).
   */
  static boolean verify(StorageItem stored, Key target, byte[] salt) {
    if (!stored.mutable() || !stored.fingerprint().equals(target)) {
      return false;
    }
    byte[] publicKey = bytes(stored.pubKey().orElseThrow());
    byte[] signature = bytes(stored.sig().orElse(ByteBuffer.allocate(0)));
    if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE
        || signature.length != Ed25519PrivateKeyParameters.SIGNATURE_SIZE) {
      return false;
    }
    byte[] signed = signedBytes(salt, stored.seq(), bytes(stored.getRawValue()));
    return Ed25519.verify(signature, 0, publicKey, 0, signed, 0, signed.length);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  /**
   * Refuses a salt over {@link #MAX_SALT} bytes, and an empty one: libtorrent treats an empty salt
   * as none and would not verify a signature over {@code 4:salt0:}.
   */
  static void checkSalt(byte[] salt) {
    if (salt != null && salt.length == 0) {
      throw new IllegalArgumentException("BEP-44 salt is empty; pass null for no salt (DHT nodes"
          + " such as libtorrent treat an empty salt as none and refuse the item's signature)");
    }
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
    return decodeByteString(bytes(stored.getRawValue()));
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

  /** The 32-byte Ed25519 public key. */
  byte[] publicKey() {
    return publicKey.clone();
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
