package dev.hubert.envelope;

import static dev.hubert.envelope.Vectors.HEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Random and mutated inputs to every decoder: each either yields a value or throws {@link
 * DecodeException}, nothing else (no NPE, index errors, OOM or stack overflow), within a bounded
 * time. Seeds are in the test names.
 */
class FuzzTest {

  /** Runs {@code decoder} on {@code input}; fails on anything but a value or DecodeException. */
  private static <I, T> T decodeOrNull(Function<I, T> decoder, I input, String shown) {
    try {
      return decoder.apply(input);
    } catch (DecodeException e) {
      if (e.kind() == null || e.getMessage() == null) {
        fail("DecodeException without kind or message for " + shown);
      }
      return null;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("decoder threw " + e + " for input " + shown, e);
    }
  }

  private static byte[] seedEncoding(RandomValues r) {
    switch (r.random().nextInt(3)) {
      case 0:
        return r.cbor(4).toByteArray();
      case 1:
        return r.envelope(3).toCborData();
      default:
        return r.bytes(48);
    }
  }

  @TestFactory
  Stream<DynamicTest> cborDecodeOfRandomAndMutatedBytes() {
    return PropertyTest.seeded("Cbor.decode: value or DecodeException", 11, r -> {
      byte[] input = r.random().nextInt(4) == 0 ? r.bytes(64) : r.mutate(seedEncoding(r));
      Cbor c = decodeOrNull(Cbor::decode, input, HEX.formatHex(input));
      if (c != null) {
        // canonical re-encoding decodes to the same value (it may differ from a lenient input)
        assertEquals(c, Cbor.decode(c.toByteArray()), () -> "input " + HEX.formatHex(input));
        c.diagnostic();
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> envelopeDecodeOfMutatedBytes() {
    return PropertyTest.seeded("Envelope.fromCborData: value or DecodeException", 12, r -> {
      byte[] input = r.mutate(r.envelope(3).toCborData());
      Envelope e = decodeOrNull(Envelope::fromCborData, input, HEX.formatHex(input));
      if (e != null) {
        Envelope again = Envelope.fromCborData(e.toCborData());
        assertEquals(e, again, () -> "input " + HEX.formatHex(input));
        assertEquals(e.digest(), again.digest());
        e.format();
        e.formatFlat();
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> urDecodeOfMutatedStrings() {
    return PropertyTest.seeded("Ur.parse, Envelope.fromUr, Arid.fromUr: value or DecodeException",
        13, r -> {
          String valid = r.random().nextBoolean() ? r.envelope(2).urString()
              : Arid.random().urString();
          String input = r.mutate(valid);
          decodeOrNull(Ur::parse, input, input);
          Envelope e = decodeOrNull(Envelope::fromUr, input, input);
          if (e != null) {
            assertEquals(e, Envelope.fromUr(e.urString()));
          }
          decodeOrNull(Arid::fromUr, input, input);
        });
  }

  @Test
  void deepNestingIsATypedErrorNotAStackOverflow() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (byte head : new byte[] {(byte) 0x81, (byte) 0xc1, (byte) 0xd8}) {
        int levels = 200_000;
        byte[] bomb = new byte[levels * 2 + 1];
        for (int i = 0; i < levels; i++) {
          bomb[2 * i] = head;
          bomb[2 * i + 1] = head == (byte) 0xd8 ? (byte) 0xc8 : head; // 200(200(...)) for envelopes
        }
        DecodeException e = assertThrows(DecodeException.class, () -> Cbor.decode(bomb));
        assertEquals(DecodeException.Kind.TOO_DEEP, e.kind());
        assertThrows(DecodeException.class, () -> Envelope.fromCborData(bomb));
      }
    });
  }

  @Test
  void deepEnvelopesBuiltInMemoryAreRejectedOnDecodeNotCrashed() {
    Envelope e = Envelope.of("deep");
    for (int i = 0; i < 300; i++) {
      e = e.wrap();
    }
    byte[] data = e.toCborData();
    DecodeException ex = assertThrows(DecodeException.class, () -> Envelope.fromCborData(data));
    assertEquals(DecodeException.Kind.TOO_DEEP, ex.kind());
    Envelope ok = Envelope.of("deep");
    for (int i = 0; i < 250; i++) {
      ok = ok.wrap();
    }
    assertEquals(ok, Envelope.fromCborData(ok.toCborData()));
  }

  @Test
  void hugeDeclaredLengthsDoNotAllocate() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      List<byte[]> inputs = new ArrayList<>();
      for (int major = 2; major <= 5; major++) {
        for (int ai = 26; ai <= 27; ai++) {
          int width = 1 << (ai - 24);
          byte[] in = new byte[1 + width + 8];
          in[0] = (byte) ((major << 5) | ai);
          Arrays.fill(in, 1, 1 + width, (byte) 0x7f);
          for (int i = 0; i < 8; i++) {
            in[1 + width + i] = (byte) i; // distinct, increasing items and map keys
          }
          inputs.add(in);
        }
      }
      // a million-item array declared in 5 bytes followed by a few items
      inputs.add(HEX.parseHex("9a000f4240010203"));
      for (byte[] in : inputs) {
        DecodeException e = assertThrows(DecodeException.class, () -> Cbor.decode(in));
        assertEquals(DecodeException.Kind.UNDERRUN, e.kind(), HEX.formatHex(in));
      }
    });
  }

  @Test
  void nullArgumentsAreProgrammerErrorsNotDecodeErrors() {
    assertThrows(NullPointerException.class, () -> Cbor.decode(null));
    assertThrows(NullPointerException.class, () -> Envelope.fromCborData(null));
    assertThrows(NullPointerException.class, () -> Ur.parse(null));
  }
}
