package dev.hubert.dht;

import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.DHT.LogLevel;
import lbms.plugins.mldht.kad.DHTLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes mldht's JVM-global log (stdout by default) to SLF4J logger {@code dev.hubert.dht.mldht}.
 *
 * <p>mldht logs every error reply from a peer (a 301 "CAS failure" is how write-once works), and
 * every answer that arrives after its lookup ended, at its Error level; those are routine here and
 * go to DEBUG. Other Error
 * lines go to WARN, Fatal to ERROR, Info to DEBUG, Debug and Verbose to TRACE.
 */
final class MldhtLogging {
  private static final Logger LOG = LoggerFactory.getLogger("dev.hubert.dht.mldht");
  private static boolean installed;

  private MldhtLogging() {}

  /** Installs the bridge once per JVM; later calls do nothing. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    DHT.setLogger(new DHTLogger() {
      @Override
      public void log(String message, LogLevel level) {
        switch (level) {
          case Fatal:
            LOG.error(message);
            break;
          case Error:
            if (isRoutinePeerError(message)) {
              LOG.debug(message);
            } else {
              LOG.warn(message);
            }
            break;
          case Info:
            LOG.debug(message);
            break;
          default:
            LOG.trace(message);
        }
      }

      @Override
      public void log(Throwable t, LogLevel level) {
        if (level == LogLevel.Fatal) {
          LOG.error("mldht failure", t);
        } else if (level == LogLevel.Error) {
          LOG.warn("mldht error", t);
        } else {
          LOG.debug("mldht", t);
        }
      }
    });
    // mldht filters before calling the logger: let through what SLF4J would print
    DHT.setLogLevel(LOG.isTraceEnabled() ? LogLevel.Verbose
        : LOG.isDebugEnabled() ? LogLevel.Info
        : LogLevel.Error);
    installed = true;
  }

  /** Error replies and unmatched packets from remote nodes: normal traffic on a public DHT. */
  static boolean isRoutinePeerError(String message) {
    return message.startsWith("Error [")
        || message.startsWith("received non-response")
        || message.startsWith("not sure how to handle message") // a late answer to an ended lookup
        || message.startsWith("get response fingerprint mismatch")
        || message.startsWith("signature mismatch");
  }
}
