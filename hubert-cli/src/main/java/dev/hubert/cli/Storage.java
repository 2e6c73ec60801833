package dev.hubert.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The {@code --storage} values, spelled exactly as in the reference (case-sensitive). */
enum Storage {
  MAINLINE("mainline", "BitTorrent Mainline DHT (fast, ≤1 KB messages)"),
  IPFS("ipfs", "IPFS (large capacity, up to 10 MB messages)"),
  HYBRID("hybrid", "Hybrid (automatic: DHT for small, IPFS for large)"),
  SERVER("server", "Hubert HTTP server (centralized coordination)");

  final String cliName;
  final String help;

  Storage(String cliName, String help) {
    this.cliName = cliName;
    this.help = help;
  }

  boolean usesDht() {
    return this == MAINLINE || this == HYBRID;
  }

  boolean usesIpfs() {
    return this == IPFS || this == HYBRID;
  }

  @Override
  public String toString() {
    return cliName;
  }

  /** Parses a storage name; anything else is a usage error. */
  static final class Converter implements ITypeConverter<Storage> {
    @Override
    public Storage convert(String value) {
      for (Storage s : values()) {
        if (s.cliName.equals(value)) {
          return s;
        }
      }
      throw new TypeConversionException(
          "'" + value + "' is not a storage backend; possible values: mainline, ipfs, hybrid, server");
    }
  }

  /** The names, for help and shell completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (Storage s : values()) {
        names.add(s.cliName);
      }
      return names.iterator();
    }
  }
}
