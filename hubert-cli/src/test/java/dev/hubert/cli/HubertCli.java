package dev.hubert.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built artifact, {@code target/hubert.jar}, as a separate process. */
final class HubertCli {
  static final Path JAR = Path.of(System.getProperty("hubert.jar", "target/hubert.jar"));
  static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  static final Duration DEFAULT_LIMIT = Duration.ofMinutes(3);

  private HubertCli() {}

  /** What a finished run printed and returned. */
  static final class Result {
    final int exit;
    final String out;
    final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A class-data-sharing archive of the jar, made once, as the launcher makes one. */
  private static Path archive;

  private static synchronized Path ensureArchive() throws IOException {
    if (archive != null) {
      return archive;
    }
    Path cds =
        JAR.resolveSibling("hubert-it-" + Files.getLastModifiedTime(JAR).toMillis() + ".jsa");
    if (Files.isRegularFile(cds)) {
      return archive = cds;
    }
    Path tmp = cds.resolveSibling(cds.getFileName() + ".tmp");
    List<String> cmd =
        List.of(JAVA.toString(), "-XX:ArchiveClassesAtExit=" + tmp, "-jar", JAR.toString(),
            "generate", "envelope", "8");
    Result r = exec(cmd, null, DEFAULT_LIMIT);
    assertTrue(r.exit == 0 && Files.isRegularFile(tmp), () -> "cannot make " + tmp + ": " + r);
    Files.move(tmp, cds, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return archive = cds;
  }

  static List<String> command(List<String> jvmArgs, String... args) {
    assertTrue(
        Files.isRegularFile(JAR),
        JAR + " is missing: the CLI tests run after `package` (failsafe, via mvn verify)");
    Path cds;
    try {
      cds = ensureArchive();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(JAVA.toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:SharedArchiveFile=" + cds);
    cmd.add("-Xlog:cds=off");
    cmd.add("-Xlog:cds+dynamic=off");
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  static Result run(String... args) {
    return run(null, List.of(), args);
  }

  static Result runWithStdin(String stdin, String... args) {
    return run(stdin, List.of(), args);
  }

  /** Runs {@code hubert args}, feeding {@code stdin} (or nothing), within a generous limit. */
  static Result run(String stdin, List<String> jvmArgs, String... args) {
    return exec(command(jvmArgs, args), stdin, DEFAULT_LIMIT);
  }

  static Result exec(List<String> cmd, String stdin, Duration limit) {
    try {
      File out = File.createTempFile("hubert-out", ".txt");
      File err = File.createTempFile("hubert-err", ".txt");
      File in = File.createTempFile("hubert-in", ".txt");
      try {
        Files.writeString(in.toPath(), stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err);
        pb.redirectInput(in);
        Process p = pb.start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          fail("hubert " + cmd + " did not finish within " + limit);
        }
        return new Result(
            p.exitValue(),
            Files.readString(out.toPath(), StandardCharsets.UTF_8),
            Files.readString(err.toPath(), StandardCharsets.UTF_8));
      } finally {
        out.delete();
        err.delete();
        in.delete();
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + cmd, e);
    }
  }
}
