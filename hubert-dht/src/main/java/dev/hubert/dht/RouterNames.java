package dev.hubert.dht;

import java.net.InetSocketAddress;
import java.util.List;
import lbms.plugins.mldht.kad.DHTConstants;

/**
 * Keeps mldht from resolving its four hard-coded router names. {@code DHT.start()} always looks
 * them up (even with router bootstrap off, which hubert always uses), so the JVM-global array is
 * overwritten with the store's own bootstrap nodes: IP literals are not looked up, and names the
 * user chose would be looked up by hubert anyway.
 *
 * <p>JVM-global: another mldht user in the same JVM that relies on mldht's router bootstrap would
 * bootstrap from the last list set here.
 */
final class RouterNames {
  private RouterNames() {}

  static void replaceWith(List<InetSocketAddress> bootstrapNodes) {
    InetSocketAddress[] slots = DHTConstants.UNRESOLVED_BOOTSTRAP_NODES;
    synchronized (slots) {
      for (int i = 0; i < slots.length; i++) {
        slots[i] = bootstrapNodes.isEmpty()
            ? InetSocketAddress.createUnresolved("127.0.0.1", 6881) // a literal: no lookup
            : unresolved(bootstrapNodes.get(i % bootstrapNodes.size()));
      }
    }
  }

  private static InetSocketAddress unresolved(InetSocketAddress node) {
    String host = node.isUnresolved() ? node.getHostString() : node.getAddress().getHostAddress();
    return InetSocketAddress.createUnresolved(host, node.getPort());
  }
}
