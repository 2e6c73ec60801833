package dev.hubert.envelope;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Reads the JSON vector files and builds the values they describe with the public API. */
final class Vectors {
  static final HexFormat HEX = HexFormat.of();

  private Vectors() {}

  static JsonObject load(String name) {
    String path = "/vectors/" + name;
    try (InputStream in = Vectors.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<JsonObject> rows(JsonObject file, String member) {
    JsonArray a = file.getAsJsonArray(member);
    if (a == null || a.isEmpty()) {
      throw new IllegalStateException("vector file has no rows in '" + member + "'");
    }
    return StreamSupport.stream(a.spliterator(), false).map(JsonElement::getAsJsonObject);
  }

  static String str(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", ""));
  }

  /** Hex of a row: "hex", or "repeat": {hex, times, suffix}. */
  static byte[] rowBytes(JsonObject row) {
    if (row.has("repeat")) {
      JsonObject r = row.getAsJsonObject("repeat");
      return hex(str(r, "hex").repeat(r.get("times").getAsInt()) + str(r, "suffix"));
    }
    return hex(str(row, "hex"));
  }

  /** Builds a Cbor from {"uint"|"int"|"float"|"floatBits"|"text"|"bytes"|"array"|"map"|"tag"|"bool"|"null"}. */
  static Cbor cbor(JsonElement e) {
    JsonObject o = e.getAsJsonObject();
    if (o.has("uint")) {
      return Cbor.unsigned(new BigInteger(str(o, "uint")).longValue());
    } else if (o.has("int")) {
      return Cbor.integer(Long.parseLong(str(o, "int")));
    } else if (o.has("float")) {
      return Cbor.floating(Double.parseDouble(str(o, "float")));
    } else if (o.has("floatBits")) {
      return Cbor.floating(Double.longBitsToDouble(Long.parseUnsignedLong(str(o, "floatBits"), 16)));
    } else if (o.has("text")) {
      return Cbor.text(str(o, "text"));
    } else if (o.has("bytes")) {
      return Cbor.bytes(hex(str(o, "bytes")));
    } else if (o.has("array")) {
      List<Cbor> items = new ArrayList<>();
      o.getAsJsonArray("array").forEach(i -> items.add(cbor(i)));
      return Cbor.array(items);
    } else if (o.has("map")) {
      Map<Cbor, Cbor> m = new LinkedHashMap<>();
      o.getAsJsonArray("map").forEach(p -> m.put(cbor(p.getAsJsonArray().get(0)),
          cbor(p.getAsJsonArray().get(1))));
      return Cbor.map(m);
    } else if (o.has("tag")) {
      return Cbor.tagged(new BigInteger(str(o, "tag")).longValue(), cbor(o.get("content")));
    } else if (o.has("bool")) {
      return Cbor.bool(o.get("bool").getAsBoolean());
    } else if (o.has("null")) {
      return Cbor.nul();
    }
    throw new IllegalArgumentException("unknown CBOR description " + o);
  }

  /** Builds an Envelope from an expression (see envelopes.json). */
  static Envelope envelope(JsonElement e) {
    JsonObject o = e.getAsJsonObject();
    if (o.has("text")) {
      return Envelope.of(str(o, "text"));
    } else if (o.has("int")) {
      return Envelope.of(Long.parseLong(str(o, "int")));
    } else if (o.has("bool")) {
      return Envelope.of(o.get("bool").getAsBoolean());
    } else if (o.has("null")) {
      return Envelope.nul();
    } else if (o.has("bytes")) {
      return Envelope.ofBytes(hex(str(o, "bytes")));
    } else if (o.has("unit")) {
      return Envelope.unit();
    } else if (o.has("unitLeaf")) {
      return Envelope.leaf(KnownValue.UNIT.taggedCbor());
    } else if (o.has("known")) {
      return Envelope.of(KnownValue.of(Long.parseUnsignedLong(str(o, "known"))));
    } else if (o.has("arid")) {
      return Envelope.of(Arid.fromHex(str(o, "arid")));
    } else if (o.has("leaf")) {
      return Envelope.leaf(cbor(o.get("leaf")));
    } else if (o.has("textRepeat")) {
      JsonArray a = o.getAsJsonArray("textRepeat");
      return Envelope.of(a.get(0).getAsString().repeat(a.get(1).getAsInt()));
    } else if (o.has("bytesRepeat")) {
      return Envelope.ofBytes(new byte[o.get("bytesRepeat").getAsInt()]);
    } else if (o.has("assertion")) {
      JsonArray a = o.getAsJsonArray("assertion");
      return Envelope.assertion(envelope(a.get(0)), envelope(a.get(1)));
    } else if (o.has("wrap")) {
      return envelope(o.get("wrap")).wrap();
    } else if (o.has("elide")) {
      return envelope(o.get("elide")).elide();
    } else if (o.has("digestLeafOf")) {
      return Envelope.leaf(envelope(o.get("digestLeafOf")).digest().taggedCbor());
    } else if (o.has("subject")) {
      Envelope result = envelope(o.get("subject"));
      for (JsonElement a : o.getAsJsonArray("assertions")) {
        if (a.isJsonArray()) {
          result = result.addAssertion(envelope(a.getAsJsonArray().get(0)),
              envelope(a.getAsJsonArray().get(1)));
        } else {
          result = result.addAssertion(envelope(a));
        }
      }
      return result;
    }
    throw new IllegalArgumentException("unknown envelope expression " + o);
  }
}
