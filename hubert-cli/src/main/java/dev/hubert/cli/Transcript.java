package dev.hubert.cli;

import java.io.PrintStream;
import java.util.Locale;

/** The demo's narration: one line per step, with the time since the start and who acted. */
final class Transcript {
  private final PrintStream out;
  private final long start = System.nanoTime();

  Transcript(PrintStream out) {
    this.out = out;
  }

  /** Prints {@code text} for {@code party}; continuation lines are indented under the text. */
  synchronized void say(String party, String text) {
    double seconds = (System.nanoTime() - start) / 1e9;
    String prefix = String.format(Locale.ROOT, "%6.2fs  %-12s ", seconds, party);
    String indent = " ".repeat(prefix.length());
    String[] lines = text.split("\n", -1);
    out.println(prefix + lines[0]);
    for (int i = 1; i < lines.length; i++) {
      out.println(indent + lines[i]);
    }
    out.flush();
  }

  /** Prints a line without time or party. */
  synchronized void plain(String text) {
    out.println(text);
    out.flush();
  }

  static String indentNotation(String notation) {
    return "    " + notation.replace("\n", "\n    ");
  }
}
