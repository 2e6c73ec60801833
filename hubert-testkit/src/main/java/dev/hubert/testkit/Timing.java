package dev.hubert.testkit;

import dev.hubert.api.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The kit's time budget. Every wait in the kit is bounded by one of these; none is a speed
 * requirement, only a guard against hangs and against gets that return too early or much too late.
 *
 * <ul>
 *   <li>{@link #missingTimeout()} (default 2 s): the timeout the kit passes to {@code get} for ARIDs
 *       that are missing, and the length of the TTLs it puts (or the declared TTL granularity, if
 *       longer).
 *   <li>{@link #slack()} (default 5 s): how much later than its timeout a {@code get} may complete
 *       (rule 3.2), how long {@code exists} may take, and how late after its TTL plus the declared
 *       granularity a value may vanish.
 *   <li>{@link #operationTimeout()} (default 60 s): the longest any other future may take before
 *       the kit calls it a hang (rule 5.3); also how long a reader polls for another party's write.
 * </ul>
 *
 * <p>A slow machine can raise them without code changes: a system property, or else an environment
 * variable, replaces whatever {@link KvStoreConformance#timing()} returns. The names are the
 * constants below (for example {@code -Dhubert.testkit.slackMillis=20000} or {@code
 * HUBERT_TESTKIT_SLACK_MILLIS=20000}); values are whole milliseconds.
 *
 * <p>Immutable.
 */
public final class Timing {
  /** System property replacing {@link #missingTimeout()}, in milliseconds. */
  public static final String MISSING_TIMEOUT_PROPERTY = "hubert.testkit.missingTimeoutMillis";
  /** Environment variable replacing {@link #missingTimeout()}, in milliseconds. */
  public static final String MISSING_TIMEOUT_ENV = "HUBERT_TESTKIT_MISSING_TIMEOUT_MILLIS";
  /** System property replacing {@link #slack()}, in milliseconds. */
  public static final String SLACK_PROPERTY = "hubert.testkit.slackMillis";
  /** Environment variable replacing {@link #slack()}, in milliseconds. */
  public static final String SLACK_ENV = "HUBERT_TESTKIT_SLACK_MILLIS";
  /** System property replacing {@link #operationTimeout()}, in milliseconds. */
  public static final String OPERATION_TIMEOUT_PROPERTY = "hubert.testkit.operationTimeoutMillis";
  /** Environment variable replacing {@link #operationTimeout()}, in milliseconds. */
  public static final String OPERATION_TIMEOUT_ENV = "HUBERT_TESTKIT_OPERATION_TIMEOUT_MILLIS";

  private static final Timing DEFAULTS =
      new Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60));

  private final Duration missingTimeout;
  private final Duration slack;
  private final Duration operationTimeout;

  private Timing(Duration missingTimeout, Duration slack, Duration operationTimeout) {
    this.missingTimeout = Checks.positive(missingTimeout, "missingTimeout");
    this.slack = Checks.nonNegative(slack, "slack");
    this.operationTimeout = Checks.positive(operationTimeout, "operationTimeout");
  }

  /** 2 s missing timeout, 5 s slack, 60 s operation timeout. */
  public static Timing defaults() {
    return DEFAULTS;
  }

  /**
   * The {@code get} timeout used for missing ARIDs, and the TTL of expiring puts (unless the
   * declared TTL granularity is longer).
   */
  public Duration missingTimeout() {
    return missingTimeout;
  }

  /** How much later than a deadline the store may answer. */
  public Duration slack() {
    return slack;
  }

  /** The longest any other single future may take. */
  public Duration operationTimeout() {
    return operationTimeout;
  }

  /**
   * Returns a copy with another missing timeout.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public Timing withMissingTimeout(Duration timeout) {
    return new Timing(timeout, slack, operationTimeout);
  }

  /**
   * Returns a copy with another slack.
   *
   * @throws IllegalArgumentException if {@code slack} is negative
   */
  public Timing withSlack(Duration slack) {
    return new Timing(missingTimeout, slack, operationTimeout);
  }

  /**
   * Returns a copy with another operation timeout.
   *
   * @throws IllegalArgumentException if {@code timeout} is not positive
   */
  public Timing withOperationTimeout(Duration timeout) {
    return new Timing(missingTimeout, slack, timeout);
  }

  /**
   * Returns a copy in which each value set by a system property, or else by an environment
   * variable, of this JVM replaces this one.
   *
   * @throws IllegalArgumentException if a value set there is not a whole number of milliseconds in
   *     range; the message names the property or variable
   */
  public Timing overriddenByEnvironment() {
    return overriddenBy(System::getProperty, System::getenv);
  }

  /**
   * Same as {@link #overriddenByEnvironment()}, reading from the given lookups (which return null
   * for unset names).
   */
  public Timing overriddenBy(
      UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
    Objects.requireNonNull(systemProperties, "systemProperties");
    Objects.requireNonNull(environment, "environment");
    return new Timing(
        read(MISSING_TIMEOUT_PROPERTY, MISSING_TIMEOUT_ENV, systemProperties, environment,
            missingTimeout, 1),
        read(SLACK_PROPERTY, SLACK_ENV, systemProperties, environment, slack, 0),
        read(OPERATION_TIMEOUT_PROPERTY, OPERATION_TIMEOUT_ENV, systemProperties, environment,
            operationTimeout, 1));
  }

  private static Duration read(String property, String env, UnaryOperator<String> properties,
      UnaryOperator<String> environment, Duration fallback, long min) {
    String name = property;
    String value = properties.apply(property);
    if (value == null || value.isBlank()) {
      name = env;
      value = environment.apply(env);
    }
    if (value == null || value.isBlank()) {
      return fallback;
    }
    long millis;
    try {
      millis = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number of milliseconds, got '" + value + "'", e);
    }
    if (millis < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + millis);
    }
    return Duration.ofMillis(millis);
  }


  @Override
  public boolean equals(Object o) {
    return o instanceof Timing
        && ((Timing) o).missingTimeout.equals(missingTimeout)
        && ((Timing) o).slack.equals(slack)
        && ((Timing) o).operationTimeout.equals(operationTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(missingTimeout, slack, operationTimeout);
  }

  @Override
  public String toString() {
    return "Timing{missingTimeout=" + missingTimeout.toMillis() + "ms, slack=" + slack.toMillis()
        + "ms, operationTimeout=" + operationTimeout.toMillis() + "ms}";
  }
}
