package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hubert.envelope.Arid;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerKvConfigTest {
  @Test
  void defaultsAreTheReferenceServer() {
    ServerKv.Config c = ServerKv.Config.defaults();
    assertEquals("http://127.0.0.1:45678", c.baseUrl());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.requestTimeout());
    assertEquals(c, ServerKv.Config.of("127.0.0.1", 45678));
    assertEquals(c, ServerKv.Config.of("http://127.0.0.1:45678/"));
    assertEquals("http://[::1]:1", ServerKv.Config.of("::1", 1).baseUrl());
  }

  @Test
  void withersCopyAndValidate() {
    ServerKv.Config c = ServerKv.Config.defaults();
    ServerKv.Config d = c.withRequestTimeout(Duration.ofSeconds(5));
    assertEquals(Duration.ofSeconds(5), d.requestTimeout());
    assertEquals(Duration.ofSeconds(30), c.requestTimeout());
    assertNotEquals(c, d);
    assertThrows(IllegalArgumentException.class, () -> c.withRequestTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> c.withConnectTimeout(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> c.withConnectTimeout(null));
  }

  /** Timeouts over 100 years are cut to 100 years, and a client with them works. */
  @Test
  void hugeTimeoutsAreCutTo100Years() throws Exception {
    Duration centuries = Duration.ofDays(36_525);
    ServerKv.Config c =
        ServerKv.Config.defaults()
            .withRequestTimeout(Duration.ofDays(365L * 1000))
            .withConnectTimeout(Duration.ofSeconds(Long.MAX_VALUE));
    assertEquals(centuries, c.requestTimeout());
    assertEquals(centuries, c.connectTimeout());
    assertEquals(centuries, c.withRequestTimeout(centuries).requestTimeout());
    try (HubertServer server = ServerFixture.start(Storage.memory());
        ServerKv kv =
        ServerKv.create(ServerKv.Config.of("127.0.0.1", server.port())
            .withRequestTimeout(Duration.ofDays(365L * 300)))) {
      assertEquals(false, kv.exists(Arid.random()).get(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void badUrlsAreRefusedWithAClearMessage() {
    for (String bad : new String[] {"", "127.0.0.1:45678", "ftp://x:1", "http://", "http://a b"}) {
      IllegalArgumentException x =
          assertThrows(IllegalArgumentException.class, () -> ServerKv.Config.of(bad), bad);
      assertEquals(true, x.getMessage().contains(bad.isEmpty() ? "http://127.0.0.1:45678" : bad), x.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ServerKv.Config.of("h", 0));
  }

  @Test
  void portsOutsideTheTcpRangeAreRefused() {
    for (String bad : new String[] {"http://127.0.0.1:99999", "http://127.0.0.1:65536", "http://h:0/"}) {
      IllegalArgumentException x =
          assertThrows(IllegalArgumentException.class, () -> ServerKv.Config.of(bad), bad);
      assertEquals(true, x.getMessage().contains("1..65535"), x.getMessage());
    }
    assertEquals("http://h:65535", ServerKv.Config.of("http://h:65535").baseUrl());
    assertEquals("http://h", ServerKv.Config.of("http://h").baseUrl());
  }
}
