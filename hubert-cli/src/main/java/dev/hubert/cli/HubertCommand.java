package dev.hubert.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "hubert",
    description = "Hubert: Distributed substrate for multiparty transactions",
    versionProvider = Version.class,
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      GenerateCommand.class,
      PutCommand.class,
      GetCommand.class,
      CheckCommand.class,
      ServerCommand.class,
      DemoCommand.class,
    },
    footer = {
      "",
      "Any unique prefix of a command works (gen, p, c, s, d). Start with: hubert demo",
      "Differences from the Rust hubert 0.5.0: see the README (section CLI)."
    })
final class HubertCommand implements Callable<Integer> {
  final PrintStream out;
  final PrintStream err;
  boolean verbose;

  @Spec private CommandSpec spec;
  @Mixin private Common common;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version")
  private boolean version;

  HubertCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    return Usage.missingSubcommand(spec);
  }
}
