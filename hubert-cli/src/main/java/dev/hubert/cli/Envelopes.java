package dev.hubert.cli;

import dev.hubert.envelope.Arid;
import dev.hubert.envelope.DecodeException;
import dev.hubert.envelope.Envelope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Reading and printing ARIDs and envelopes the way the command line spells them. */
final class Envelopes {
  /** The largest envelope accepted from a file or standard input: 64 MiB. */
  static final int MAX_INPUT = 64 << 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Envelopes() {}

  /** Parses {@code ur:arid/…}; anything else (hex ARIDs too) fails as in the reference. */
  static Arid parseArid(String text) {
    try {
      return Arid.fromUr(text);
    } catch (DecodeException | IllegalArgumentException e) {
      throw new CliException("Invalid ARID format. Expected ur:arid");
    }
  }

  /** Parses {@code ur:envelope/…}. */
  static Envelope parseEnvelope(String text) {
    try {
      return Envelope.fromUr(text);
    } catch (DecodeException | IllegalArgumentException e) {
      throw new CliException("Invalid envelope format. Expected ur:envelope");
    }
  }

  /**
   * The ENVELOPE argument of {@code put}: a {@code ur:envelope/…}, {@code @FILE} or {@code -}
   * (standard input). A file or standard input holds the UR text or the tagged CBOR bytes.
   */
  static Envelope readEnvelope(String argument, InputStream stdin) {
    if (argument.equals("-")) {
      return decode(read(stdin, "standard input"), "standard input");
    }
    if (argument.startsWith("@")) {
      if (argument.length() == 1) {
        throw new CliException("Cannot read envelope: @ needs a file name, as in @envelope.ur");
      }
      Path path = Path.of(argument.substring(1));
      try (InputStream in = Files.newInputStream(path)) {
        return decode(read(in, path.toString()), path.toString());
      } catch (NoSuchFileException e) {
        throw new CliException("Cannot read envelope: no such file: " + path);
      } catch (IOException e) {
        throw new CliException("Cannot read envelope from " + path + ": " + e.getMessage(), e);
      }
    }
    return parseEnvelope(argument);
  }

  private static byte[] read(InputStream in, String source) {
    try {
      byte[] data = in.readNBytes(MAX_INPUT + 1);
      if (data.length > MAX_INPUT) {
        throw new CliException(
            "Envelope in " + source + " is larger than " + MAX_INPUT + " bytes");
      }
      return data;
    } catch (IOException e) {
      throw new CliException("Cannot read envelope from " + source + ": " + e.getMessage(), e);
    }
  }

  private static Envelope decode(byte[] data, String source) {
    boolean cbor = data.length >= 2 && (data[0] & 0xff) == 0xd8 && (data[1] & 0xff) == 0xc8;
    try {
      return cbor
          ? Envelope.fromCborData(data)
          : Envelope.fromUr(new String(data, StandardCharsets.UTF_8).strip());
    } catch (DecodeException | IllegalArgumentException e) {
      throw new CliException(
          "Invalid envelope format in " + source
              + ". Expected ur:envelope text or tagged envelope CBOR: " + e.getMessage());
    }
  }

  /** The reference's test envelope: a byte-string subject of {@code size} random bytes. */
  static Envelope random(int size) {
    byte[] data = new byte[size];
    RANDOM.nextBytes(data);
    return Envelope.ofBytes(data);
  }

  /** The output formats of {@code get --format}. */
  enum Format {
    UR("ur"),
    NOTATION("notation"),
    CBOR_HEX("cbor-hex");

    final String cliName;

    Format(String cliName) {
      this.cliName = cliName;
    }

    String render(Envelope envelope) {
      switch (this) {
        case NOTATION:
          return envelope.format();
        case CBOR_HEX:
          return HexFormat.of().formatHex(envelope.toCborData());
        default:
          return envelope.urString();
      }
    }

    @Override
    public String toString() {
      return cliName;
    }

    static final class Converter implements picocli.CommandLine.ITypeConverter<Format> {
      @Override
      public Format convert(String value) {
        for (Format f : values()) {
          if (f.cliName.equals(value)) {
            return f;
          }
        }
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a format; possible values: ur, notation, cbor-hex");
      }
    }

    static final class Names implements Iterable<String> {
      @Override
      public java.util.Iterator<String> iterator() {
        return java.util.List.of("ur", "notation", "cbor-hex").iterator();
      }
    }
  }
}
