package dev.hubert.envelope;

import static dev.hubert.envelope.Vectors.HEX;
import static dev.hubert.envelope.Vectors.hex;
import static dev.hubert.envelope.Vectors.rows;
import static dev.hubert.envelope.Vectors.str;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every vector of the specs (envelope-dcbor-ur.md, hubert-0.5.0.md §12) as one test each, read
 * from the JSON files under {@code src/test/resources/vectors}: one factory per file.
 */
class SpecVectorsTest {

  private static DynamicNode section(JsonObject file, String member,
      java.util.function.Function<JsonObject, Executable> test) {
    return dynamicContainer(member, rows(file, member)
        .map(row -> dynamicTest(id(row), test.apply(row))));
  }

  private static String id(JsonObject row) {
    String id = str(row, "id");
    return id != null ? id : str(row, "value") + " " + str(row, "name");
  }

  private static void assertDecodeFails(String expectedKind, Executable decode) {
    DecodeException e = assertThrows(DecodeException.class, decode);
    assertEquals(expectedKind, e.kind().name(), () -> "message: " + e.getMessage());
  }

  // ------------------------------------------------------------------ dCBOR

  @TestFactory
  Stream<DynamicNode> dcborValid() {
    JsonObject file = Vectors.load("dcbor-valid.json");
    return Stream.of(
        section(file, "valid", row -> () -> {
          Cbor built = Vectors.cbor(row.get("value"));
          byte[] expected = hex(str(row, "hex"));
          assertEquals(str(row, "hex"), HEX.formatHex(built.toByteArray()), "encoding");
          Cbor decoded = Cbor.decode(expected);
          assertEquals(built, decoded, "decoded value");
          assertArrayEquals(expected, decoded.toByteArray(), "re-encoding");
        }),
        section(file, "decodeOnly", row -> () -> {
          Cbor decoded = Cbor.decode(hex(str(row, "hex")));
          assertEquals(str(row, "diagnostic"), decoded.diagnostic());
          assertEquals(str(row, "hex"), HEX.formatHex(decoded.toByteArray()), "re-encoding");
        }));
  }

  @TestFactory
  Stream<DynamicNode> dcborInvalid() {
    JsonObject file = Vectors.load("dcbor-invalid.json");
    return Stream.of(
        section(file, "invalid", row -> () ->
            assertDecodeFails(str(row, "kind"), () -> Cbor.decode(Vectors.rowBytes(row)))),
        section(file, "validDeep", row -> () -> {
          byte[] data = Vectors.rowBytes(row);
          assertArrayEquals(data, Cbor.decode(data).toByteArray());
        }));
  }

  // ------------------------------------------------------------------ envelopes

  @TestFactory
  Stream<DynamicNode> envelopes() {
    JsonObject file = Vectors.load("envelopes.json");
    return Stream.of(
        section(file, "envelopes", row -> () -> {
          Envelope e = Vectors.envelope(row.get("build"));
          String hex = str(row, "hex");
          assertEquals(hex, HEX.formatHex(e.toCborData()), "tagged CBOR");
          assertEquals(hex.substring(4), HEX.formatHex(e.untaggedCbor().toByteArray()));
          Envelope decoded = Envelope.fromCborData(hex(hex));
          assertTrue(decoded.isIdenticalTo(e), "decodes to an identical envelope");
          assertEquals(e, decoded);
          assertEquals(e.hashCode(), decoded.hashCode());
          checkOptional(row, "digest", d -> assertEquals(d, e.digest().hex(), "digest"));
          checkOptional(row, "predicateDigest", d -> assertEquals(d, e.predicate().digest().hex()));
          checkOptional(row, "objectDigest", d -> assertEquals(d, e.object().digest().hex()));
          if (row.has("assertionDigests")) {
            List<String> expected = row.getAsJsonArray("assertionDigests").asList().stream()
                    .map(JsonElement::getAsString).collect(Collectors.toList());
            List<Envelope> actual = e.assertions();
            assertEquals(expected.size(), actual.size(), "assertion count");
            for (int i = 0; i < expected.size(); i++) {
              assertTrue(actual.get(i).digest().hex().startsWith(expected.get(i)),
                  "assertion " + i + " digest " + actual.get(i).digest().hex());
            }
          }
          checkOptional(row, "ur", ur -> {
            assertEquals(ur, e.urString(), "UR");
            assertEquals(12 + 2 * (hex.length() / 2 + 2), ur.length(), "UR length rule (§6.2)");
            assertTrue(Envelope.fromUr(ur).isIdenticalTo(e), "UR decodes identically");
            assertTrue(Envelope.fromUr(ur.toUpperCase(java.util.Locale.ROOT)).isIdenticalTo(e),
                "upper-case UR decodes identically");
          });
          checkOptional(row, "format", f -> assertEquals(f, e.format(), "format()"));
          checkOptional(row, "formatFlat", f -> assertEquals(f, e.formatFlat(), "formatFlat()"));
          if (row.has("size")) {
            assertEquals(row.get("size").getAsInt(), e.toCborData().length, "size");
          }
        }),
        section(file, "decodes", row -> () -> {
          Envelope decoded = Envelope.fromCborData(hex(str(row, "hex")));
          assertEquals(str(row, "reencoded"), HEX.formatHex(decoded.toCborData()), "re-encoding");
          checkOptional(row, "digest", d -> assertEquals(d, decoded.digest().hex(), "digest"));
          checkOptional(row, "format", f -> assertEquals(f, decoded.format(), "format()"));
          if (row.has("equals")) {
            assertEquals(Vectors.envelope(row.get("equals")), decoded);
          }
          if (row.has("equivalentTo")) {
            Envelope other = Vectors.envelope(row.get("equivalentTo"));
            assertTrue(decoded.isEquivalentTo(other), "same digest");
            assertFalse(decoded.isIdenticalTo(other), "but not identical");
            assertFalse(decoded.equals(other), "equals is identity, not digest");
          }
        }),
        section(file, "invalid", row -> () -> assertDecodeFails(str(row, "kind"),
            () -> Envelope.fromCborData(hex(str(row, "hex"))))));
  }

