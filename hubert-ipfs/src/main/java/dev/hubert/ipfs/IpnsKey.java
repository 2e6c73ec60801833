package dev.hubert.ipfs;

import dev.hubert.api.AridDerivation;
import dev.hubert.envelope.Arid;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The IPNS key pair of one ARID (seed from {@link AridDerivation#ipnsKeySeed}) in the libp2p forms
 * the daemons speak: the private-key protobuf, the peer id (= IPNS name) and js-ipfs's encrypted
 * export format. Also parses the peer-id forms daemons print, for comparison.
 *
 * <p>Immutable.
 */
final class IpnsKey {
  private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final int LIBP2P_KEY_CODEC = 0x72;
  private static final int DAG_PB_CODEC = 0x70;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String keyName;
  private final byte[] seed;
  private final byte[] publicKey;

  private IpnsKey(String keyName, byte[] seed, byte[] publicKey) {
    this.keyName = keyName;
    this.seed = seed;
    this.publicKey = publicKey;
  }

  /** The key of {@code arid}: name {@link AridDerivation#ipfsKeyName}, derived ed25519 pair. */
  static IpnsKey of(Arid arid) {
    return new IpnsKey(AridDerivation.ipfsKeyName(arid), AridDerivation.ipnsKeySeed(arid),
        AridDerivation.ipnsPublicKey(arid));
  }

  /** The keystore name (64 hex digits, as hubert 0.5.0 names it). */
  String keyName() {
    return keyName;
  }

  /**
   * The libp2p {@code PrivateKey} protobuf: {@code 08 01} (type Ed25519) {@code 12 40} (64 bytes of
   * data: seed then public key). Kubo's {@code libp2p-protobuf-cleartext} import format.
   */
  byte[] privateKeyProtobuf() {
    byte[] out = new byte[68];
    out[0] = 0x08;
    out[1] = 0x01;
    out[2] = 0x12;
    out[3] = 0x40;
    System.arraycopy(seed, 0, out, 4, 32);
    System.arraycopy(publicKey, 0, out, 36, 32);
    return out;
  }

  /**
   * The peer id as a multihash: identity hash ({@code 00 24}) of the public-key protobuf
   * {@code 08 01 12 20 <32 bytes>}.
   */
  byte[] peerIdMultihash() {
    byte[] out = new byte[38];
    out[0] = 0x00;
    out[1] = 0x24;
    out[2] = 0x08;
    out[3] = 0x01;
    out[4] = 0x12;
    out[5] = 0x20;
    System.arraycopy(publicKey, 0, out, 6, 32);
    return out;
  }

  /** The IPNS name in the form every daemon resolves: base58btc peer id, {@code 12D3KooW…}. */
  String ipnsName() {
    return base58(peerIdMultihash());
  }

  /** True if {@code daemonId} (any peer-id form a daemon prints) names this key. */
  boolean matches(String daemonId) {
    try {
      return Arrays.equals(peerIdMultihash(), multihashOf(daemonId));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * js-ipfs's {@code key/import} form (libp2p keychain exporter): {@code "m" + base64(salt[16] ||
   * nonce[12] || AES-128-GCM(ciphertext || tag))} with the AES key from PBKDF2-HMAC-SHA-256
   * ({@code password}, salt, 32767 iterations, 16 bytes).
   */
  String jsIpfsExport(String password) {
    byte[] salt = new byte[16];
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    try {
      SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] aesKey = pbkdf2.generateSecret(
          new PBEKeySpec(password.toCharArray(), salt, 32767, 128)).getEncoded();
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, nonce));
      byte[] sealed = gcm.doFinal(privateKeyProtobuf());
      ByteArrayOutputStream out = new ByteArrayOutputStream(28 + sealed.length);
      out.writeBytes(salt);
      out.writeBytes(nonce);
      out.writeBytes(sealed);
      return "m" + Base64.getEncoder().withoutPadding().encodeToString(out.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256 or AES/GCM", e);
    }
  }

  /** A random password for one js-ipfs import (it only protects the key in transit). */
  static String randomPassword() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * The multihash inside a peer id as daemons print it: base58btc ({@code 12D3KooW…},
   * {@code Qm…}), or a CIDv1 of codec libp2p-key in multibase base36 ({@code k51…}, Kubo's
   * default), base32 ({@code b…}) or base58btc ({@code z…}). A leading {@code /ipns/} is ignored.
   *
   * @throws IllegalArgumentException if {@code id} is none of these
   */
  static byte[] multihashOf(String id) {
    String s = id.startsWith("/ipns/") ? id.substring(6) : id;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty peer id");
    }
    if (s.startsWith("1") || s.startsWith("Qm")) {
      return base58Decode(s);
    }
    byte[] cid;
    switch (s.charAt(0)) {
      case 'k':
        cid = base36Decode(s.substring(1));
        break;
      case 'b':
        cid = base32Decode(s.substring(1));
        break;
      case 'z':
        cid = base58Decode(s.substring(1));
        break;
      default:
        throw new IllegalArgumentException("not a peer id: " + id);
    }
    // CIDv1: varint version 1, varint codec (libp2p-key, or dag-pb in old names), multihash
    if (cid.length < 3 || cid[0] != 1 || (cid[1] != LIBP2P_KEY_CODEC && cid[1] != DAG_PB_CODEC)) {
      throw new IllegalArgumentException("not a libp2p-key CIDv1: " + id);
    }
    return Arrays.copyOfRange(cid, 2, cid.length);
  }

  static String base58(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    StringBuilder sb = new StringBuilder();
    BigInteger n = new BigInteger(1, data);
    BigInteger radix = BigInteger.valueOf(58);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(radix);
      sb.append(BASE58.charAt(qr[1].intValue()));
      n = qr[0];
    }
    sb.append("1".repeat(zeros));
    return sb.reverse().toString();
  }

  static byte[] base58Decode(String s) {
    return radixDecode(s, BASE58, '1');
  }

  private static byte[] base36Decode(String s) {
    return radixDecode(s.toLowerCase(Locale.ROOT), "0123456789abcdefghijklmnopqrstuvwxyz", '0');
  }

  private static byte[] radixDecode(String s, String alphabet, char zero) {
    BigInteger n = BigInteger.ZERO;
    BigInteger radix = BigInteger.valueOf(alphabet.length());
    int zeros = 0;
    while (zeros < s.length() && s.charAt(zeros) == zero) {
      zeros++;
    }
    for (int i = 0; i < s.length(); i++) {
      int d = alphabet.indexOf(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("invalid character '" + s.charAt(i) + "' in " + s);
      }
      n = n.multiply(radix).add(BigInteger.valueOf(d));
    }
    byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = mag.length > 1 && mag[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + mag.length - skip];
    System.arraycopy(mag, skip, out, zeros, mag.length - skip);
    return out;
  }

  private static byte[] base32Decode(String s) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      int d = alphabet.indexOf(c);
      if (d < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + c + "' in " + s);
      }
      buffer = (buffer << 5) | d;
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "IpnsKey(" + keyName + " -> " + ipnsName() + ")";
  }

}
