package dev.hubert.cli;

import dev.hubert.envelope.Arid;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "generate",
    description = "Generate a new ARID or example Envelope",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      GenerateCommand.AridCommand.class,
      GenerateCommand.EnvelopeCommand.class,
      GenerateCommand.CompletionCommand.class
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private Common common;

  @Override
  public Integer call() {
    return Usage.missingSubcommand(spec);
  }

  @Command(name = "arid", description = "Generate a new ARID")
  static final class AridCommand implements Callable<Integer> {
    @Mixin private Common common;

    @Override
    public Integer call() {
      common.out().println(Arid.random().urString());
      return 0;
    }
  }

  @Command(name = "envelope", description = "Generate a test envelope with random data")
  static final class EnvelopeCommand implements Callable<Integer> {
    @Mixin private Common common;

    @Parameters(
        paramLabel = "SIZE",
        converter = Converters.Size.class,
        description = "Number of random bytes to include in the envelope's subject (at most 16 MiB)")
    private int size;

    @Override
    public Integer call() {
      common.out().println(Envelopes.random(size).urString());
      return 0;
    }
  }

  @Command(
      name = "completion",
      description = {
        "Generate a bash/zsh completion script for hubert",
        "Use: source <(hubert generate completion)"
      })
  static final class CompletionCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;
    @Mixin private Common common;

    @Override
    public Integer call() {
      CommandLine full = Cli.commandLine(common.out(), common.err(), null);
      common.out().print(AutoComplete.bash("hubert", full));
      common.out().flush();
      return 0;
    }
  }
}
