package dev.hubert.cli;

import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every command has: {@code -h/--help} and the global {@code -v/--verbose}, which may
 * stand before or after the subcommand (the value lands on the root command).
 */
final class Common {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Print help")
  private boolean help;

  @Option(
      names = {"-v", "--verbose"},
      description = "Enable verbose logging")
  private void setVerbose(boolean verbose) {
    if (verbose) { // picocli resets options to false when it parses each command
      root().verbose = true;
    }
  }

  private HubertCommand root() {
    return (HubertCommand) mixee.root().userObject();
  }

  boolean verbose() {
    return root().verbose;
  }

  /** Standard output (UTF-8): results and verbose logs. */
  PrintStream out() {
    return root().out;
  }

  /** Standard error: errors and the progress indicator. */
  PrintStream err() {
    return root().err;
  }
}
