package dev.hubert.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The documented contracts of the public API that the vector files do not exercise. */
class ApiContractTest {

  @Test
  void accessorsOfTheWrongKindThrowIllegalState() {
    Cbor n = Cbor.unsigned(5);
    assertThrows(IllegalStateException.class, n::text);
    assertThrows(IllegalStateException.class, n::byteString);
    assertThrows(IllegalStateException.class, n::items);
    assertThrows(IllegalStateException.class, n::entries);
    assertThrows(IllegalStateException.class, n::tag);
    assertThrows(IllegalStateException.class, n::tagContent);
    assertThrows(IllegalStateException.class, n::boolValue);
    assertThrows(IllegalStateException.class, n::floatValue);
    assertThrows(IllegalStateException.class, n::negativeValue);
    assertThrows(IllegalStateException.class, () -> Cbor.text("x").unsignedValue());
    assertThrows(IllegalStateException.class, () -> Cbor.nul().boolValue());
    assertTrue(Cbor.nul().isNull());
  }

  @Test
  void integersKeepTheirFull64BitRange() {
    assertEquals("18446744073709551615", Cbor.unsigned(-1).diagnostic());
    assertEquals("-18446744073709551616", Cbor.negative(-1).diagnostic());
    assertEquals(Long.MIN_VALUE, Cbor.integer(Long.MIN_VALUE).longValue());
    assertEquals(-1, Cbor.integer(-1).longValue());
    assertThrows(IllegalStateException.class, () -> Cbor.unsigned(-1).longValue());
    assertThrows(IllegalStateException.class, () -> Cbor.negative(-1).longValue());
    assertEquals(Cbor.Kind.NEGATIVE, Cbor.integer(-5).kind());
    assertEquals(4, Cbor.integer(-5).negativeValue());
  }

  @Test
  void textIsNfcAndMustBeWellFormedUtf16() {
    assertEquals("\u00e9", Cbor.text("e\u0301").text());
    assertEquals(Cbor.text("\u00e9"), Cbor.text("e\u0301"));
    assertThrows(IllegalArgumentException.class, () -> Cbor.text("a\ud800b"));
    assertThrows(IllegalArgumentException.class, () -> Envelope.of("\udc00"));
    assertEquals("\ud83d\ude00", Cbor.text("\ud83d\ude00").text());
  }

  @Test
  void valuesAreImmutable() {
    byte[] b = {1, 2, 3};
    Cbor c = Cbor.bytes(b);
    b[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, c.byteString());
    c.byteString()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, c.byteString());
    c.toByteArray()[0] = 0;
    assertEquals("43010203", Vectors.HEX.formatHex(c.toByteArray()));
    assertThrows(UnsupportedOperationException.class, () -> Cbor.array(c).items().add(c));
    assertThrows(UnsupportedOperationException.class,
        () -> Envelope.of("a").addAssertion("b", "c").assertions().clear());
  }

  @Test
  void mapsSortKeysAndALaterEqualKeyWins() {
    Map<Cbor, Cbor> m = new LinkedHashMap<>();
    m.put(Cbor.text("b"), Cbor.unsigned(1));
    m.put(Cbor.text("a"), Cbor.unsigned(2));
    m.put(Cbor.floating(1.0), Cbor.unsigned(3)); // reduces to the key 1
    Cbor map = Cbor.map(m);
    assertEquals("{1: 3, \"a\": 2, \"b\": 1}", map.diagnostic());
    assertEquals(Cbor.unsigned(3), map.entries().get(Cbor.unsigned(1)));
  }

  @Test
  void assertionsAndWrapping() {
    Envelope alice = Envelope.of("Alice");
    assertThrows(IllegalArgumentException.class, () -> alice.addAssertion(Envelope.of("x")));
    assertThrows(IllegalStateException.class, alice::unwrap);
    assertThrows(IllegalStateException.class, alice::predicate);
    Envelope node = alice.addAssertion("knows", "Bob");
    assertEquals(Envelope.Case.NODE, node.envelopeCase());
    assertEquals(Optional.of("Alice"), node.text(), "text() looks at the subject");
    assertEquals(alice, node.subject());
    assertEquals(Envelope.of("knows"), node.assertions().get(0).predicate());
    assertEquals(Envelope.of("Bob"), node.assertions().get(0).object());
    assertTrue(node.addAssertion("knows", "Bob") == node, "a repeated assertion is dropped");
    Envelope signed = node.wrap().addAssertion(KnownValue.NOTE, Envelope.of("x"));
    assertEquals(node, signed.unwrap());
    Envelope onAssertion = Envelope.assertion(Envelope.of("a"), Envelope.of("b"))
        .addAssertion("c", "d");
    assertEquals(Envelope.of("a"), onAssertion.predicate(), "predicate() of the subject");
  }

  @Test
  void unitHasTwoFormsWithOneDigest() {
    Envelope v43 = Envelope.unit();
    Envelope v39 = Envelope.leaf(KnownValue.UNIT.taggedCbor());
    assertEquals(Optional.of(KnownValue.UNIT), v43.knownValue());
    assertEquals(Optional.of(KnownValue.UNIT), v39.knownValue());
    assertTrue(v43.isEquivalentTo(v39));
    assertNotEquals(v43, v39);
    assertFalse(v43.isIdenticalTo(v39));
    assertEquals(Optional.empty(), Envelope.of(7).knownValue());
  }

  @Test
  void knownValuesAndArids() {
    assertEquals("'dereferenceVia'", KnownValue.DEREFERENCE_VIA.toString());
    assertEquals(KnownValue.ID, KnownValue.of(2));
    assertEquals(Optional.empty(), KnownValue.of(123456).name());
    assertEquals("'18446744073709551615'", KnownValue.of(-1).toString());
    Arid a = Arid.random();
    assertNotEquals(a, Arid.random());
    assertEquals(a, Arid.fromTaggedCbor(Cbor.decode(a.taggedCbor().toByteArray())));
    assertEquals(Optional.empty(), Envelope.of(a).text());
    DecodeException e = assertThrows(DecodeException.class,
        () -> Arid.fromTaggedCbor(Cbor.tagged(Digest.TAG, a.untaggedCbor())));
    assertEquals(DecodeException.Kind.WRONG_TAG, e.kind());
    assertThrows(IllegalArgumentException.class, () -> Ur.encode("Bad", new byte[] {0}));
    assertThrows(IllegalArgumentException.class, () -> Digest.fromBytes(new byte[31]));
  }

  /**
   * NFC is judged with the running JDK's Unicode tables (README, Cbor.decode): U+1DFA is from
   * Unicode 14, so JDK 17 (Unicode 13) accepts this text, while JDK 21 and Rust reject it.
   */
  @Test
  void nfcOfTextIsJudgedWithTheRunningJdksUnicodeTables() {
    String text = "x\u0301\u1DFA";
    byte[] data = java.util.HexFormat.of().parseHex("6678cc81e1b7ba");
    if (java.text.Normalizer.isNormalized(text, java.text.Normalizer.Form.NFC)) {
      assertEquals(text, Cbor.decode(data).text());
    } else {
      DecodeException e = assertThrows(DecodeException.class, () -> Cbor.decode(data));
      assertEquals(DecodeException.Kind.NON_CANONICAL_STRING, e.kind());
    }
  }
}
