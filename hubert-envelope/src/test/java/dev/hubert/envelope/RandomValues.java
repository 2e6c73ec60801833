package dev.hubert.envelope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded generators of random valid values for the property and fuzz tests. */
final class RandomValues {
  private static final long[] EDGE_LONGS = {0, 1, 23, 24, 255, 256, 65535, 65536, 0xffffffffL,
      0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -24, -25};
  private static final double[] EDGE_DOUBLES = {0.0, -0.0, 1.5, -1.5, 0.1, 65504.0, 65505.0,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
      Double.MAX_VALUE, Float.MIN_VALUE, Float.MAX_VALUE, 0x1p64, -0x1p64, 0x1p63, -0x1p63,
      0x1p-24, 0x1p-14, 5.960464477539063e-8, 1e300, -1e-300, 2345678.25};
  private static final long[] TAGS = {0, 1, 2, 24, 32, 37, 200, 201, 40000, 40001, 40002, 40003,
      40012, 40024, 555, -1L};

  private final Random random;

  RandomValues(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  long anyLong() {
    return random.nextInt(4) == 0 ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)]
        : random.nextLong() >> random.nextInt(64);
  }

  double anyDouble() {
    switch (random.nextInt(4)) {
      case 0:
        return EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)];
      case 1:
        return Double.longBitsToDouble(random.nextLong());
      case 2:
        return Float.intBitsToFloat(random.nextInt());
      default:
        return Floats.halfToDouble(random.nextInt(0x10000));
    }
  }

  byte[] bytes(int max) {
    byte[] b = new byte[random.nextInt(max + 1)];
    random.nextBytes(b);
    return b;
  }

  /** Text with ASCII, Latin, combining marks (so NFC matters), CJK and non-BMP code points. */
  String text(int maxCodePoints) {
    int n = random.nextInt(maxCodePoints + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int cp;
      switch (random.nextInt(6)) {
        case 0:
          cp = 0x20 + random.nextInt(0x5f);
          break;
        case 1:
          cp = 0xc0 + random.nextInt(0x100);
          break;
        case 2:
          cp = 0x300 + random.nextInt(0x70); // combining marks
          break;
        case 3:
          cp = 0x4e00 + random.nextInt(0x100);
          break;
        case 4:
          cp = 0x1f600 + random.nextInt(0x50);
          break;
        default:
          cp = random.nextInt(0x80);
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  Cbor cbor(int depth) {
    int choice = random.nextInt(depth <= 0 ? 7 : 10);
    switch (choice) {
      case 0:
        return Cbor.unsigned(anyLong());
      case 1:
        return random.nextBoolean() ? Cbor.integer(anyLong()) : Cbor.negative(anyLong());
      case 2:
        return Cbor.bytes(bytes(40));
      case 3:
        return Cbor.text(text(12));
      case 4:
        return Cbor.floating(anyDouble());
      case 5:
        return random.nextInt(3) == 0 ? Cbor.nul() : Cbor.bool(random.nextBoolean());
      case 6:
        return Cbor.integer(random.nextInt(2000) - 1000);
      case 7: {
        List<Cbor> items = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          items.add(cbor(depth - 1));
        }
        return Cbor.array(items);
      }
      case 8: {
        Map<Cbor, Cbor> m = new LinkedHashMap<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
          m.put(cbor(depth - 1), cbor(depth - 1));
        }
        return Cbor.map(m);
      }
      default:
        return Cbor.tagged(TAGS[random.nextInt(TAGS.length)], cbor(depth - 1));
    }
  }

  Envelope envelope(int depth) {
    int choice = random.nextInt(depth <= 0 ? 6 : 11);
    switch (choice) {
      case 0:
        return Envelope.of(text(10));
      case 1:
        return Envelope.of(anyLong());
      case 2:
        return Envelope.of(KnownValue.of(random.nextInt(3) == 0 ? anyLong() : random.nextInt(120)));
      case 3:
        return Envelope.leaf(cbor(2));
      case 4: {
        byte[] b = new byte[Arid.SIZE];
        random.nextBytes(b);
        return Envelope.of(Arid.fromBytes(b));
      }
      case 5:
        return random.nextBoolean() ? Envelope.unit() : Envelope.leaf(KnownValue.UNIT.taggedCbor());
      case 6:
        return Envelope.assertion(envelope(depth - 1), envelope(depth - 1));
      case 7:
        return envelope(depth - 1).wrap();
      case 8:
        return envelope(depth - 1).elide();
      default: {
        Envelope e = envelope(depth - 1);
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
          Envelope a = Envelope.assertion(envelope(depth - 1), envelope(depth - 1));
          e = e.addAssertion(random.nextInt(5) == 0 ? a.elide() : a);
        }
        return e;
      }
    }
  }

  /** A random mutation of {@code data}: bit flips, truncation, insertion, duplication, big heads. */
  byte[] mutate(byte[] data) {
    byte[] d = data.clone();
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      int kind = random.nextInt(6);
      if (d.length == 0) {
        kind = 2;
      }
      switch (kind) {
        case 0: { // bit flip
          int i = random.nextInt(d.length);
          d[i] ^= (byte) (1 << random.nextInt(8));
          break;
        }
        case 1: // truncate
          d = java.util.Arrays.copyOf(d, random.nextInt(d.length));
          break;
        case 2: { // insert random bytes
          byte[] ins = bytes(4);
          int at = random.nextInt(d.length + 1);
          d = splice(d, at, at, ins);
          break;
        }
        case 3: { // replace a byte
          d[random.nextInt(d.length)] = (byte) random.nextInt(256);
          break;
        }
        case 4: { // a huge declared length or count
          int at = random.nextInt(d.length);
          int major = random.nextInt(8) << 5;
          byte[] head = {(byte) (major | 27), -1, -1, -1, -1, (byte) random.nextInt(256), -1, -1, -1};
          d = splice(d, at, at + 1, head);
          break;
        }
        default: { // duplicate a slice
          int from = random.nextInt(d.length);
          int to = from + random.nextInt(d.length - from + 1);
          d = splice(d, to, to, java.util.Arrays.copyOfRange(d, from, to));
        }
      }
    }
    return d;
  }

  private static byte[] splice(byte[] d, int from, int to, byte[] insert) {
    byte[] out = new byte[d.length - (to - from) + insert.length];
    System.arraycopy(d, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(d, to, out, from + insert.length, d.length - to);
    return out;
  }

  /** A random mutation of a UR string. */
  String mutate(String ur) {
    StringBuilder sb = new StringBuilder(ur);
    int rounds = 1 + random.nextInt(3);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/- é\n\u0130";
    for (int r = 0; r < rounds && sb.length() > 0; r++) {
      int i = random.nextInt(sb.length());
      switch (random.nextInt(4)) {
        case 0:
          sb.setCharAt(i, alphabet.charAt(random.nextInt(alphabet.length())));
          break;
        case 1:
          sb.setLength(i);
          break;
        case 2:
          sb.insert(i, alphabet.charAt(random.nextInt(alphabet.length())));
          break;
        default:
          sb.setCharAt(i, Character.toUpperCase(sb.charAt(i)));
      }
    }
    return sb.toString();
  }
}
