package dev.hubert.envelope;

import java.util.Locale;
import java.util.Objects;

/**
 * A single-part Uniform Resource (BCR-2020-005): {@code ur:<type>/<minimal bytewords>}, carrying
 * untagged dCBOR followed by its CRC-32, byte-compatible with the Rust {@code bc-ur} crate.
 *
 * <p>Immutable. Multi-part (fountain-coded) URs are not supported.
 */
public final class Ur {
  private final String type;
  private final byte[] cborData;
  private final Cbor cbor;

  private Ur(String type, byte[] cborData, Cbor cbor) {
    this.type = type;
    this.cborData = cborData;
    this.cbor = cbor;
  }

  /**
   * Returns {@code ur:<type>/<bytewords>} for {@code untaggedCbor} (the caller supplies dCBOR; by
   * BCR-2020-005 the top-level item is not tagged, the type names the tag). Output is lower case.
   *
   * @throws IllegalArgumentException if {@code type} is empty or has characters other than
   *     {@code a-z}, {@code 0-9} and {@code -}
   */
  public static String encode(String type, byte[] untaggedCbor) {
    Objects.requireNonNull(untaggedCbor, "untaggedCbor");
    if (!isValidType(Objects.requireNonNull(type, "type"))) {
      throw new IllegalArgumentException(
          "a UR type is one or more of a-z, 0-9 and '-', got \"" + type + "\"");
    }
    return "ur:" + type + "/" + Bytewords.minimal(untaggedCbor);
  }

  /**
   * Returns the minimal bytewords of {@code data} followed by its big-endian CRC-32, e.g.
   * {@code aeadaolazmjendeoti} for {@code 00 01 02 80 ff}.
   */
  public static String bytewordsMinimal(byte[] data) {
    return Bytewords.minimal(Objects.requireNonNull(data, "data"));
  }

  /**
   * Parses a single-part UR of any type. The string is lower-cased first (so the upper-case QR
   * form is accepted; no whitespace is trimmed), then must have the {@code ur:} scheme, a non-empty
   * type of {@code a-z 0-9 -}, exactly one {@code /}, valid even-length minimal bytewords whose
   * CRC-32 matches, and a payload that is one strict dCBOR item.
   *
   * @throws DecodeException of kind INVALID_UR for a malformed UR, or a CBOR kind (e.g. UNDERRUN)
   *     when the payload is not valid dCBOR
   */
  public static Ur parse(String ur) {
    String s = Objects.requireNonNull(ur, "ur").toLowerCase(Locale.ROOT);
    if (!s.startsWith("ur:")) {
      throw invalid("invalid UR scheme: a UR starts with \"ur:\"");
    }
    int slash = s.indexOf('/', 3);
    if (slash < 0) {
      throw invalid("no UR type specified: expected ur:<type>/<data>");
    }
    String type = s.substring(3, slash);
    if (!isValidType(type)) {
      throw invalid("invalid UR type \"" + type + "\": use one or more of a-z, 0-9 and '-'");
    }
    String body = s.substring(slash + 1);
    if (body.indexOf('/') >= 0) {
      throw invalid("UR is not a single-part UR (multi-part URs are not supported)");
    }
    byte[] data = Bytewords.decodeMinimal(body);
    return new Ur(type, data, Cbor.decode(data));
  }

  /** Parses {@code ur} and checks that its type is {@code expectedType}. */
  static Ur parse(String ur, String expectedType) {
    Ur parsed = parse(ur);
    if (!parsed.type.equals(expectedType)) {
      throw invalid("expected UR type " + expectedType + ", but found " + parsed.type);
    }
    return parsed;
  }

  private static boolean isValidType(String type) {
    if (type.isEmpty()) {
      return false;
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static DecodeException invalid(String message) {
    return new DecodeException(DecodeException.Kind.INVALID_UR, message);
  }

  /** Returns the UR type, e.g. {@code envelope}. */
  public String type() {
    return type;
  }

  /** Returns a copy of the payload bytes (untagged dCBOR, without the CRC). */
  public byte[] cborData() {
    return cborData.clone();
  }

  /** Returns the decoded payload. */
  public Cbor cbor() {
    return cbor;
  }

  /** Returns the canonical (lower-case) UR string. */
  @Override
  public String toString() {
    return encode(type, cborData);
  }
}
