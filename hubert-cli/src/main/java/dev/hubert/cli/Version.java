package dev.hubert.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code hubert <version>}: this project's version, and the reference it is compatible with. */
final class Version implements IVersionProvider {
  static final String VERSION = load();

  @Override
  public String[] getVersion() {
    return new String[] {"hubert " + VERSION + " (Java; wire-compatible with hubert 0.5.0)"};
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
