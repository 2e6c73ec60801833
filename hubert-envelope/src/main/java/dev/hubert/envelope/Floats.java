package dev.hubert.envelope;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * dCBOR float rules, ported 1:1 from Rust {@code dcbor::float}: numeric reduction, shortest
 * encoding, decoder validation, and binary16 by hand (Java 17 has no {@code Float16}).
 */
final class Floats {
  private static final double TWO_63 = 0x1p63;
  private static final double TWO_64 = 0x1p64;

  private Floats() {}

  // ---- binary16 ----

  /** Returns the binary16 bits that represent {@code d} exactly, or -1 (also for NaN). */
  static int halfBitsExact(double d) {
    if (Double.isNaN(d)) {
      return -1;
    }
    int sign = Double.doubleToRawLongBits(d) < 0 ? 0x8000 : 0;
    double a = Math.abs(d);
    if (a == 0) {
      return sign;
    }
    if (Double.isInfinite(a)) {
      return sign | 0x7c00;
    }
    if (a > 65504.0 || a < 0x1p-24) {
      return -1;
    }
    int e = Math.getExponent(a);
    if (e < -14) { // subnormal: k * 2^-24, k < 1024
      double k = Math.scalb(a, 24);
      return k == Math.rint(k) ? sign | (int) k : -1;
    }
    double m = Math.scalb(a, 10 - e); // in [1024, 2048)
    return m == Math.rint(m) ? sign | ((e + 15) << 10) | ((int) m - 1024) : -1;
  }

