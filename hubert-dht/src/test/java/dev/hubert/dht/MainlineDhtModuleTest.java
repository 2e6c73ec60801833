package dev.hubert.dht;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dagger.BindsInstance;
import dagger.Component;
import dev.hubert.envelope.Arid;
import dev.hubert.envelope.Envelope;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Dagger module provides one started store per component, from the bound configuration. */
@Timeout(60)
class MainlineDhtModuleTest {
  @Singleton
  @Component(modules = MainlineDhtModule.class)
  interface TestComponent {
    MainlineDhtKv store();

    @Component.Factory
    interface Factory {
      TestComponent create(@BindsInstance MainlineDhtKv.Config config);
    }
  }

  @Test
  void componentProvidesAWorkingSingletonStore() {
    try (TestNodes net = new TestNodes(3)) {
      TestComponent component = DaggerMainlineDhtModuleTest_TestComponent.factory()
          .create(MainlineDhtKvTest.config(17).bootstrap(TestNodes.addresses(1, 3)).build());
      try (MainlineDhtKv kv = component.store()) {
        assertSame(kv, component.store());
        Arid arid = Arid.random();
        kv.blocking().put(arid, Envelope.of("from Dagger"));
        assertTrue(kv.blocking().get(arid, Duration.ofSeconds(10)).isPresent());
      }
    }
  }
}
