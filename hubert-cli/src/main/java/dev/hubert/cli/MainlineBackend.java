package dev.hubert.cli;

import dagger.BindsInstance;
import dagger.Subcomponent;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.dht.MainlineDhtModule;
import jakarta.inject.Singleton;

/**
 * The Mainline DHT backend: hubert-dht's own {@link MainlineDhtModule}, in a subcomponent of
 * {@link HubertComponent}. Building it starts an embedded DHT node; the command closes the store.
 */
@Singleton
@Subcomponent(modules = MainlineDhtModule.class)
interface MainlineBackend {
  MainlineDhtKv store();

  @Subcomponent.Factory
  interface Factory {
    MainlineBackend create(@BindsInstance MainlineDhtKv.Config config);
  }
}
