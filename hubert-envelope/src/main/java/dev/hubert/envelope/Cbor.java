package dev.hubert.envelope;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * An immutable deterministic-CBOR (dCBOR) data item, byte-compatible with the Rust {@code dcbor}
 * crate 0.25.
 *
 * <p>Values are always held in canonical form: integers in their shortest encoding, text in
 * Unicode NFC, map keys in the bytewise order of their encodings (an equal key replaces an
 * earlier one), floats after dCBOR numeric reduction. {@link #toByteArray()} therefore always
 * yields the canonical encoding, and {@link #decode(byte[])} accepts exactly what the Rust decoder
 * accepts, except for text with characters newer than the running JDK's Unicode version (see
 * {@link #decode(byte[])}).
 *
 * <p>{@link #equals}/{@link #hashCode} compare the canonical encodings; {@link #compareTo} orders
 * by the unsigned lexicographic order of the encodings (the dCBOR map-key order).
 */
public final class Cbor implements Comparable<Cbor> {
  /**
   * How deep {@link #decode} lets items nest (arrays, maps and tags each add a level) before it
   * fails with {@link DecodeException.Kind#TOO_DEEP}. Values built in memory may nest deeper, but
   * then cannot be decoded again.
   */
  public static final int MAX_DEPTH = 256;

  /** The kind of a data item; integers are split as in CBOR major types 0 and 1. */
  public enum Kind {
    /** Major type 0: an integer 0 .. 2^64-1. */
    UNSIGNED,
    /** Major type 1: an integer -2^64 .. -1. */
    NEGATIVE,
    /** Major type 2: a byte string. */
    BYTES,
    /** Major type 3: an NFC text string. */
    TEXT,
    /** Major type 4: an array. */
    ARRAY,
    /** Major type 5: a map. */
    MAP,
    /** Major type 6: a tagged item. */
    TAGGED,
    /** {@code false}, {@code true} or {@code null}. */
    SIMPLE,
    /** A non-integral (or out of integer range) floating-point number. */
    FLOAT
  }

  private static final HexFormat HEX = HexFormat.of();
  private static final int FALSE = 20;
  private static final int TRUE = 21;
  private static final int NULL = 22;
  private static final Cbor CBOR_FALSE = new Cbor(Kind.SIMPLE, FALSE, 0, null, null, null, null, null);
  private static final Cbor CBOR_TRUE = new Cbor(Kind.SIMPLE, TRUE, 0, null, null, null, null, null);
  private static final Cbor CBOR_NULL = new Cbor(Kind.SIMPLE, NULL, 0, null, null, null, null, null);

  private final Kind kind;
  /** UNSIGNED value, NEGATIVE argument n (value -1-n), TAGGED tag, SIMPLE 20/21/22; unsigned. */
  private final long number;
  private final double floating;
  private final byte[] bytes;
  private final String text;
  private final List<Cbor> items;
  private final SortedMap<Cbor, Cbor> entries;
  private final Cbor content;
  private volatile byte[] encoded;

  private Cbor(Kind kind, long number, double floating, byte[] bytes, String text,
      List<Cbor> items, SortedMap<Cbor, Cbor> entries, Cbor content) {
    this.kind = kind;
    this.number = number;
    this.floating = floating;
    this.bytes = bytes;
    this.text = text;
    this.items = items;
    this.entries = entries;
    this.content = content;
  }

  // ---------------------------------------------------------------- factories

  /** Returns the unsigned integer whose 64 bits are {@code u64} (so -1L means 2^64-1). */
  public static Cbor unsigned(long u64) {
    return new Cbor(Kind.UNSIGNED, u64, 0, null, null, null, null, null);
  }

  /** Returns the integer {@code value}: major type 0 if non-negative, else major type 1. */
  public static Cbor integer(long value) {
    return value >= 0 ? unsigned(value) : negative(-1 - value);
  }

  /** Returns the negative integer {@code -1-n}, where {@code n} is read as unsigned 64-bit. */
  public static Cbor negative(long n) {
    return new Cbor(Kind.NEGATIVE, n, 0, null, null, null, null, null);
  }

  /** Returns a byte string holding a copy of {@code data}. */
  public static Cbor bytes(byte[] data) {
    return new Cbor(Kind.BYTES, 0, 0, data.clone(), null, null, null, null);
  }

  /**
   * Returns a text string holding {@code s} in Unicode Normalization Form C.
   *
   * @throws IllegalArgumentException if {@code s} has an unpaired surrogate (it has no UTF-8 form)
   */
  public static Cbor text(String s) {
    Objects.requireNonNull(s, "s");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i + " of text");
      }
    }
    return textUnchecked(Normalizer.normalize(s, Normalizer.Form.NFC));
  }

  static Cbor textUnchecked(String nfc) {
    return new Cbor(Kind.TEXT, 0, 0, null, nfc, null, null, null);
  }

  /** Returns an array of {@code items} (copied). */
  public static Cbor array(List<Cbor> items) {
    List<Cbor> copy = List.copyOf(items);
    return new Cbor(Kind.ARRAY, 0, 0, null, null, copy, null, null);
  }

  /** Returns an array of {@code items}. */
  public static Cbor array(Cbor... items) {
    return array(Arrays.asList(items));
  }

  /** Returns a map of {@code map}'s entries in canonical key order (a later equal key wins). */
  public static Cbor map(Map<Cbor, Cbor> map) {
    TreeMap<Cbor, Cbor> sorted = new TreeMap<>();
    for (Map.Entry<Cbor, Cbor> e : map.entrySet()) {
      sorted.put(Objects.requireNonNull(e.getKey(), "key"),
          Objects.requireNonNull(e.getValue(), "value"));
    }
    return sortedMap(sorted);
  }

  static Cbor sortedMap(TreeMap<Cbor, Cbor> sorted) {
    return new Cbor(Kind.MAP, 0, 0, null, null, null, Collections.unmodifiableSortedMap(sorted),
        null);
  }

  /** Returns {@code content} tagged with {@code tag} (read as unsigned 64-bit). */
  public static Cbor tagged(long tag, Cbor content) {
    return new Cbor(Kind.TAGGED, tag, 0, null, null, null, null,
        Objects.requireNonNull(content, "content"));
  }

  /** Returns {@code true} or {@code false}. */
  public static Cbor bool(boolean value) {
    return value ? CBOR_TRUE : CBOR_FALSE;
  }

  /** Returns {@code null}. */
  public static Cbor nul() {
    return CBOR_NULL;
  }

  /**
   * Returns {@code value} after dCBOR numeric reduction: an integral value in [-2^64, 2^64-1]
   * (including -0.0) becomes an {@link Kind#UNSIGNED} or {@link Kind#NEGATIVE} integer, anything
   * else a {@link Kind#FLOAT} (every NaN is the same value).
   */
  public static Cbor floating(double value) {
    return Floats.fromDouble(value);
  }

  static Cbor rawFloat(double value) {
    return new Cbor(Kind.FLOAT, 0, Double.isNaN(value) ? Double.NaN : value, null, null, null,
        null, null);
  }

  // ---------------------------------------------------------------- accessors

  /** Returns the kind of this item. */
  public Kind kind() {
    return kind;
  }

  private void require(Kind k) {
    if (kind != k) {
      throw new IllegalStateException("expected CBOR " + k + " but this is " + kind);
    }
  }

  /** Returns the unsigned value as 64 bits (read with {@link Long#toUnsignedString}). */
  public long unsignedValue() {
    require(Kind.UNSIGNED);
    return number;
  }

  /** Returns the argument {@code n} of a negative integer, whose value is {@code -1-n} (unsigned). */
  public long negativeValue() {
    require(Kind.NEGATIVE);
    return number;
  }

  /**
   * Returns an {@link Kind#UNSIGNED} or {@link Kind#NEGATIVE} integer as a {@code long}.
   *
   * @throws IllegalStateException if this is not an integer or does not fit in a {@code long}
   */
  public long longValue() {
    if ((kind == Kind.UNSIGNED || kind == Kind.NEGATIVE) && number >= 0) {
      return kind == Kind.UNSIGNED ? number : -1 - number;
    }
    throw new IllegalStateException("not an integer in the range of long: " + diagnostic());
  }

  /** Returns the text of a text string. */
  public String text() {
    require(Kind.TEXT);
    return text;
  }

  /** Returns a copy of the bytes of a byte string. */
  public byte[] byteString() {
    require(Kind.BYTES);
    return bytes.clone();
  }

  /** Returns the items of an array (unmodifiable). */
  public List<Cbor> items() {
    require(Kind.ARRAY);
    return items;
  }

  /** Returns the entries of a map in canonical key order (unmodifiable). */
  public SortedMap<Cbor, Cbor> entries() {
    require(Kind.MAP);
    return entries;
  }

  /** Returns the tag number of a tagged item (unsigned 64-bit). */
  public long tag() {
    require(Kind.TAGGED);
    return number;
  }

  /** Returns the content of a tagged item. */
  public Cbor tagContent() {
    require(Kind.TAGGED);
    return content;
  }

  /** Returns the value of {@code true} or {@code false}. */
  public boolean boolValue() {
    if (kind == Kind.SIMPLE && number != NULL) {
      return number == TRUE;
    }
    throw new IllegalStateException("expected a CBOR boolean but this is " + diagnostic());
  }

  /** Returns whether this is {@code null}. */
  public boolean isNull() {
    return kind == Kind.SIMPLE && number == NULL;
  }

  /** Returns the value of a {@link Kind#FLOAT}. */
  public double floatValue() {
    require(Kind.FLOAT);
    return floating;
  }

  /** Returns whether this is tagged with {@code tag}. */
  boolean isTagged(long tag) {
    return kind == Kind.TAGGED && number == tag;
  }

  byte[] rawBytes() {
    return bytes;
  }

  /**
   * Returns the content of this item if it is tagged {@code tag}, for reading {@code what}.
   *
   * @throws DecodeException of kind WRONG_TYPE (not tagged) or WRONG_TAG (another tag)
   */
  Cbor expectTag(long tag, String what) {
    if (kind != Kind.TAGGED) {
      throw new DecodeException(DecodeException.Kind.WRONG_TYPE,
          "expected " + what + " tagged " + Long.toUnsignedString(tag) + ", got a " + kind);
    }
    if (number != tag) {
      throw new DecodeException(DecodeException.Kind.WRONG_TAG, "expected CBOR tag "
          + Long.toUnsignedString(tag) + " (" + what + "), but got " + Long.toUnsignedString(number));
    }
    return content;
  }

  /**
   * Returns the bytes (not copied) of this byte string of exactly {@code size} bytes.
   *
   * @throws DecodeException of kind WRONG_TYPE (not a byte string) or INVALID_VALUE (size)
   */
  byte[] expectBytes(int size, String what) {
    if (kind != Kind.BYTES) {
      throw new DecodeException(DecodeException.Kind.WRONG_TYPE,
          "expected a byte string for " + what + ", got a " + kind);
    }
    if (bytes.length != size) {
      throw new DecodeException(DecodeException.Kind.INVALID_VALUE,
          what + " is exactly " + size + " bytes, got " + bytes.length);
    }
    return bytes;
  }

  // ---------------------------------------------------------------- encoding

  /** Returns the canonical dCBOR encoding (a fresh array). */
  public byte[] toByteArray() {
    return encoded().clone();
  }

  /** The cached encoding; never modify it. */
  byte[] encoded() {
    byte[] e = encoded;
    if (e == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writeTo(out);
      e = out.toByteArray();
      encoded = e;
    }
    return e;
  }

  private void writeTo(ByteArrayOutputStream out) {
    byte[] cached = encoded;
    if (cached != null) {
      out.writeBytes(cached);
      return;
    }
    switch (kind) {
      case UNSIGNED:
        writeHead(out, 0, -1, number);
        break;
      case NEGATIVE:
        writeHead(out, 1, -1, number);
        break;
      case BYTES:
        writeHead(out, 2, -1, bytes.length);
        out.writeBytes(bytes);
        break;
      case TEXT: {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeHead(out, 3, -1, utf8.length);
        out.writeBytes(utf8);
        break;
      }
      case ARRAY:
        writeHead(out, 4, -1, items.size());
        for (Cbor item : items) {
          item.writeTo(out);
        }
        break;
      case MAP:
        writeHead(out, 5, -1, entries.size());
        for (Map.Entry<Cbor, Cbor> e : entries.entrySet()) {
          out.writeBytes(e.getKey().encoded());
          e.getValue().writeTo(out);
        }
        break;
      case TAGGED:
        writeHead(out, 6, -1, number);
        content.writeTo(out);
        break;
      case SIMPLE:
        out.write(0xe0 | (int) number);
        break;
      case FLOAT:
        Floats.encode(floating, out);
        break;
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * Writes a head of major type {@code major}; {@code ai} forces an additional-information width
   * (25, 26, 27 for floats), -1 picks the shortest.
   */
  static void writeHead(ByteArrayOutputStream out, int major, int ai, long value) {
    int mt = major << 5;
    if (ai < 0) {
      if (Long.compareUnsigned(value, 24) < 0) {
        out.write(mt | (int) value);
        return;
      }
      ai = Long.compareUnsigned(value, 0xffL) <= 0 ? 24
          : Long.compareUnsigned(value, 0xffffL) <= 0 ? 25
          : Long.compareUnsigned(value, 0xffffffffL) <= 0 ? 26 : 27;
    }
    out.write(mt | ai);
    int n = 1 << (ai - 24);
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Decodes exactly one dCBOR item from {@code data} with the strict validation of the Rust
   * {@code dcbor::decode_cbor}: shortest heads, no indefinite lengths, only false/true/null and
   * canonical floats as simple values, valid UTF-8 in NFC, map keys unique and in canonical order,
   * no trailing bytes; plus a nesting limit of {@link #MAX_DEPTH}.
   *
   * <p>NFC is checked with the running JDK's Unicode tables ({@link java.text.Normalizer}: Unicode
   * 13 on JDK 17, 15 on JDK 21), the Rust crate's with Unicode 16's. Text with characters newer
   * than the JDK's Unicode version may be judged differently: on JDK 17 this accepts {@code
   * 6678cc81e1b7ba} ("x" U+0301 U+1DFA, U+1DFA being from Unicode 14), which Rust rejects as not
   * NFC. Likewise {@link #text} normalizes with the JDK's tables.
   *
   * @throws DecodeException if {@code data} is not a single well-formed dCBOR item; nothing else
   *     is thrown for any input, and no allocation exceeds the input's size
   */
  public static Cbor decode(byte[] data) {
    return CborDecoder.decode(Objects.requireNonNull(data, "data"));
  }

  // ---------------------------------------------------------------- text

  /**
   * Returns the single-line diagnostic notation as the Rust crate's {@code Display} prints it,
   * e.g. {@code [1, "Hello", h'00ff', 1(2), 1.5, true]}.
   */
  public String diagnostic() {
    return diagnostic(c -> null);
  }

  /** Diagnostic notation where {@code summarizer} may replace a tagged item (null: keep). */
  String diagnostic(Function<Cbor, String> summarizer) {
    StringBuilder sb = new StringBuilder();
    appendDiagnostic(sb, summarizer);
    return sb.toString();
  }

  private void appendDiagnostic(StringBuilder sb, Function<Cbor, String> summarizer) {
    switch (kind) {
      case UNSIGNED:
        sb.append(Long.toUnsignedString(number));
        break;
      case NEGATIVE:
        sb.append(number >= 0 ? Long.toString(-1 - number)
            : new BigInteger(Long.toUnsignedString(number)).add(BigInteger.ONE).negate());
        break;
      case BYTES:
        sb.append("h'").append(HEX.formatHex(bytes)).append('\'');
        break;
      case TEXT:
        sb.append('"').append(text.replace("\"", "\\\"")).append('"');
        break;
      case ARRAY:
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          items.get(i).appendDiagnostic(sb, summarizer);
        }
        sb.append(']');
        break;
      case MAP: {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<Cbor, Cbor> e : entries.entrySet()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          e.getKey().appendDiagnostic(sb, summarizer);
          sb.append(": ");
          e.getValue().appendDiagnostic(sb, summarizer);
        }
        sb.append('}');
        break;
      }
      case TAGGED: {
        String summary = summarizer.apply(this);
        if (summary != null) {
          sb.append(summary);
        } else {
          sb.append(Long.toUnsignedString(number)).append('(');
          content.appendDiagnostic(sb, summarizer);
          sb.append(')');
        }
        break;
      }
      case SIMPLE:
        sb.append(number == FALSE ? "false" : number == TRUE ? "true" : "null");
        break;
      case FLOAT:
        sb.append(Floats.format(floating));
        break;
      default:
        throw new AssertionError(kind);
    }
  }

  // ---------------------------------------------------------------- identity

  /** Equal when the canonical encodings are equal. */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Cbor && Arrays.equals(encoded(), ((Cbor) o).encoded()));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded());
  }

  /** Orders by the unsigned lexicographic order of the canonical encodings. */
  @Override
  public int compareTo(Cbor o) {
    return Arrays.compareUnsigned(encoded(), o.encoded());
  }

  /** Returns {@link #diagnostic()}. */
  @Override
  public String toString() {
    return diagnostic();
  }

  /** Builds an array item from already-checked items (no copy). */
  static Cbor arrayUnchecked(ArrayList<Cbor> items) {
    return new Cbor(Kind.ARRAY, 0, 0, null, null, Collections.unmodifiableList(items), null, null);
  }

  /** Builds a byte string without copying. */
  static Cbor bytesUnchecked(byte[] data) {
    return new Cbor(Kind.BYTES, 0, 0, data, null, null, null, null);
  }
}
