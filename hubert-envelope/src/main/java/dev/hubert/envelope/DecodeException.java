package dev.hubert.envelope;

import java.util.Objects;

/**
 * Thrown when bytes, text or a CBOR item cannot be decoded as what was asked for.
 *
 * <p>It is the only exception the decoders of this package ({@link Cbor#decode}, {@link
 * Envelope#fromCborData}, {@link Envelope#fromUr}, {@link Arid#fromUr}, {@link Ur#parse}, ...) throw
 * on bad input, however malformed or hostile the input is. {@link #kind()} says what rule was
 * broken; the message says what was wrong and where (byte offset for CBOR).
 */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What rule the input broke. The first group mirrors the Rust {@code dcbor::Error} variants. */
  public enum Kind {
    /** The input ended before the item was complete. */
    UNDERRUN,
    /** A CBOR header used additional information 28, 29, 30 or 31 (includes indefinite lengths). */
    UNSUPPORTED_HEADER_VALUE,
    /** A number, length or tag was not in its shortest form, or a float was reducible. */
    NON_CANONICAL_NUMERIC,
    /** A major-type-7 value other than false, true, null and floats. */
    INVALID_SIMPLE_VALUE,
    /** A text string that is not valid UTF-8. */
    INVALID_STRING,
    /** A text string that is not in Unicode Normalization Form C. */
    NON_CANONICAL_STRING,
    /** A map key equal to an earlier key of the same map. */
    DUPLICATE_MAP_KEY,
    /** A map key whose encoding does not sort after the previous key's. */
    MISORDERED_MAP_KEY,
    /** Bytes were left after the single top-level item. */
    UNUSED_DATA,
    /** Items nested deeper than {@link Cbor#MAX_DEPTH}. */
    TOO_DEEP,
    /** A tagged item had a different tag than expected. */
    WRONG_TAG,
    /** An item was of a different CBOR kind than expected. */
    WRONG_TYPE,
    /** A well-formed item whose content is wrong for the expected type (e.g. an ARID of 31 bytes). */
    INVALID_VALUE,
    /** Well-formed dCBOR that is not a valid Gordian Envelope. */
    INVALID_ENVELOPE,
    /** A string that is not a valid single-part UR of the expected type. */
    INVALID_UR
  }

  private final Kind kind;

  DecodeException(Kind kind, String message) {
    super(Objects.requireNonNull(kind) + ": " + message);
    this.kind = kind;
  }

  DecodeException(Kind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(kind) + ": " + message, cause);
    this.kind = kind;
  }

  /** Returns the rule the input broke. */
  public Kind kind() {
    return kind;
  }
}