  static double halfToDouble(int bits) {
    int exp = (bits >> 10) & 0x1f;
    int mant = bits & 0x3ff;
    double v;
    if (exp == 0) {
      v = Math.scalb((double) mant, -24);
    } else if (exp == 31) {
      v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else {
      v = Math.scalb((double) (1024 + mant), exp - 25);
    }
    return (bits & 0x8000) != 0 ? -v : v;
  }

  // ---- exactness helpers (Rust ExactFrom) ----

  private static boolean integral(double x) {
    return !Double.isInfinite(x) && !Double.isNaN(x) && x == Math.rint(x);
  }

  /** Rust {@code u64::exact_from_f64}: finite, integral, in (-1, 2^64). */
  private static boolean u64Exact(double x) {
    return integral(x) && x > -1 && x < TWO_64;
  }

  /** Integral x in [0, 2^64) as unsigned 64-bit bits. */
  private static long toU64(double x) {
    return x < TWO_63 ? (long) x : (long) (x - TWO_63) ^ Long.MIN_VALUE;
  }

  /** The dCBOR negative argument {@code -1-n} for integral n in [-2^64, -1], or null. */
  private static Long negativeArgument(double n) {
    if (n < 0 && integral(n) && n >= -TWO_64) {
      return -n == TWO_64 ? -1L : toU64(-n) - 1;
    }
    return null;
  }

  // ---- value construction (Rust From<f64>/From<f32>/From<f16> for CBOR) ----

  /** {@code From<f64>}: integral values in [-2^64, 2^64-1] become integers. */
  static Cbor fromDouble(double n) {
    Long neg = negativeArgument(n);
    if (neg != null) {
      return Cbor.negative(neg);
    }
    if (u64Exact(n)) {
      return Cbor.unsigned(toU64(n));
    }
    return Cbor.rawFloat(n);
  }

  private static Cbor fromFloat(float n) {
    if (n < 0) {
      double m = (double) (-1f - n); // f32 arithmetic, as Rust
      if (u64Exact(m)) {
        return Cbor.negative(toU64(m));
      }
    }
    if (integral(n) && n > -1 && n < 4294967296.0) {
      return Cbor.unsigned(toU64(n));
    }
    return Cbor.rawFloat(n);
  }

  private static Cbor fromHalf(int bits) {
    double n = halfToDouble(bits);
    if (n < 0 && u64Exact(-1.0 - n)) {
      return Cbor.negative(toU64(-1.0 - n));
    }
    if (u64Exact(n)) { // every finite binary16 is below 65536
      return Cbor.unsigned(toU64(n));
    }
    return Cbor.rawFloat(n);
  }

  // ---- decoding with validation ----

  /** Decodes the argument of an {@code f9}, {@code fa} or {@code fb} header, validating it. */
  static Cbor decode(int width, long bits, int offset) {
    switch (width) {
      case 2: {
        int h = (int) bits;
        double f = halfToDouble(h);
        if (f == (double) (long) f || (Double.isNaN(f) && h != 0x7e00)) {
          throw nonCanonical(offset);
        }
        return fromHalf(h);
      }
      case 4: {
        float f = Float.intBitsToFloat((int) bits);
        if (halfBitsExact(f) >= 0 || f == (float) (int) f || Float.isNaN(f)) {
          throw nonCanonical(offset);
        }
        return fromFloat(f);
      }
      default: {
        double d = Double.longBitsToDouble(bits);
        if (d == (double) (float) d || d == (double) (long) d || Double.isNaN(d)) {
          throw nonCanonical(offset);
        }
        return fromDouble(d);
      }
    }
  }

  private static DecodeException nonCanonical(int offset) {
    return new DecodeException(DecodeException.Kind.NON_CANONICAL_NUMERIC,
        "float at offset " + offset + " is not in its shortest dCBOR form");
  }

  // ---- encoding (Rust f64_cbor_data / f32_cbor_data / f16_cbor_data) ----

  static void encode(double n, ByteArrayOutputStream out) {
    float f = (float) n;
    if ((double) f == n) {
      encodeFloat(f, out);
      return;
    }
    if (encodeAsInteger(n, out)) {
      return;
    }
    if (Double.isNaN(n)) {
      writeNaN(out);
      return;
    }
    Cbor.writeHead(out, 7, 27, Double.doubleToRawLongBits(n));
  }

  private static void encodeFloat(float n, ByteArrayOutputStream out) {
    int h = halfBitsExact(n);
    if (h >= 0) {
      encodeHalf(h, out);
      return;
    }
    if (n < 0) {
      double m = (double) (-1f - n);
      if (u64Exact(m)) {
        Cbor.writeHead(out, 1, -1, toU64(m));
        return;
      }
    }
    if (integral(n) && n > -1 && n < 4294967296.0) {
      Cbor.writeHead(out, 0, -1, toU64(n));
      return;
    }
    if (Float.isNaN(n)) {
      writeNaN(out);
      return;
    }
    Cbor.writeHead(out, 7, 26, Float.floatToRawIntBits(n) & 0xffffffffL);
  }

  private static void encodeHalf(int h, ByteArrayOutputStream out) {
    if (encodeAsInteger(halfToDouble(h), out)) {
      return;
    }
    Cbor.writeHead(out, 7, 25, h);
  }

  private static boolean encodeAsInteger(double n, ByteArrayOutputStream out) {
    Long neg = negativeArgument(n);
    if (neg != null) {
      Cbor.writeHead(out, 1, -1, neg);
      return true;
    }
    if (u64Exact(n)) {
      Cbor.writeHead(out, 0, -1, toU64(n));
      return true;
    }
    return false;
  }

  private static void writeNaN(ByteArrayOutputStream out) {
    out.write(0xf9);
    out.write(0x7e);
    out.write(0x00);
  }

  // ---- text (Rust {:?} for f64, as dcbor's Display uses) ----

  /** Formats like Rust's {@code {:?}}: {@code 1.5}, {@code 1e-7}, {@code 1.5e16}, NaN, Infinity. */
  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(v);
    double a = Math.abs(v);
    if (a >= 1e-4 && a < 1e16) {
      String s = shortest.toPlainString();
      return s.indexOf('.') >= 0 ? s : s + ".0";
    }
    BigDecimal unscaled = new BigDecimal(shortest.unscaledValue().abs());
    String digits = unscaled.toPlainString().replaceAll("0+$", "");
    if (digits.isEmpty()) {
      digits = "0";
    }
    int exponent = shortest.precision() - shortest.scale() - 1;
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + exponent;
  }

  /**
   * The decimal with the fewest significant digits that reads back as {@code v}, the closest to
   * {@code v} among those (as Rust's shortest float printing).
   */
  private static BigDecimal shortest(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR,
          RoundingMode.CEILING}) {
        BigDecimal r = exact.round(new MathContext(p, mode));
        if (r.doubleValue() == v && (best == null
            || r.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = r;
        }
      }
      if (best != null) {
        return best.stripTrailingZeros();
      }
    }
    return exact.stripTrailingZeros();
  }
}
