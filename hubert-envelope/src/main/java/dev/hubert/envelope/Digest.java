package dev.hubert.envelope;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** An immutable SHA-256 digest (32 bytes), as used for Gordian Envelope digest trees. */
public final class Digest implements Comparable<Digest> {
  /** Length of a digest in bytes. */
  public static final int SIZE = 32;
  /** The CBOR tag of a digest ({@code digest}). */
  public static final long TAG = 40001;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] data;

  private Digest(byte[] data) {
    this.data = data;
  }

  /** Returns SHA-256 of {@code image}. */
  public static Digest of(byte[] image) {
    MessageDigest sha = sha256();
    sha.update(Objects.requireNonNull(image, "image"));
    return new Digest(sha.digest());
  }

  /** SHA-256 over the concatenation of the digests' bytes (Rust {@code Digest::from_digests}). */
  static Digest ofDigests(Iterable<Digest> digests) {
    MessageDigest sha = sha256();
    for (Digest d : digests) {
      sha.update(d.data);
    }
    return new Digest(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Returns the digest with the given 32 bytes (copied).
   *
   * @throws IllegalArgumentException if {@code data} is not 32 bytes long
   */
  public static Digest fromBytes(byte[] data) {
    if (data.length != SIZE) {
      throw new IllegalArgumentException("a digest is " + SIZE + " bytes, got " + data.length);
    }
    return new Digest(data.clone());
  }

  /** Returns {@code 40001(h'<32 bytes>')}. */
  Cbor taggedCbor() {
    return Cbor.tagged(TAG, Cbor.bytesUnchecked(data));
  }

  /** Reads {@code 40001(h'<32 bytes>')}. */
  static Digest fromTaggedCbor(Cbor cbor) {
    return fromUntaggedCbor(cbor.expectTag(TAG, "a digest"));
  }

  static Digest fromUntaggedCbor(Cbor cbor) {
    return new Digest(cbor.expectBytes(SIZE, "a digest").clone());
  }

  /** Returns a copy of the 32 bytes. */
  public byte[] bytes() {
    return data.clone();
  }

  byte[] raw() {
    return data;
  }

  /** Returns the 64 lower-case hexadecimal digits. */
  public String hex() {
    return HEX.formatHex(data);
  }

  /** Returns the first four bytes in hex (8 digits), as envelope notation shows a digest. */
  public String shortHex() {
    return HEX.formatHex(data, 0, 4);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest && Arrays.equals(data, ((Digest) o).data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  /** Orders digests by their unsigned bytes (the envelope assertion order). */
  @Override
  public int compareTo(Digest o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  /** Returns {@code Digest(<64 hex digits>)}. */
  @Override
  public String toString() {
    return "Digest(" + hex() + ")";
  }
}
