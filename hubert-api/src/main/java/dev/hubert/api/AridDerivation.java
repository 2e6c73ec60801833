package dev.hubert.api;

import dev.hubert.envelope.Arid;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * Derives storage keys from an ARID and obfuscates stored bytes with it, exactly as hubert 0.5.0
 * does, so that Java and Rust parties find and read each other's values.
 *
 * <p>Every derivation is HKDF-SHA-256 with the <em>constant as input key material</em>, the 32 ARID
 * bytes as salt and an empty info (the reference calls the constant a "salt"; its code passes it as
 * key material, and the code is what is on the wire). Storage networks only ever see these derived
 * values and obfuscated bytes, never the ARID.
 *
 * <p>One derivation is this port's own, not the reference's: {@link #ipnsKeySeed} (constant {@value
 * #IPNS_KEY_CONSTANT}) makes the IPNS key pair a function of the ARID, so that any party holding
 * the ARID can compute the IPNS name and resolve it on its own IPFS node. hubert 0.5.0 derives only
 * the key <em>name</em> ({@link #ipfsKeyName}) and lets the daemon pick a random key pair, so only
 * the writer's node can find its values.
 */
public final class AridDerivation {
  /** Key material for the IPFS key name: {@code "hubert-ipfs-ipns-v1"}. */
  public static final String IPFS_KEY_NAME_CONSTANT = "hubert-ipfs-ipns-v1";
  /** Key material for the mainline signing key: {@code "hubert-mainline-dht-v1"}. */
  public static final String MAINLINE_CONSTANT = "hubert-mainline-dht-v1";
  /**
   * Key material for the IPNS ed25519 seed: {@code "hubert-ipfs-ipns-key-v1"}. Not in hubert
   * 0.5.0 (see {@link #ipnsKeySeed}).
   */
  public static final String IPNS_KEY_CONSTANT = "hubert-ipfs-ipns-key-v1";
  /** Key material for the obfuscation key: {@code "hubert-obfuscation-v1"}. */
  public static final String OBFUSCATION_CONSTANT = "hubert-obfuscation-v1";

  private AridDerivation() {}

  /**
   * HKDF-SHA-256 with {@code constant} (UTF-8) as input key material, the ARID bytes as salt, an
   * empty info, {@code length} bytes of output.
   *
   * @throws IllegalArgumentException if {@code length} is not in 1..8160
   */
  public static byte[] deriveKey(String constant, Arid arid, int length) {
    Objects.requireNonNull(constant, "constant");
    Objects.requireNonNull(arid, "arid");
    if (length < 1 || length > 255 * 32) {
      throw new IllegalArgumentException("HKDF-SHA-256 output length must be 1..8160, got " + length);
    }
    // RFC 5869 on the JDK's HMAC (several times faster than a fresh BouncyCastle HKDF per call):
    // PRK = HMAC(salt, IKM); T(i) = HMAC(PRK, T(i-1) | info | i), info empty
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(arid.bytes(), HMAC_SHA256));
      byte[] prk = mac.doFinal(constant.getBytes(StandardCharsets.UTF_8));
      mac.init(new SecretKeySpec(prk, HMAC_SHA256));
      byte[] out = new byte[length];
      byte[] block = new byte[0];
      for (int i = 1, done = 0; done < length; i++, done += block.length) {
        mac.update(block);
        mac.update((byte) i);
        block = mac.doFinal();
        System.arraycopy(block, 0, out, done, Math.min(block.length, length - done));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 refused its key", e);
    }
  }

  private static final String HMAC_SHA256 = "HmacSHA256";
  /** One HMAC per thread, reused: a {@link Mac} is not thread-safe, and creating one is costly. */
  private static final ThreadLocal<Mac> HMAC =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Mac.getInstance(HMAC_SHA256);
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("the JDK has no " + HMAC_SHA256, e);
            }
          });

  /** The IPFS keystore key name: 64 lower-case hex digits of a 32-byte derivation. */
  public static String ipfsKeyName(Arid arid) {
    return HexFormat.of().formatHex(deriveKey(IPFS_KEY_NAME_CONSTANT, arid, 32));
  }

  /**
   * The 32-byte ed25519 seed (RFC 8032 private key) of the IPNS key pair:
   * {@code HKDF-SHA-256(IKM = "hubert-ipfs-ipns-key-v1", salt = ARID, info = empty, L = 32)}.
   *
   * <p>This port's extension of hubert 0.5.0 (whose IPNS keys are random): the IPFS store imports
   * this key into the daemon under the name {@link #ipfsKeyName}, and any party holding the ARID
   * computes the same public key, hence the same IPNS name, without asking the writer.
   */
  public static byte[] ipnsKeySeed(Arid arid) {
    return deriveKey(IPNS_KEY_CONSTANT, arid, 32);
  }

  /** The 32-byte ed25519 public key of {@link #ipnsKeySeed}. */
  public static byte[] ipnsPublicKey(Arid arid) {
    return new Ed25519PrivateKeyParameters(ipnsKeySeed(arid), 0).generatePublicKey().getEncoded();
  }

  /** The 20-byte mainline key that seeds the ed25519 signing key. */
  public static byte[] mainlineKey(Arid arid) {
    return deriveKey(MAINLINE_CONSTANT, arid, 20);
  }

  /**
   * The 32-byte ed25519 seed (RFC 8032 private key) of the mainline BEP-44 item: the 20-byte
   * mainline key, extended with {@code seed[i] = key[i % 20] * i (mod 256)} for {@code i} in 20..31.
   */
  public static byte[] mainlineSigningSeed(Arid arid) {
    byte[] key = mainlineKey(arid);
    byte[] seed = new byte[32];
    System.arraycopy(key, 0, seed, 0, 20);
    for (int i = 20; i < 32; i++) {
      seed[i] = (byte) ((key[i % 20] & 0xff) * i);
    }
    return seed;
  }

  /** The 32-byte ed25519 public key of the mainline BEP-44 item. */
  public static byte[] mainlinePublicKey(Arid arid) {
    return new Ed25519PrivateKeyParameters(mainlineSigningSeed(arid), 0).generatePublicKey().getEncoded();
  }

  /**
   * XORs {@code data} with the ChaCha20 (RFC 8439, block counter 0) keystream whose key is the
   * 32-byte obfuscation derivation and whose nonce is that key's last 12 bytes in reverse order.
   * Symmetric: applying it twice returns the input. Empty input gives empty output.
   *
   * @return a new array of the same length
   */
  public static byte[] obfuscate(Arid arid, byte[] data) {
    Objects.requireNonNull(arid, "arid");
    Objects.requireNonNull(data, "data");
    if (data.length == 0) {
      return new byte[0];
    }
    byte[] key = deriveKey(OBFUSCATION_CONSTANT, arid, 32);
    byte[] nonce = new byte[12];
    for (int i = 0; i < 12; i++) {
      nonce[i] = key[31 - i];
    }
    ChaCha7539Engine chacha = new ChaCha7539Engine();
    chacha.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
    byte[] out = new byte[data.length];
    chacha.processBytes(data, 0, data.length, out, 0);
    return out;
  }
}
