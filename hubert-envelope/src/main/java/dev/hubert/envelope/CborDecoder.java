package dev.hubert.envelope;

import dev.hubert.envelope.DecodeException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Strict dCBOR decoder: the rules of Rust {@code dcbor::decode_cbor} (0.25), plus a nesting limit.
 * Every allocation is bounded by the bytes actually present.
 */
final class CborDecoder {
  private final byte[] data;
  private int pos;

  private CborDecoder(byte[] data) {
    this.data = data;
  }

  static Cbor decode(byte[] data) {
    CborDecoder d = new CborDecoder(data);
    Cbor result = d.item(0);
    int remaining = data.length - d.pos;
    if (remaining > 0) {
      throw new DecodeException(Kind.UNUSED_DATA,
          "the decoded CBOR had " + remaining + " extra bytes at the end (item ends at offset "
              + d.pos + ")");
    }
    return result;
  }

  private DecodeException underrun(int at) {
    return new DecodeException(Kind.UNDERRUN,
        "early end of CBOR data: item at offset " + at + " needs more than the " + data.length
            + " bytes given");
  }

  private long readArgument(int start, int width) {
    if (data.length - pos < width) {
      throw underrun(start);
    }
    long v = 0;
    for (int i = 0; i < width; i++) {
      v = (v << 8) | (data[pos + i] & 0xff);
    }
    pos += width;
    return v;
  }

  private Cbor item(int depth) {
    int start = pos;
    if (pos >= data.length) {
      throw underrun(start);
    }
    int header = data[pos++] & 0xff;
    int major = header >>> 5;
    int ai = header & 31;
    long value;
    int width;
    if (ai < 24) {
      value = ai;
      width = 0;
    } else if (ai <= 27) {
      width = 1 << (ai - 24);
      value = readArgument(start, width);
      boolean shortest;
      switch (ai) {
        case 24:
          shortest = value >= 24;
          break;
        case 25:
          shortest = value > 0xffL || header == 0xf9;
          break;
        case 26:
          shortest = value > 0xffffL || header == 0xfa;
          break;
        default:
          shortest = Long.compareUnsigned(value, 0xffffffffL) > 0 || header == 0xfb;
          break;
      }
      if (!shortest) {
        throw new DecodeException(Kind.NON_CANONICAL_NUMERIC,
            "a CBOR numeric value was encoded in non-canonical form (header 0x"
                + Integer.toHexString(header) + " at offset " + start + ")");
      }
    } else {
      throw new DecodeException(Kind.UNSUPPORTED_HEADER_VALUE,
          "unsupported value " + ai + " in CBOR header 0x" + Integer.toHexString(header)
              + " at offset " + start + " (indefinite lengths and break are not dCBOR)");
    }
    switch (major) {
      case 0:
        return Cbor.unsigned(value);
      case 1:
        return Cbor.negative(value);
      case 2:
        return Cbor.bytesUnchecked(take(start, value));
      case 3:
        return text(start, take(start, value));
      case 4: {
        checkDepth(start, depth);
        ArrayList<Cbor> items = new ArrayList<>((int) Math.min(value & 0xffffL, data.length - pos));
        for (long i = 0; Long.compareUnsigned(i, value) < 0; i++) {
          items.add(item(depth + 1));
        }
        return Cbor.arrayUnchecked(items);
      }
      case 5: {
        checkDepth(start, depth);
        TreeMap<Cbor, Cbor> map = new TreeMap<>();
        for (long i = 0; Long.compareUnsigned(i, value) < 0; i++) {
          int keyAt = pos;
          Cbor key = item(depth + 1);
          Cbor val = item(depth + 1);
          if (map.containsKey(key)) {
            throw new DecodeException(Kind.DUPLICATE_MAP_KEY,
                "the decoded CBOR map has a duplicate key " + key.diagnostic() + " at offset "
                    + keyAt);
          }
          if (!map.isEmpty() && map.lastKey().compareTo(key) > 0) {
            throw new DecodeException(Kind.MISORDERED_MAP_KEY,
                "the decoded CBOR map has keys that are not in canonical order (key at offset "
                    + keyAt + ")");
          }
          map.put(key, val);
        }
        return Cbor.sortedMap(map);
      }
      case 6: {
        checkDepth(start, depth);
        return Cbor.tagged(value, item(depth + 1));
      }
      default:
        if (width >= 2) {
          return Floats.decode(width, value, start);
        }
        if (value >= 20 && value <= 22) {
          return value == 22 ? Cbor.nul() : Cbor.bool(value == 21);
        }
        throw new DecodeException(Kind.INVALID_SIMPLE_VALUE,
            "an invalid CBOR simple value " + value + " at offset " + start
                + " (only false, true, null and floats are dCBOR)");
    }
  }

  private void checkDepth(int start, int depth) {
    if (depth >= Cbor.MAX_DEPTH) {
      throw new DecodeException(Kind.TOO_DEEP,
          "CBOR items nest deeper than " + Cbor.MAX_DEPTH + " levels at offset " + start);
    }
  }

  /** Takes {@code len} bytes after checking they are present, so no huge allocation happens. */
  private byte[] take(int start, long len) {
    if (Long.compareUnsigned(len, data.length - pos) > 0) {
      throw underrun(start);
    }
    byte[] b = Arrays.copyOfRange(data, pos, pos + (int) len);
    pos += (int) len;
    return b;
  }

  private static Cbor text(int start, byte[] utf8) {
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new DecodeException(Kind.INVALID_STRING,
          "an invalidly-encoded UTF-8 string was encountered at offset " + start, e);
    }
    if (!Normalizer.isNormalized(s, Normalizer.Form.NFC)) {
      throw new DecodeException(Kind.NON_CANONICAL_STRING,
          "a CBOR string at offset " + start
              + " was not encoded in Unicode Canonical Normalization Form C");
    }
    return Cbor.textUnchecked(s);
  }
}
