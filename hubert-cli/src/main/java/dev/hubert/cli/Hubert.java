package dev.hubert.cli;

import dev.hubert.api.VerboseLog;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code hubert} command. Exit status: 0 on success (and for {@code --help}/{@code
 * --version}); 1 when the command failed ({@code Error: <message>} on standard error); 2 when the
 * command line was wrong (picocli's message and a usage hint on standard error). Results and
 * verbose logs go to standard output, always UTF-8, as the reference prints them.
 */
public final class Hubert {
  private Hubert() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    PrintStream out = utf8(FileDescriptor.out);
    PrintStream err = utf8(FileDescriptor.err);
    System.setOut(out);
    System.setErr(err);
    VerboseLog.setOutput(out);
    int status = Cli.execute(args, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  private static PrintStream utf8(FileDescriptor fd) {
    return new PrintStream(new FileOutputStream(fd), true, StandardCharsets.UTF_8);
  }
}
