package dev.hubert.envelope;

import dev.hubert.envelope.DecodeException.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable Gordian Envelope, byte-compatible with the Rust {@code bc-envelope} crate (0.43
 * wire format; envelope tag 200, leaf tag 201).
 *
 * <p>Every envelope has a SHA-256 {@link #digest()} computed from its structure; eliding,
 * encrypting or compressing a part keeps every digest up the tree. Two notions of sameness:
 * <ul>
 *   <li>{@link #isIdenticalTo} (and {@link #equals}): same structure, so same wire bytes;
 *   <li>{@link #isEquivalentTo}: same digest, e.g. an envelope and its elided form.
 * </ul>
 *
 * <p>A node keeps its assertions sorted by digest and drops an added assertion whose digest is
 * already present. The decoders accept only strict dCBOR and throw nothing but {@link
 * DecodeException} on bad input.
 */
public final class Envelope {
  /** The CBOR tag of an envelope ({@code envelope}). */
  public static final long TAG = 200;
  /** The CBOR tag of a leaf ({@code leaf}). */
  public static final long LEAF_TAG = 201;
  static final long LEGACY_LEAF_TAG = 24;
  static final long ENCRYPTED_TAG = 40002;
  static final long COMPRESSED_TAG = 40003;
  static final String UR_TYPE = "envelope";

  /** The structural case of an envelope. */
  public enum Case {
    /** A subject with one or more assertions. */
    NODE,
    /** A dCBOR value. */
    LEAF,
    /** A whole envelope used as a subject. */
    WRAPPED,
    /** A predicate-object pair. */
    ASSERTION,
    /** Only the digest of what was removed. */
    ELIDED,
    /** A known value such as {@code 'id'}. */
    KNOWN_VALUE,
    /** Encrypted content (kept opaque here), with the digest of the plaintext. */
    ENCRYPTED,
    /** Compressed content (kept opaque here), with the digest of the uncompressed envelope. */
    COMPRESSED
  }

  private final Case type;
  private final Digest digest;
  /** LEAF: the value; ENCRYPTED/COMPRESSED: the whole tagged item. */
  private final Cbor cbor;
  /** NODE: subject; WRAPPED: inner envelope; ASSERTION: predicate. */
  private final Envelope first;
  /** ASSERTION: object. */
  private final Envelope second;
  /** NODE: assertions sorted by digest; otherwise empty. */
  private final List<Envelope> assertions;
  private final KnownValue knownValue;
  private volatile Cbor untagged;

  private Envelope(Case type, Digest digest, Cbor cbor, Envelope first, Envelope second,
      List<Envelope> assertions, KnownValue knownValue) {
    this.type = type;
    this.digest = digest;
    this.cbor = cbor;
    this.first = first;
    this.second = second;
    this.assertions = assertions;
    this.knownValue = knownValue;
  }

  // ---------------------------------------------------------------- factories

  /** Returns a leaf holding {@code value}; its digest is SHA-256 of the value's encoding. */
  public static Envelope leaf(Cbor value) {
    Objects.requireNonNull(value, "value");
    return new Envelope(Case.LEAF, Digest.of(value.encoded()), value, null, null, List.of(), null);
  }

  /**
   * Returns a leaf holding the text {@code s} (NFC-normalized).
   *
   * @throws IllegalArgumentException if {@code s} has an unpaired surrogate
   */
  public static Envelope of(String s) {
    return leaf(Cbor.text(s));
  }

  /** Returns a leaf holding the integer {@code n}. */
  public static Envelope of(long n) {
    return leaf(Cbor.integer(n));
  }

  /** Returns a leaf holding {@code true} or {@code false}. */
  public static Envelope of(boolean b) {
    return leaf(Cbor.bool(b));
  }

  /** Returns a leaf holding the byte string {@code data} (copied). */
  public static Envelope ofBytes(byte[] data) {
    return leaf(Cbor.bytes(data));
  }

  /** Returns a leaf holding the tagged ARID {@code 40012(h'...')}, as Rust's {@code Envelope::new(arid)}. */
  public static Envelope of(Arid arid) {
    return leaf(arid.taggedCbor());
  }

  /** Returns the known-value case for {@code value} (a bare unsigned integer on the wire). */
  public static Envelope of(KnownValue value) {
    Objects.requireNonNull(value, "value");
    return new Envelope(Case.KNOWN_VALUE, value.digest(), null, null, null, List.of(), value);
  }

  /** Returns a leaf holding {@code null}. */
  public static Envelope nul() {
    return leaf(Cbor.nul());
  }

  /**
   * Returns the unit envelope {@code ''} in its bc-envelope 0.43 form, the known-value case 0
   * ({@code d8c8 00}). Hubert 0.5.0 (bc-envelope 0.39) instead writes a leaf holding {@code
   * 40000(0)}, {@code Envelope.leaf(KnownValue.UNIT.taggedCbor())}; both have the same digest.
   */
  public static Envelope unit() {
    return of(KnownValue.UNIT);
  }

  /** Returns the assertion {@code predicate: object}; both are used as they are. */
  public static Envelope assertion(Envelope predicate, Envelope object) {
    Objects.requireNonNull(predicate, "predicate");
    Objects.requireNonNull(object, "object");
    return new Envelope(Case.ASSERTION, Digest.ofDigests(List.of(predicate.digest, object.digest)),
        null, predicate, object, List.of(), null);
  }

  private static Envelope node(Envelope subject, List<Envelope> unsorted) {
    List<Envelope> sorted = new ArrayList<>(unsorted);
    sorted.sort(Comparator.comparing(Envelope::digest));
    List<Digest> digests = new ArrayList<>(sorted.size() + 1);
    digests.add(subject.digest);
    for (Envelope a : sorted) {
      digests.add(a.digest);
    }
    return new Envelope(Case.NODE, Digest.ofDigests(digests), null, subject, null,
        List.copyOf(sorted), null);
  }

  private static Envelope wrapped(Envelope inner) {
    return new Envelope(Case.WRAPPED, Digest.ofDigests(List.of(inner.digest)), null, inner, null,
        List.of(), null);
  }

  private static Envelope elided(Digest digest) {
    return new Envelope(Case.ELIDED, digest, null, null, null, List.of(), null);
  }

  // ---------------------------------------------------------------- builders

  /**
   * Returns this envelope with the assertion {@code predicate: object} added (see {@link
   * #addAssertion(Envelope)}).
   */
  public Envelope addAssertion(Envelope predicate, Envelope object) {
    return addAssertion(assertion(predicate, object));
  }

  /** Returns this envelope with the assertion {@code 'predicate': object} added. */
  public Envelope addAssertion(KnownValue predicate, Envelope object) {
    return addAssertion(of(predicate), object);
  }

  /** Returns this envelope with the assertion {@code "predicate": object} added. */
  public Envelope addAssertion(String predicate, Envelope object) {
    return addAssertion(of(predicate), object);
  }

  /** Returns this envelope with the assertion {@code "predicate": "object"} added. */
  public Envelope addAssertion(String predicate, String object) {
    return addAssertion(of(predicate), of(object));
  }

  /**
   * Returns this envelope with {@code assertion} added. If this is a node, the assertion joins
   * its assertions (kept sorted by digest) unless one with the same digest is already there, in
   * which case this envelope is returned unchanged; otherwise the result is a node whose subject
   * is this envelope.
   *
   * @throws IllegalArgumentException if {@code assertion}'s subject is neither an assertion nor
   *     elided, encrypted or compressed
   */
  public Envelope addAssertion(Envelope assertion) {
    Objects.requireNonNull(assertion, "assertion");
    if (!assertion.isSubjectAssertion() && !assertion.isSubjectObscured()) {
      throw new IllegalArgumentException(
          "not an assertion (nor an elided, encrypted or compressed one): "
              + assertion.formatFlat());
    }
    if (type != Case.NODE) {
      return node(this, List.of(assertion));
    }
    for (Envelope a : assertions) {
      if (a.digest.equals(assertion.digest)) {
        return this;
      }
    }
    List<Envelope> all = new ArrayList<>(assertions);
    all.add(assertion);
    return node(first, all);
  }

  /** Returns this envelope wrapped, so that it can be the subject of further assertions. */
  public Envelope wrap() {
    return wrapped(this);
  }

  /**
   * Returns the envelope wrapped in this envelope's subject.
   *
   * @throws IllegalStateException if the subject is not a wrapped envelope
   */
  public Envelope unwrap() {
    Envelope s = subject();
    if (s.type != Case.WRAPPED) {
      throw new IllegalStateException("cannot unwrap: the subject is " + s.type + ", not WRAPPED");
    }
    return s.first;
  }

  /** Returns the elided form of this envelope: only its digest (this envelope if already elided). */
  public Envelope elide() {
    return type == Case.ELIDED ? this : elided(digest);
  }

  // ---------------------------------------------------------------- accessors

  /** Returns the structural case. */
  public Case envelopeCase() {
    return type;
  }

  /** Returns the subject: for a node its subject, for every other case this envelope. */
  public Envelope subject() {
    return type == Case.NODE ? first : this;
  }

  /** Returns the assertions of a node, sorted by digest; empty for every other case. */
  public List<Envelope> assertions() {
    return assertions;
  }

  /**
   * Returns the predicate of the subject assertion.
   *
   * @throws IllegalStateException if the subject is not an assertion
   */
  public Envelope predicate() {
    return subjectAssertion().first;
  }

  /**
   * Returns the object of the subject assertion.
   *
   * @throws IllegalStateException if the subject is not an assertion
   */
  public Envelope object() {
    return subjectAssertion().second;
  }

  private Envelope subjectAssertion() {
    Envelope s = subject();
    if (s.type != Case.ASSERTION) {
      throw new IllegalStateException("the subject is " + s.type + ", not an ASSERTION");
    }
    return s;
  }

  /** Returns the CBOR value of the subject if the subject is a leaf. */
  public Optional<Cbor> leaf() {
    Envelope s = subject();
    return s.type == Case.LEAF ? Optional.of(s.cbor) : Optional.empty();
  }

  /**
   * Returns the subject's known value: for the known-value case, and for a leaf holding {@code
   * 40000(n)} (the form bc-envelope 0.39 and hubert 0.5.0 use for {@code ''}).
   */
  public Optional<KnownValue> knownValue() {
    Envelope s = subject();
    if (s.type == Case.KNOWN_VALUE) {
      return Optional.of(s.knownValue);
    }
    if (s.type == Case.LEAF && s.cbor.isTagged(KnownValue.TAG)
        && s.cbor.tagContent().kind() == Cbor.Kind.UNSIGNED) {
      return Optional.of(KnownValue.of(s.cbor.tagContent().unsignedValue()));
    }
    return Optional.empty();
  }

  /** Returns the subject's text if the subject is a leaf holding a text string. */
  public Optional<String> text() {
    return leaf().filter(c -> c.kind() == Cbor.Kind.TEXT).map(Cbor::text);
  }

  boolean isSubjectAssertion() {
    return subject().type == Case.ASSERTION;
  }

  boolean isSubjectObscured() {
    Case c = subject().type;
    return c == Case.ELIDED || c == Case.ENCRYPTED || c == Case.COMPRESSED;
  }

  // ---------------------------------------------------------------- identity

  /** Returns the SHA-256 digest of this envelope's structure. */
  public Digest digest() {
    return digest;
  }

  /** Returns whether {@code other} has the same digest (e.g. it is this envelope, elided). */
  public boolean isEquivalentTo(Envelope other) {
    return digest.equals(other.digest);
  }

  /** Returns whether {@code other} has the same structure, so the same wire bytes. */
  public boolean isIdenticalTo(Envelope other) {
    return this == other
        || (digest.equals(other.digest)
            && Arrays.equals(untaggedCbor().encoded(), other.untaggedCbor().encoded()));
  }

  /** Equal when {@link #isIdenticalTo identical}, not merely equivalent. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope && isIdenticalTo((Envelope) o);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  // ---------------------------------------------------------------- wire form

  /** Returns {@code 200(untaggedCbor())}. */
  public Cbor taggedCbor() {
    return Cbor.tagged(TAG, untaggedCbor());
  }

  /** Returns the envelope content without the outer tag 200 (what a UR carries). */
  public Cbor untaggedCbor() {
    Cbor u = untagged;
    if (u == null) {
      u = buildUntagged();
      untagged = u;
    }
    return u;
  }

  private Cbor buildUntagged() {
    switch (type) {
      case NODE: {
        List<Cbor> items = new ArrayList<>(assertions.size() + 1);
        items.add(first.untaggedCbor());
        for (Envelope a : assertions) {
          items.add(a.untaggedCbor());
        }
        return Cbor.array(items);
      }
      case LEAF:
        return Cbor.tagged(LEAF_TAG, cbor);
      case WRAPPED:
        return first.taggedCbor();
      case ASSERTION: {
        TreeMap<Cbor, Cbor> map = new TreeMap<>();
        map.put(first.untaggedCbor(), second.untaggedCbor());
        return Cbor.sortedMap(map);
      }
      case ELIDED:
        return Cbor.bytesUnchecked(digest.raw());
      case KNOWN_VALUE:
        return knownValue.untaggedCbor();
      default: // ENCRYPTED, COMPRESSED
        return cbor;
    }
  }

  /** Returns the tagged encoding ({@code d8c8...}), the bytes Hubert stores. */
  public byte[] toCborData() {
    return taggedCbor().toByteArray();
  }

  /**
   * Decodes tagged envelope bytes ({@code 200(...)}) as the Rust {@code
   * Envelope::try_from_cbor_data}: strict dCBOR, then the envelope rules; legacy leaf tag 24 is
   * accepted, node assertions are re-sorted by digest (duplicates kept, as Rust does).
   *
   * @throws DecodeException if {@code data} is not a valid tagged envelope
   */
  public static Envelope fromCborData(byte[] data) {
    return fromTaggedCbor(Cbor.decode(data));
  }

  /**
   * Reads {@code 200(envelope-content)}.
   *
   * @throws DecodeException of kind WRONG_TYPE (not tagged), WRONG_TAG (another tag) or
   *     INVALID_ENVELOPE, or a kind {@link #fromUntaggedCbor} throws
   */
  public static Envelope fromTaggedCbor(Cbor cbor) {
    return fromTagged(Objects.requireNonNull(cbor, "cbor"), 0);
  }

  /**
   * Reads envelope content (without the outer tag 200).
   *
   * @throws DecodeException of kind INVALID_ENVELOPE if {@code cbor} is not envelope content;
   *     WRONG_TYPE, WRONG_TAG or INVALID_VALUE if a compressed envelope's digest is not {@code
   *     40001(h'<32 bytes>')}; TOO_DEEP if envelopes nest deeper than {@link Cbor#MAX_DEPTH}
   */
  public static Envelope fromUntaggedCbor(Cbor cbor) {
    return fromUntagged(Objects.requireNonNull(cbor, "cbor"), 0);
  }

  private static Envelope fromTagged(Cbor cbor, int depth) {
    return fromUntagged(cbor.expectTag(TAG, "an envelope"), depth + 1);
  }

  private static DecodeException invalid(String message) {
    return new DecodeException(Kind.INVALID_ENVELOPE, message);
  }

  private static Envelope fromUntagged(Cbor cbor, int depth) {
    if (depth > Cbor.MAX_DEPTH) {
      throw new DecodeException(Kind.TOO_DEEP,
          "envelopes nest deeper than " + Cbor.MAX_DEPTH + " levels");
    }
    switch (cbor.kind()) {
      case TAGGED: {
        long tag = cbor.tag();
        if (tag == LEAF_TAG || tag == LEGACY_LEAF_TAG) {
          return leaf(cbor.tagContent());
        } else if (tag == TAG) {
          return wrapped(fromTagged(cbor, depth));
        } else if (tag == ENCRYPTED_TAG) {
          return Opaque.encrypted(cbor.tagContent());
        } else if (tag == COMPRESSED_TAG) {
          return Opaque.compressed(cbor.tagContent());
        }
        throw invalid("unknown envelope tag: " + Long.toUnsignedString(tag));
      }
      case BYTES:
        if (cbor.rawBytes().length != Digest.SIZE) {
          throw invalid("an elided envelope is a " + Digest.SIZE + "-byte digest, got "
              + cbor.rawBytes().length + " bytes");
        }
        return elided(Digest.fromUntaggedCbor(cbor));
      case ARRAY: {
        List<Cbor> items = cbor.items();
        if (items.size() < 2) {
          throw invalid("node must have at least two elements, got " + items.size());
        }
        Envelope subject = fromUntagged(items.get(0), depth + 1);
        List<Envelope> list = new ArrayList<>(items.size() - 1);
        for (int i = 1; i < items.size(); i++) {
          Envelope a = fromUntagged(items.get(i), depth + 1);
          if (!a.isSubjectAssertion() && !a.isSubjectObscured()) {
            throw invalid("node element " + i + " is " + a.type
                + ", not an assertion or an elided, encrypted or compressed one");
          }
          list.add(a);
        }
        return node(subject, list);
      }
      case MAP: {
        if (cbor.entries().size() != 1) {
          throw invalid("assertion must be a map with exactly one element, got "
              + cbor.entries().size());
        }
        var entry = cbor.entries().entrySet().iterator().next();
        return assertion(fromUntagged(entry.getKey(), depth + 1),
            fromUntagged(entry.getValue(), depth + 1));
      }
      case UNSIGNED:
        return of(KnownValue.of(cbor.unsignedValue()));
      default:
        throw invalid("invalid envelope: a CBOR " + cbor.kind() + " is not envelope content");
    }
  }

  /** The encrypted/compressed cases, decoded only far enough to validate and find the digest. */
  static final class Opaque {
    private Opaque() {}

    static Envelope encrypted(Cbor content) {
      List<Cbor> items = array(content, "encrypted");
      if (items.size() < 3) {
        throw invalid("an encrypted envelope is an array of at least 3 elements, got "
            + items.size());
      }
      Cbor ciphertext = bytes(items.get(0), "ciphertext", -1);
      Cbor nonce = bytes(items.get(1), "nonce", 12);
      Cbor auth = bytes(items.get(2), "authentication tag", 16);
      Digest d = null;
      List<Cbor> kept = new ArrayList<>(List.of(ciphertext, nonce, auth));
      if (items.size() > 3) {
        Cbor aad = bytes(items.get(3), "aad", -1);
        if (aad.rawBytes().length > 0) {
          kept.add(aad);
          try {
            d = Digest.fromTaggedCbor(Cbor.decode(aad.rawBytes()));
          } catch (DecodeException e) {
            d = null;
          }
        }
      }
      if (d == null) {
        throw invalid("an encrypted envelope needs the digest 40001(h'...') in its AAD");
      }
      return new Envelope(Case.ENCRYPTED, d, Cbor.tagged(ENCRYPTED_TAG, Cbor.array(kept)), null,
          null, List.of(), null);
    }

    static Envelope compressed(Cbor content) {
      List<Cbor> items = array(content, "compressed");
      if (items.size() < 3 || items.size() > 4) {
        throw invalid("a compressed envelope is an array of 3 or 4 elements, got "
            + items.size());
      }
      Cbor checksum = items.get(0);
      Cbor size = items.get(1);
      if (checksum.kind() != Cbor.Kind.UNSIGNED
          || Long.compareUnsigned(checksum.unsignedValue(), 0xffffffffL) > 0) {
        throw invalid("the checksum of a compressed envelope is a 32-bit unsigned integer");
      }
      if (size.kind() != Cbor.Kind.UNSIGNED) {
        throw invalid("the size of a compressed envelope is an unsigned integer");
      }
      Cbor data = bytes(items.get(2), "compressed data", -1);
      if (Long.compareUnsigned(data.rawBytes().length, size.unsignedValue()) > 0) {
        throw invalid("compressed data is larger than decompressed size");
      }
      if (items.size() < 4) {
        throw invalid("a compressed envelope needs the digest of the uncompressed envelope");
      }
      Digest d = Digest.fromTaggedCbor(items.get(3));
      return new Envelope(Case.COMPRESSED, d, Cbor.tagged(COMPRESSED_TAG, content), null, null,
          List.of(), null);
    }

    private static List<Cbor> array(Cbor c, String what) {
      if (c.kind() != Cbor.Kind.ARRAY) {
        throw invalid("a " + what + " envelope is an array, got " + c.kind());
      }
      return c.items();
    }

    private static Cbor bytes(Cbor c, String what, int size) {
      if (c.kind() != Cbor.Kind.BYTES) {
        throw invalid("the " + what + " is a byte string, got " + c.kind());
      }
      if (size >= 0 && c.rawBytes().length != size) {
        throw invalid("the " + what + " is " + size + " bytes, got " + c.rawBytes().length);
      }
      return c;
    }
  }

  // ---------------------------------------------------------------- UR

  /** Returns {@code ur:envelope/...}, carrying the untagged envelope content. */
  public String urString() {
    return Ur.encode(UR_TYPE, untaggedCbor().encoded());
  }

  /**
   * Parses {@code ur:envelope/...} (any letter case). As in Rust, the payload is read as untagged
   * content, so tagged bytes inside a UR decode as a wrapped envelope.
   *
   * @throws DecodeException of kind INVALID_UR (bad UR or another UR type), a CBOR kind, or
   *     a kind {@link #fromUntaggedCbor} throws
   */
  public static Envelope fromUr(String ur) {
    return fromUntaggedCbor(Ur.parse(ur, UR_TYPE).cbor());
  }

  // ---------------------------------------------------------------- notation

  /**
   * Returns the envelope notation of bc-envelope's {@code format()}, e.g.
   * <pre>{@code
   * "Alice" [
   *     "knows": "Bob"
   * ]
   * }</pre>
   * Assertions are listed {@code 'isA'} first, then in Rust's order of their formatted items;
   * elided, encrypted and compressed assertions are counted at the end. Leaves show text in
   * quotes, numbers, {@code Bytes(n)}, and tagged values through summaries for dates, known
   * values, digests, ARIDs, XIDs, UUIDs and URIs; other tags as {@code tag(content)}.
   */
  public String format() {
    return EnvelopeFormat.format(this, false);
  }

  /** Returns the notation of {@link #format()} on one line, e.g. {@code "Alice" [ "knows": "Bob" ]}. */
  public String formatFlat() {
    return EnvelopeFormat.format(this, true);
  }

  /** Returns {@link #formatFlat()}. */
  @Override
  public String toString() {
    return formatFlat();
  }

  // package-private views for the formatter
  Envelope first() {
    return first;
  }

  Envelope second() {
    return second;
  }

  Cbor leafCbor() {
    return cbor;
  }

  KnownValue knownValueCase() {
    return knownValue;
  }
}
