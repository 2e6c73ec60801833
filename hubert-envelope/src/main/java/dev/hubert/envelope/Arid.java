package dev.hubert.envelope;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An Apparently Random Identifier: 32 bytes, the key under which Hubert stores an envelope.
 *
 * <p>Immutable. {@link #equals} compares the bytes. Whoever holds an ARID can read what is stored
 * under it; share it only over a secure channel.
 */
public final class Arid implements Comparable<Arid> {
  /** Length of an ARID in bytes. */
  public static final int SIZE = 32;
  /** The CBOR tag of an ARID ({@code arid}). */
  public static final long TAG = 40012;
  /** The UR type of an ARID. */
  static final String UR_TYPE = "arid";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] data;

  private Arid(byte[] data) {
    this.data = data;
  }

  /** Returns a new ARID of 32 bytes from a cryptographically secure random source. */
  public static Arid random() {
    byte[] b = new byte[SIZE];
    RANDOM.nextBytes(b);
    return new Arid(b);
  }

  /**
   * Returns the ARID with the given bytes (copied).
   *
   * @throws IllegalArgumentException if {@code data} is not exactly 32 bytes long
   */
  public static Arid fromBytes(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length != SIZE) {
      throw new IllegalArgumentException(
          "an ARID is exactly " + SIZE + " bytes, got " + data.length);
    }
    return new Arid(data.clone());
  }

  /**
   * Parses 64 hexadecimal digits (either case).
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 hexadecimal digits
   */
  public static Arid fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != SIZE * 2) {
      throw new IllegalArgumentException(
          "an ARID in hex is " + (SIZE * 2) + " hexadecimal digits, got " + hex.length()
              + " characters");
    }
    try {
      return new Arid(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hexadecimal ARID: " + e.getMessage(), e);
    }
  }

  /** Returns a copy of the 32 bytes. */
  public byte[] bytes() {
    return data.clone();
  }

  /** Returns the 64 lower-case hexadecimal digits. */
  public String hex() {
    return HEX.formatHex(data);
  }

  /** Returns the first four bytes in hex, as envelope notation shows an ARID. */
  public String shortHex() {
    return HEX.formatHex(data, 0, 4);
  }

  /** Returns {@code 40012(h'<32 bytes>')}, the form an envelope leaf holds. */
  public Cbor taggedCbor() {
    return Cbor.tagged(TAG, untaggedCbor());
  }

  /** Returns the 32-byte byte string {@code h'<32 bytes>'}. */
  public Cbor untaggedCbor() {
    return Cbor.bytesUnchecked(data);
  }

  /**
   * Reads {@code 40012(h'<32 bytes>')}.
   *
   * @throws DecodeException of kind WRONG_TYPE (not tagged, or not a byte string), WRONG_TAG
   *     (another tag) or INVALID_VALUE (not 32 bytes)
   */
  public static Arid fromTaggedCbor(Cbor cbor) {
    return fromUntaggedCbor(Objects.requireNonNull(cbor, "cbor").expectTag(TAG, "an ARID"));
  }

  /**
   * Reads the untagged form, a 32-byte byte string.
   *
   * @throws DecodeException of kind WRONG_TYPE or INVALID_VALUE
   */
  public static Arid fromUntaggedCbor(Cbor cbor) {
    return new Arid(cbor.expectBytes(SIZE, "an ARID").clone());
  }

  /** Returns {@code ur:arid/hdcx...} (84 characters), the form Hubert's CLI accepts. */
  public String urString() {
    return Ur.encode(UR_TYPE, untaggedCbor().encoded());
  }

  /**
   * Parses {@code ur:arid/...} (any letter case).
   *
   * @throws DecodeException of kind INVALID_UR (bad UR or another UR type), a CBOR kind (payload
   *     not valid dCBOR), WRONG_TYPE or INVALID_VALUE (payload not a 32-byte byte string)
   */
  public static Arid fromUr(String ur) {
    return fromUntaggedCbor(Ur.parse(ur, UR_TYPE).cbor());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Arid && Arrays.equals(data, ((Arid) o).data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  /** Orders ARIDs lexicographically by their unsigned bytes. */
  @Override
  public int compareTo(Arid o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  /** Returns {@code ARID(<64 hex digits>)}, as the Rust crate displays it. */
  @Override
  public String toString() {
    return "ARID(" + hex() + ")";
  }
}
