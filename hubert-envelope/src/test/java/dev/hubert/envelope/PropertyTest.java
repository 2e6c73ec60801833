package dev.hubert.envelope;

import static dev.hubert.envelope.Vectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties over random valid values: decode after encode is the identity, for dCBOR, envelopes
 * and URs. Each dynamic test is one seed (printed in its name) running a batch of cases, so a
 * failure is reproducible; the timeout only stops a hang.
 */
class PropertyTest {
  static final int SEEDS = 8;
  static final int CASES_PER_SEED = 250;
  static final Duration HANG_LIMIT = Duration.ofSeconds(60);

  static Stream<DynamicTest> seeded(String name, long base, Consumer<RandomValues> oneCase) {
    return LongStream.range(0, SEEDS).mapToObj(i -> base * 1000 + i).map(seed ->
        dynamicTest(name + " [seed " + seed + "]", () -> assertTimeoutPreemptively(HANG_LIMIT,
            () -> {
              RandomValues r = new RandomValues(seed);
              for (int c = 0; c < CASES_PER_SEED; c++) {
                oneCase.accept(r);
              }
            })));
  }

  @TestFactory
  Stream<DynamicTest> cborEncodeThenDecodeIsIdentity() {
    return seeded("Cbor.decode(v.toByteArray()) equals v", 1, r -> {
      Cbor v = r.cbor(4);
      byte[] encoded = v.toByteArray();
      Cbor decoded = Cbor.decode(encoded);
      assertEquals(v, decoded, () -> "value " + v + " bytes " + HEX.formatHex(encoded));
      assertArrayEquals(encoded, decoded.toByteArray());
      assertEquals(v.diagnostic(), decoded.diagnostic());
    });
  }

  @TestFactory
  Stream<DynamicTest> floatsReduceLikeRust() {
    return seeded("floating(d) is an exact, shortest dCBOR number", 2, r -> {
      double d = r.anyDouble();
      Cbor c = Cbor.floating(d);
      Cbor decoded = Cbor.decode(c.toByteArray());
      assertEquals(c, decoded, () -> "double " + d);
      if (c.kind() == Cbor.Kind.FLOAT) {
        double back = c.floatValue();
        assertTrue(Double.isNaN(d) ? Double.isNaN(back) : back == d, () -> "float " + d);
        assertFalse(!Double.isNaN(d) && !Double.isInfinite(d) && d == Math.rint(d)
            && Math.abs(d) < 0x1p64 && d != -0x1p64, () -> "integral " + d + " not reduced");
      } else {
        assertTrue(d == Math.rint(d), () -> d + " became an integer");
      }
      int len = c.toByteArray().length;
      if (c.kind() == Cbor.Kind.FLOAT && Floats.halfBitsExact(d) >= 0) {
        assertEquals(3, len, () -> d + " fits binary16");
      } else if (c.kind() == Cbor.Kind.FLOAT && (double) (float) d == d) {
        assertEquals(5, len, () -> d + " fits binary32");
      }
    });
  }

  @Test
  void everyBinary16RoundTrips() {
    for (int bits = 0; bits < 0x10000; bits++) {
      double d = Floats.halfToDouble(bits);
      if (!Double.isNaN(d)) {
        assertEquals(bits, Floats.halfBitsExact(d), "half bits " + Integer.toHexString(bits));
        assertEquals(d, (double) (float) d, "binary16 is exact in binary32");
      }
    }
    assertEquals(-1, Floats.halfBitsExact(65505.0));
    assertEquals(-1, Floats.halfBitsExact(0x1p-25));
    assertEquals(-1, Floats.halfBitsExact(1.0 + 0x1p-11));
  }

  @TestFactory
  Stream<DynamicTest> envelopeRoundTrips() {
    return seeded("Envelope wire form, UR and digest round trip", 3, r -> {
      Envelope e = r.envelope(3);
      byte[] data = e.toCborData();
      Envelope decoded = Envelope.fromCborData(data);
      assertTrue(decoded.isIdenticalTo(e), () -> "envelope " + e + " bytes " + HEX.formatHex(data));
      assertEquals(e.digest(), decoded.digest());
      assertEquals(e.hashCode(), decoded.hashCode());
      assertTrue(Envelope.fromUr(e.urString()).isIdenticalTo(e));
      assertTrue(Envelope.fromUr(e.urString().toUpperCase(Locale.ROOT)).isIdenticalTo(e));
      assertTrue(e.elide().isEquivalentTo(e));
      assertEquals(e.envelopeCase() == Envelope.Case.ELIDED, e.elide().isIdenticalTo(e));
      assertTrue(e.wrap().unwrap().isIdenticalTo(e));
      assertFalse(e.format().isEmpty());
      assertEquals(e.formatFlat(), decoded.formatFlat());
    });
  }

  @TestFactory
  Stream<DynamicTest> assertionsStaySortedAndUnique() {
    return seeded("node assertions are sorted by digest, duplicates dropped", 4, r -> {
      Envelope e = Envelope.of(r.text(5));
      Envelope a = Envelope.assertion(r.envelope(1), r.envelope(1));
      Envelope b = Envelope.assertion(r.envelope(1), r.envelope(1));
      Envelope ab = e.addAssertion(a).addAssertion(b);
      Envelope ba = e.addAssertion(b).addAssertion(a).addAssertion(b);
      if (a.isEquivalentTo(b)) { // e.g. one holds an elided part of the other: the first added wins
        assertEquals(1, ab.assertions().size());
        assertTrue(ab.isEquivalentTo(ba));
        return;
      }
      assertTrue(ab.isIdenticalTo(ba), "order of adding does not matter, repeats dropped");
      for (int i = 1; i < ab.assertions().size(); i++) {
        assertTrue(ab.assertions().get(i - 1).digest().compareTo(ab.assertions().get(i).digest()) < 0);
      }
      assertTrue(e.addAssertion(a).addAssertion(a.elide()).assertions().size() == 1,
          "an elided copy has the same digest, so it is a duplicate");
    });
  }

  @TestFactory
  Stream<DynamicTest> urRoundTrips() {
    return seeded("Ur.parse(Ur.encode(type, cbor)) gives both back", 5, r -> {
      Cbor v = r.cbor(2);
      String type = Stream.of("envelope", "arid", "test", "crypto-seed", "x1")
          .skip(r.random().nextInt(5)).findFirst().orElseThrow();
      String ur = Ur.encode(type, v.toByteArray());
      Ur parsed = Ur.parse(r.random().nextBoolean() ? ur : ur.toUpperCase(Locale.ROOT));
      assertEquals(type, parsed.type());
      assertEquals(v, parsed.cbor());
      assertEquals(ur, parsed.toString());
      assertEquals(ur.length(), "ur:".length() + type.length() + 1 + 2 * (v.toByteArray().length + 4));
      byte[] b = new byte[Arid.SIZE];
      r.random().nextBytes(b);
      Arid arid = Arid.fromBytes(b);
      assertEquals(arid, Arid.fromUr(arid.urString()));
      assertEquals(84, arid.urString().length());
    });
  }
}
