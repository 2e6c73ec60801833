package dev.hubert.cli;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where the backends live and how to use them, as given on the command line. Immutable; bound
 * into the Dagger component, from which each backend module takes what it needs.
 */
final class Endpoints {
  final URI server;
  final URI ipfs;
  /** DHT nodes to bootstrap from; empty means the backend's public defaults. */
  final List<InetSocketAddress> bootstrap;
  /** Pin IPFS content ({@code put --pin}). */
  final boolean pin;

  Endpoints(URI server, URI ipfs, List<InetSocketAddress> bootstrap, boolean pin) {
    this.server = Objects.requireNonNull(server, "server");
    this.ipfs = Objects.requireNonNull(ipfs, "ipfs");
    this.bootstrap = List.copyOf(bootstrap);
    this.pin = pin;
  }
}
