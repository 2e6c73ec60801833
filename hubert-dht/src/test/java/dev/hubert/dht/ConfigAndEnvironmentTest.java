package dev.hubert.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hubert.api.BackendUnavailableException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import lbms.plugins.mldht.kad.DHTConstants;
import org.junit.jupiter.api.Test;

/** Configuration checks, the locale guard, the logging bridge and the router-name override. */
class ConfigAndEnvironmentTest {
  @Test
  void defaultsAreThePublicDht() {
    MainlineDhtKv.Config c = MainlineDhtKv.config().build();
    assertEquals(MainlineDhtKv.PUBLIC_BOOTSTRAP, c.bootstrap());
    assertEquals(996, c.maxValueSize());
    assertTrue(c.requestThrottling());
    assertEquals(0, c.port());
    assertTrue(c.bindAddress().isEmpty());
    assertTrue(c.salt().isEmpty());
    assertEquals(Duration.ofSeconds(30), c.operationTimeout());
  }

  @Test
  void badSettingsSayWhatIsWrong() throws Exception {
    MainlineDhtKv.Config.Builder b = MainlineDhtKv.config();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.maxValueSize(997));
    assertTrue(e.getMessage().contains("1..996"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.maxValueSize(0));
    e = assertThrows(IllegalArgumentException.class, () -> b.salt(new byte[65]));
    assertTrue(e.getMessage().contains("64"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.salt(new byte[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.port(65536));
    assertThrows(IllegalArgumentException.class, () -> b.port(-1));
    assertThrows(IllegalArgumentException.class,
        () -> b.bindAddress(InetAddress.getByName("0.0.0.0")));
    assertThrows(IllegalArgumentException.class, () -> b.bindAddress(InetAddress.getByName("::1")));
    assertThrows(IllegalArgumentException.class,
        () -> b.bindAddress(InetAddress.getByName("224.0.0.1")));
    assertThrows(IllegalArgumentException.class,
        () -> b.bindAddress(InetAddress.getByName("255.255.255.255")));
    assertThrows(IllegalArgumentException.class, () -> b.operationTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.lookupTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class,
        () -> b.bootstrap(List.of(InetSocketAddress.createUnresolved("router.example", 0))));
    byte[] salt = {1, 2, 3};
    MainlineDhtKv.Config c = b.salt(salt).build();
    salt[0] = 9;
    assertEquals(1, c.salt().orElseThrow()[0], "the config keeps its own copy");
    assertEquals(c.toString(), c.toBuilder().build().toString());
  }

  @Test
  void anAddressThatIsNotOursFailsClearly() throws Exception {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> MainlineDhtKv.start(MainlineDhtKv.config()
            .bindAddress(InetAddress.getByName("203.0.113.7")).port(6881).bootstrap(List.of())
            .build()));
    assertTrue(e.getMessage().contains("203.0.113.7:6881"), e.getMessage());
  }

  /**
   * 198.51.100.200 sits on an interface that stays down (scripts/setup.d/10-netns.sh): it can be
   * bound, but mldht never binds it: start() fails at once with this message, not after a 10 s
   * wait for a socket.
   */
  @Test
  void anAddressOnAnInterfaceThatIsDownFailsAtOnce() throws Exception {
    InetAddress down = TestNodes.address(200);
    NetworkInterface nic = NetworkInterface.getByInetAddress(down);
    assertTrue(nic != null && !nic.isUp(), "198.51.100.200 must be on an interface that is down"
        + " (run scripts/setup.d/10-netns.sh start as root), found " + nic);
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> MainlineDhtKv.start(MainlineDhtKv.config().bindAddress(down).port(6881)
            .bootstrap(List.of()).build()));
    assertTrue(e.getMessage().contains("198.51.100.200: no network interface that is up has"
        + " this address"), e.getMessage());
  }

  /** mldht never binds a loopback address: refused at once, not after a 10 s wait in start(). */
  @Test
  void aLoopbackBindAddressIsRefusedAtOnceAndAPrivateOneAccepted() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MainlineDhtKv.config().bindAddress(InetAddress.getByName("127.0.0.1")));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> MainlineDhtKv.config().bindAddress(InetAddress.getByName("127.3.4.5")));
    // RFC 1918: mldht binds it (a node behind NAT), so the builder accepts it
    InetAddress nat = InetAddress.getByName("192.168.1.10");
    assertEquals(nat, MainlineDhtKv.config().bindAddress(nat).build().bindAddress().orElseThrow());
  }

  /** mldht lower-cases protocol names with the default locale; Turkish breaks it. */
  @Test
  void turkishDefaultLocaleIsRefusedWithAFix() {
    Locale previous = Locale.getDefault();
    Locale.setDefault(new Locale("tr", "TR"));
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> MainlineDhtKv.start(MainlineDhtKv.config().bootstrap(List.of()).build()));
      assertTrue(e.getMessage().contains("-Duser.language"), e.getMessage());
    } finally {
      Locale.setDefault(previous);
    }
    MldhtNode.checkLocale();
  }

  @Test
  void routinePeerErrorsAreNotWarnings() {
    assertTrue(MldhtLogging.isRoutinePeerError(
        "Error [301] from: /198.51.100.3:6881 Message: \"CAS failure\""));
    assertTrue(MldhtLogging.isRoutinePeerError("received non-response [x] in response to request"));
    assertFalse(MldhtLogging.isRoutinePeerError("No network interfaces eligible for DHT sockets"));
  }

  /** mldht's start() resolves its router names; they are replaced, IP literals need no DNS. */
  @Test
  void routerNamesAreReplacedByTheBootstrapList() {
    RouterNames.replaceWith(List.of(new InetSocketAddress("198.51.100.1", 6881)));
    for (InetSocketAddress a : DHTConstants.UNRESOLVED_BOOTSTRAP_NODES) {
      assertEquals("198.51.100.1", a.getHostString());
    }
    RouterNames.replaceWith(MainlineDhtKv.PUBLIC_BOOTSTRAP);
    assertEquals("router.bittorrent.com", DHTConstants.UNRESOLVED_BOOTSTRAP_NODES[0].getHostString());
  }
}