  private static void checkOptional(JsonObject row, String key,
      java.util.function.Consumer<String> check) {
    Optional.ofNullable(str(row, key)).ifPresent(check);
  }

  @TestFactory
  Stream<DynamicNode> sizes() {
    JsonObject file = Vectors.load("sizes.json");
    return Stream.of(section(file, "sizes", row -> () -> {
      Envelope e = Vectors.envelope(row.get("build"));
      assertEquals(row.get("size").getAsInt(), e.toCborData().length, "tagged size");
      assertEquals(e, Envelope.fromCborData(e.toCborData()));
    }));
  }

  @TestFactory
  Stream<DynamicNode> notation() {
    JsonObject file = Vectors.load("notation.json");
    return Stream.of(section(file, "notation", row -> () -> {
      Envelope e = Vectors.envelope(row.get("build"));
      checkOptional(row, "format", f -> assertEquals(f, e.format(), "format()"));
      checkOptional(row, "formatFlat", f -> assertEquals(f, e.formatFlat(), "formatFlat()"));
      checkOptional(row, "formatFlat", f -> assertEquals(f, e.toString(), "toString()"));
      assertTrue(row.has("format") || row.has("formatFlat"), "row checks something");
    }));
  }

  // ------------------------------------------------------------------ known values

  @TestFactory
  Stream<DynamicNode> knownValues() {
    JsonObject file = Vectors.load("known-values.json");
    Stream<DynamicNode> table = Stream.of(section(file, "knownValues", row -> () -> {
      KnownValue kv = KnownValue.of(Long.parseUnsignedLong(str(row, "value")));
      assertEquals(Optional.ofNullable(str(row, "name")), kv.name(), "name");
      assertEquals(str(row, "text"), kv.toString(), "text");
      assertEquals(str(row, "taggedHex"), HEX.formatHex(kv.taggedCbor().toByteArray()));
      checkOptional(row, "digest", d -> {
        assertEquals(d, kv.digest().hex(), "digest");
        assertEquals(d, Envelope.of(kv).digest().hex(), "envelope digest");
        assertEquals(d, Envelope.leaf(kv.taggedCbor()).digest().hex(), "0.39 leaf form digest");
      });
      assertEquals(kv, KnownValue.fromTaggedCbor(Cbor.decode(hex(str(row, "taggedHex")))));
    }));
    String tsv = readResource("/vectors/" + str(file, "registryFile"));
    List<String> lines = tsv.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    Stream<DynamicNode> registry = Stream.of(dynamicContainer("registry",
        lines.stream().map(line -> {
          String[] f = line.split("\t", -1);
          return dynamicTest(f[0] + " " + f[1] + " '" + f[2] + "'", () -> {
            KnownValue kv = KnownValue.of(Long.parseLong(f[0]));
            assertEquals(Optional.of(f[2]), kv.name());
            assertEquals(kv, KnownValue.class.getField(f[1]).get(null), "constant " + f[1]);
          });
        })));
    Stream<DynamicNode> count = Stream.of(dynamicTest("registry has exactly the listed "
        + lines.size() + " values", () -> assertEquals(lines.size(), KnownValue.registry().size())));
    return Stream.of(table, registry, count).flatMap(s -> s);
  }

