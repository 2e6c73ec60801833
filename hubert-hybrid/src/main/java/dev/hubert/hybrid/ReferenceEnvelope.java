package dev.hubert.hybrid;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.DecodeException;
import dev.hubert.envelope.Envelope;
import dev.hubert.envelope.KnownValue;
import java.util.Optional;

/**
 * hubert's reference envelope: {@code '' [ 'dereferenceVia': "ipfs", 'id': ARID, "size": n ]},
 * stored in the DHT in place of an envelope too large for it.
 *
 * <p>Written in hubert 0.5.0's bytes, whose {@code ''} subject is a leaf holding {@code 40000(0)}
 * (bc-envelope 0.39); read in that form and in the known-value form of later bc-envelope versions.
 */
final class ReferenceEnvelope {
  static final String VIA_IPFS = "ipfs";
  static final String SIZE = "size";

  private ReferenceEnvelope() {}

  /** The reference to {@code target}, whose envelope is {@code size} bytes of tagged CBOR. */
  static Envelope create(Arid target, long size) {
    return Envelope.leaf(KnownValue.UNIT.taggedCbor())
        .addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of(VIA_IPFS))
        .addAssertion(KnownValue.ID, Envelope.of(target))
        .addAssertion(SIZE, Envelope.of(size));
  }

  /**
   * Whether {@code e} is a reference: its subject is {@code ''}, it has a {@code 'dereferenceVia':
   * "ipfs"} assertion and an {@code 'id'} assertion (the {@code "size"} is informational), as the
   * reference's {@code is_reference_envelope}.
   */
  static boolean isReference(Envelope e) {
    if (e.envelopeCase() != Envelope.Case.NODE || !isUnit(e.subject())) {
      return false;
    }
    boolean viaIpfs = false;
    boolean hasId = false;
    for (Envelope a : e.assertions()) {
      if (a.envelopeCase() != Envelope.Case.ASSERTION) {
        continue;
      }
      Optional<KnownValue> predicate = a.predicate().knownValue();
      if (predicate.equals(Optional.of(KnownValue.DEREFERENCE_VIA))
          && a.object().subject().text().equals(Optional.of(VIA_IPFS))) {
        viaIpfs = true;
      } else if (predicate.equals(Optional.of(KnownValue.ID))) {
        hasId = true;
      }
    }
    return viaIpfs && hasId;
  }

  /**
   * The ARID of the first {@code 'id'} assertion whose object is a leaf.
   *
   * @throws IllegalArgumentException if {@code e} is not a reference, has no such assertion, or its
   *     object is not an ARID
   */
  static Arid target(Envelope e) {
    if (!isReference(e)) {
      throw new IllegalArgumentException("Not a reference envelope");
    }
    for (Envelope a : e.assertions()) {
      if (a.envelopeCase() == Envelope.Case.ASSERTION
          && a.predicate().knownValue().equals(Optional.of(KnownValue.ID))
          && a.object().subject().envelopeCase() == Envelope.Case.LEAF) {
        try {
          return Arid.fromTaggedCbor(a.object().subject().leaf().orElseThrow());
        } catch (DecodeException | IllegalArgumentException | IllegalStateException ex) {
          throw new IllegalArgumentException("Invalid ARID in reference envelope", ex);
        }
      }
    }
    throw new IllegalArgumentException("No id assertion found in reference envelope");
  }

  private static boolean isUnit(Envelope subject) {
    return subject.knownValue().equals(Optional.of(KnownValue.UNIT)); // leaf or known-value form
  }
}
