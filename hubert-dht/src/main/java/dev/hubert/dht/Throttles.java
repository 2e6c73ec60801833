package dev.hubert.dht;

import java.lang.reflect.Field;
import java.net.InetAddress;
import lbms.plugins.mldht.kad.DHT;
import lbms.plugins.mldht.kad.RPCServer;
import lbms.plugins.mldht.kad.RPCServerManager;
import lbms.plugins.mldht.kad.SpamThrottle;

/**
 * Turns off mldht's per-IP spam throttles on one node: the inbound one (drops packets from an IP
 * after a burst of 10, decaying 2/s), the outbound one (delays requests to an IP by 500 ms per
 * excess request) and the lookup filter that skips "throttled" candidates. mldht has no setting
 * for this, so the private fields are replaced by reflection.
 *
 * <p>Only for private networks (a testnet, a benchmark), where a few nodes see all the traffic and
 * the throttles would drop and delay almost every request. Never on the public DHT.
 */
final class Throttles {
  private Throttles() {}

  /** A throttle that never throttles. */
  private static final class Off extends SpamThrottle {
    @Override
    public boolean addAndTest(InetAddress addr) {
      return false;
    }

    @Override
    public boolean test(InetAddress addr) {
      return false;
    }

    @Override
    public int calculateDelayAndAdd(InetAddress addr) {
      return 0;
    }

    @Override
    public int saturatingAdd(InetAddress addr) {
      return 0;
    }

    @Override
    public void saturatingDec(InetAddress addr) {}

    @Override
    public void decay() {}
  }

  /**
   * Replaces the throttles of {@code dht}'s server manager and of every server it has now. Call
   * after the server is running and before any traffic that should not be throttled.
   *
   * @throws IllegalStateException if this mldht build does not have the expected fields
   */
  static void disable(DHT dht) {
    SpamThrottle off = new Off();
    RPCServerManager manager = dht.getServerManager();
    set(RPCServerManager.class, manager, "outgoingThrottle", off);
    for (RPCServer server : manager.getAllServers()) {
      set(RPCServer.class, server, "throttle", off);
      set(RPCServer.class, server, "requestThrottle", off);
    }
  }

  private static void set(Class<?> type, Object target, String name, SpamThrottle value) {
    try {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      field.set(target, value);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot turn off mldht throttle " + type.getSimpleName() + "."
          + name + " (unexpected bt-dht version?)", e);
    }
  }
}
