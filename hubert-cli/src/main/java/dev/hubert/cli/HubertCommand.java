package dev.hubert.cli;

import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
    footer = {
      "",
      "Any unique prefix of a command works (gen, p, c, s, d). Start with: hubert demo",
      "Differences from the Rust hubert 0.5.0: see the README, section \"The `hubert` command\"."
    })
final class HubertCommand implements Callable<Integer> {
  /** The subcommands, in help order (added by {@link Cli}, which may add only the one used). */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

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

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("generate", GenerateCommand.class);
    m.put("put", PutCommand.class);
    m.put("get", GetCommand.class);
    m.put("check", CheckCommand.class);
    m.put("server", ServerCommand.class);
    m.put("demo", DemoCommand.class);
    return Collections.unmodifiableMap(m);
  }

  @Override
  public Integer call() {
    return Usage.missingSubcommand(spec);
  }
}
