package dev.hubert.testkit;

import java.io.PrintStream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints why a rule was skipped on standard error, so build logs that show only counts (Maven's
 * "Skipped: 1") also say why and what to declare to check it. The configuration parameter {@value
 * #QUIET} set to {@code true} turns it off (the kit's self-tests run deliberately partial suites).
 */
final class SkipReasons implements TestWatcher {
  static final String QUIET = "hubert.testkit.quietSkips";

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    if (context.getConfigurationParameter(QUIET).map(Boolean::parseBoolean).orElse(false)) {
      return;
    }
    PrintStream err = System.err;
    err.println("hubert-testkit: SKIPPED " + context.getRequiredTestClass().getName() + "."
        + context.getDisplayName() + ": " + cause.getMessage());
  }
}
