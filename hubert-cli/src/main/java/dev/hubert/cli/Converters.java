package dev.hubert.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Argument converters: a bad value is a usage error (exit 2), as clap's value parsers make it. */
final class Converters {
  private Converters() {}

  /** A TCP port, 0–65535 (clap's u16). */
  static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) range(value, 0, 65535);
    }
  }

  /** Whole seconds, 0 or more (clap's u64). */
  static final class Seconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return range(value, 0, Long.MAX_VALUE / 1_000_000_000L);
    }
  }

  /** Whole seconds, 1 or more. */
  static final class PositiveSeconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return range(value, 1, Long.MAX_VALUE / 1_000_000_000L);
    }
  }

  /** An envelope size for {@code generate envelope}: 0 to 16 MiB. */
  static final class Size implements ITypeConverter<Integer> {
    static final int MAX = 16 << 20;

    @Override
    public Integer convert(String value) {
      return (int) range(value, 0, MAX);
    }
  }

  /**
   * An {@code http://} or {@code https://} URL with a host, without query or fragment, whose port
   * (if given) is 1–65535.
   */
  static final class HttpUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      URI uri;
      try {
        uri = new URI(value);
      } catch (URISyntaxException e) {
        throw new TypeConversionException("'" + value + "' is not a URL: " + e.getReason());
      }
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equals("http") || scheme.equals("https"))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new TypeConversionException(
            "'" + value + "' is not an http(s) URL like http://127.0.0.1:45678");
      }
      if (uri.getPort() == 0 || uri.getPort() > 65535) { // URI does not check the range
        throw new TypeConversionException(
            "'" + value + "': port " + uri.getPort() + " is not in 1..65535");
      }
      return uri;
    }
  }

  /** A DHT bootstrap node {@code host:port} (IPv6 as {@code [addr]:port}); not resolved here. */
  static final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      int colon = value.lastIndexOf(':');
      String host = colon > 0 ? value.substring(0, colon) : "";
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty() || colon == value.length() - 1) {
        throw new TypeConversionException(
            "'" + value + "' is not HOST:PORT (for example 198.51.100.1:6881)");
      }
      int port = (int) range(value.substring(colon + 1), 1, 65535);
      if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) { // an IP literal: no DNS lookup
        try {
          return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
          throw new TypeConversionException("'" + value + "': bad IP address " + host);
        }
      }
      return InetSocketAddress.createUnresolved(host, port);
    }
  }

  private static long range(String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a whole number");
    }
    if (n < min || n > max) {
      throw new TypeConversionException(value + " is not in " + min + ".." + max);
    }
    return n;
  }
}
