package dev.hubert.cli;

import dev.hubert.api.HubertException;
import java.io.PrintStream;
import java.io.PrintWriter;
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
    return commandLine(out, err).execute(args);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new HubertCommand(out, err));
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
