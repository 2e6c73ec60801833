package dev.hubert.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Usage outcomes that picocli does not produce by itself. */
final class Usage {
  private Usage() {}

  /** A command that needs a subcommand was given none: help on standard error, exit 2 (as clap). */
  static int missingSubcommand(CommandSpec spec) {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Cli.USAGE;
  }
}
