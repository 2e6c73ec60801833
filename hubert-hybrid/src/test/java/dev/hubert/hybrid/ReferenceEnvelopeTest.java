package dev.hubert.hybrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import dev.hubert.envelope.KnownValue;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ReferenceEnvelopeTest {
  private static final Arid A2 = Arid.fromHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** hubert-0.5.0.md §12.3: reference ARID A2, size 2007, in hubert 0.5.0's bytes. */
  @Test
  void isByteIdenticalToHubert050() {
    Envelope reference = ReferenceEnvelope.create(A2, 2007);
    assertEquals("d8c884d8c9d99c4000a109d8c96469706673a1d8c96473697a65d8c91907d7a102d8c9d99c4c5820"
        + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        HexFormat.of().formatHex(reference.toCborData()));
    assertEquals("2bc8c35547b8c34613ea50bbd26fd0dc210cde2aab1fdda6119c03d2a671d359", reference.digest().hex());
    assertEquals("ur:envelope/lrtpsotansfzaeoyastpsoieinjoiyjkoytpsoiejkinknihtpsocfattsoyaotpsotansgshdcx"
        + "aeadaoaxaaahamatayasbkbdbnbtbabsbebybgbwbbbzcmchcscfcycwcecackctpdhysptt", reference.urString());
  }

  @Test
  void recognisesBothUnitFormsAndExtractsTheArid() {
    Envelope legacy = ReferenceEnvelope.create(A2, 2007);
    Envelope current = Envelope.unit()
        .addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of("ipfs"))
        .addAssertion(KnownValue.ID, Envelope.of(A2))
        .addAssertion("size", Envelope.of(2000));
    for (Envelope e : new Envelope[] {legacy, current, Envelope.fromCborData(legacy.toCborData())}) {
      assertTrue(ReferenceEnvelope.isReference(e), e.format());
      assertEquals(A2, ReferenceEnvelope.target(e));
    }
  }

  @Test
  void rejectsLookalikes() {
    assertFalse(ReferenceEnvelope.isReference(Envelope.of("test data")));
    Envelope notUnit = Envelope.of("notunit")
        .addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of("ipfs"))
        .addAssertion(KnownValue.ID, Envelope.of(A2));
    assertFalse(ReferenceEnvelope.isReference(notUnit));
    Envelope viaHttp = Envelope.unit()
        .addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of("http"))
        .addAssertion(KnownValue.ID, Envelope.of(A2));
    assertFalse(ReferenceEnvelope.isReference(viaHttp));
    Envelope noId = Envelope.unit().addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of("ipfs"));
    assertFalse(ReferenceEnvelope.isReference(noId));
    assertThrows(IllegalArgumentException.class, () -> ReferenceEnvelope.target(noId));
  }

  @Test
  void invalidIdIsReportedAsSuch() {
    Envelope badId = Envelope.unit()
        .addAssertion(KnownValue.DEREFERENCE_VIA, Envelope.of("ipfs"))
        .addAssertion(KnownValue.ID, Envelope.of("not an arid"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceEnvelope.target(badId));
    assertEquals("Invalid ARID in reference envelope", e.getMessage());
  }

  /** The spec's 67/69 bytes are the bc-envelope 0.43 form; hubert 0.5.0's leaf unit adds 5. */
  @Test
  void referenceSizesInHubert050Form() {
    assertEquals(72, ReferenceEnvelope.create(Arid.random(), 2000).toCborData().length);
    assertEquals(74, ReferenceEnvelope.create(Arid.random(), 65536).toCborData().length);
    assertEquals(74, ReferenceEnvelope.create(Arid.random(), 10L * 1024 * 1024).toCborData().length);
  }
}
