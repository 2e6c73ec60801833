package dev.hubert.server;

import java.util.function.UnaryOperator;

/** Test helper: a real server on an ephemeral loopback port. */
final class ServerFixture {
  private ServerFixture() {}

  static HubertServer start(Storage storage) {
    return start(storage, b -> b);
  }

  static HubertServer start(Storage storage, UnaryOperator<HubertServer.Builder> configure) {
    return configure.apply(HubertServer.builder().port(0).storage(storage)).build().start();
  }
}
