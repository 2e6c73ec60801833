package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The {@code ./hubert} launcher at the repository root, with the jar this build made. */
class LauncherIT {
  static final Path REPO = Path.of(System.getProperty("hubert.repo", ".."));

  @Test
  void runsTheJarAndKeepsAClassDataSharingArchive() throws IOException {
    Path launcher = REPO.resolve("hubert");
    assertTrue(Files.isExecutable(launcher), launcher + " is missing or not executable");
    List<String> cmd = List.of("env", "JAVA_HOME=" + System.getProperty("java.home"),
        launcher.toString(), "generate", "arid");
    HubertCli.Result first = HubertCli.exec(cmd, null, Duration.ofMinutes(3));
    assertEquals(0, first.exit, first::toString);
    assertTrue(first.out.matches("ur:arid/[a-z]{76}\n"), first::toString);
    assertEquals("", first.err);
    try (Stream<Path> files = Files.list(HubertCli.JAR.getParent())) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().matches("hubert-\\d+\\.jsa")),
          "no CDS archive next to the jar");
    }
    HubertCli.Result second = HubertCli.exec(cmd, null, Duration.ofMinutes(3));
    assertEquals(0, second.exit, second::toString);
    assertEquals("", second.err); // the archive is used silently
    HubertCli.Result version =
        HubertCli.exec(List.of("env", "JAVA_HOME=" + System.getProperty("java.home"),
            launcher.toString(), "--version"), null, Duration.ofMinutes(3));
    assertTrue(version.out.startsWith("hubert 0."), version::toString);
  }
}
