package dev.hubert.cli;

import dev.hubert.api.HubertException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Builds the picocli command tree and maps outcomes to the reference's streams and exit codes. */
final class Cli {
  static final int ERROR = 1;
  static final int USAGE = 2;

  private Cli() {}

  /** Runs {@code args}; returns the exit status. */
  static int execute(String[] args, PrintStream out, PrintStream err) {
    return commandLine(out, err, chosen(args)).execute(args);
  }

  /**
   * The command tree. With {@code only} set, the root gets just that subcommand: picocli builds
   * its model by reflection, and skipping the others makes every run start faster. Root help and
   * mistakes in the command name get the full tree.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err, String only) {
    CommandLine cl = new CommandLine(new HubertCommand(out, err));
    for (Map.Entry<String, Class<?>> e : HubertCommand.SUBCOMMANDS.entrySet()) {
      if (only == null || only.equals(e.getKey())) {
        cl.addSubcommand(e.getValue());
      }
    }
    cl.setAbbreviatedSubcommandsAllowed(true); // clap's infer_subcommands: unique prefixes
    cl.setUsageHelpWidth(100);
    cl.setExpandAtFiles(false); // @FILE is put's envelope file, not an argument file
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof CliException || ex instanceof HubertException) {
            err.println("Error: " + ex.getMessage());
          } else { // a bug: say so, with the trace
            err.println("Error: internal error, please report it: " + ex);
            ex.printStackTrace(err);
          }
          return ERROR;
        });
    cl.setParameterExceptionHandler(Cli::usageError);
    return cl;
  }

  /**
   * The subcommand the arguments name: the first argument that is not an option (the root's
   * options take no value), spelled in full or as a unique prefix; otherwise null.
   */
  static String chosen(String[] args) {
    for (String a : args) {
      if (a.startsWith("-")) {
        continue;
      }
      String match = null;
      for (String name : HubertCommand.SUBCOMMANDS.keySet()) {
        if (name.equals(a)) {
          return name;
        }
        if (name.startsWith(a)) {
          if (match != null) {
            return null; // ambiguous: picocli says so with the full tree
          }
          match = name;
        }
      }
      return match;
    }
    return null;
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message = String.valueOf(ex.getMessage());
    err.println("error: " + (message.startsWith("Error: ") ? message.substring(7) : message));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println();
    err.print(cmd.getHelp().fullSynopsis());
    err.println();
    err.println("For more information, try '--help'.");
    err.flush();
    return USAGE;
  }
}
