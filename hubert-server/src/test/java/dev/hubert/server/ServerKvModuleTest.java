package dev.hubert.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dagger.BindsInstance;
import dagger.Component;
import dev.hubert.api.KvStore;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Dagger module gives a working {@link ServerKv} for the configuration it is handed. */
class ServerKvModuleTest {
  @Component(modules = ServerKvModule.class)
  interface TestComponent {
    KvStore kvStore();

    @Component.Factory
    interface Factory {
      TestComponent create(@BindsInstance ServerKv.Config config);
    }
  }

  @Test
  void providesAServerKvForTheConfig() {
    try (HubertServer server = ServerFixture.start(Storage.memory())) {
      ServerKv.Config config =
          ServerKv.Config.of(server.baseUrl()).withRequestTimeout(Duration.ofSeconds(7));
      try (KvStore store = DaggerServerKvModuleTest_TestComponent.factory().create(config).kvStore()) {
        ServerKv kv = assertInstanceOf(ServerKv.class, store);
        assertEquals(config, kv.config());
        Arid a = Arid.random();
        store.blocking().put(a, Envelope.of("via dagger"));
        assertEquals("via dagger", store.blocking().get(a, Duration.ZERO).orElseThrow().text().orElseThrow());
      }
    }
  }
}