  private static String readResource(String path) {
    try (var in = SpecVectorsTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ ARID, UR

  @TestFactory
  Stream<DynamicNode> urs() {
    JsonObject file = Vectors.load("urs.json");
    return Stream.of(
        section(file, "arids", row -> () -> {
          Arid arid = Arid.fromHex(str(row, "hex"));
          String ur = str(row, "ur");
          assertEquals(ur, arid.urString());
          assertEquals(84, ur.length());
          assertTrue(ur.startsWith("ur:arid/hdcx"));
          assertEquals(arid, Arid.fromUr(ur));
          assertEquals(arid, Arid.fromUr(ur.toUpperCase(java.util.Locale.ROOT)));
          assertEquals("d99c4c5820" + str(row, "hex"), HEX.formatHex(arid.taggedCbor().toByteArray()));
          assertEquals(arid, Arid.fromTaggedCbor(arid.taggedCbor()));
          Ur parsed = Ur.parse(ur);
          assertEquals("arid", parsed.type());
          assertEquals("5820" + str(row, "hex"), HEX.formatHex(parsed.cborData()));
        }),
        section(file, "encode", row -> () -> {
          byte[] payload = hex(str(row, "payloadHex"));
          assertEquals(str(row, "ur"), Ur.encode(str(row, "type"), payload));
          Ur parsed = Ur.parse(str(row, "ur"));
          assertEquals(str(row, "type"), parsed.type());
          assertArrayEquals(payload, parsed.cborData());
          assertEquals(str(row, "ur"), parsed.toString());
        }),
        section(file, "parse", row -> () -> {
          Ur parsed = Ur.parse(str(row, "ur"));
          assertEquals(str(row, "type"), parsed.type());
          assertEquals(str(row, "payloadHex"), HEX.formatHex(parsed.cborData()));
          assertEquals(Cbor.decode(hex(str(row, "payloadHex"))), parsed.cbor());
        }),
        section(file, "bytewords", row -> () -> {
          byte[] data = hex(str(row, "hex"));
          assertEquals(str(row, "minimal"), Ur.bytewordsMinimal(data));
          assertEquals(str(row, "standard"), Bytewords.standard(data));
          assertArrayEquals(data, Bytewords.decodeMinimal(str(row, "minimal")));
        }),
        section(file, "crc32", row -> () -> {
          byte[] data = row.has("text") ? str(row, "text").getBytes(StandardCharsets.UTF_8)
              : hex(str(row, "hex"));
          assertEquals(str(row, "crc"), HEX.formatHex(Bytewords.crc32(data)));
        }),
        section(file, "invalid", row -> () -> {
          DecodeException e = assertThrows(DecodeException.class, () -> Ur.parse(str(row, "ur")));
          assertEquals(str(row, "kind"), e.kind().name(), e.getMessage());
          assertTrue(e.getMessage().contains(str(row, "message")), e.getMessage());
        }),
        section(file, "aridInvalid", row -> () ->
            assertDecodeFails(str(row, "kind"), () -> Arid.fromUr(str(row, "ur")))),
        section(file, "envelopeInvalid", row -> () ->
            assertDecodeFails(str(row, "kind"), () -> Envelope.fromUr(str(row, "ur")))));
  }

  @TestFactory
  Stream<DynamicNode> decodedUrs() {
    JsonObject file = Vectors.load("urs-decoded.json");
    return Stream.of(section(file, "urs", row -> () -> {
      String ur = str(row, "ur");
      Envelope e = Envelope.fromUr(ur);
      assertEquals(str(row, "payloadHex"), HEX.formatHex(e.untaggedCbor().toByteArray()));
      assertEquals("envelope", Ur.parse(ur).type());
      assertTrue(e.digest().hex().startsWith(str(row, "digest")), e.digest().hex());
      assertEquals(str(row, "format"), e.format());
      assertEquals(ur, e.urString(), "re-encodes to the same UR");
      if (row.has("size")) {
        assertEquals(row.get("size").getAsInt(), e.toCborData().length);
      }
    }));
  }
}
