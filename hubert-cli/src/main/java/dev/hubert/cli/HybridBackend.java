package dev.hubert.cli;

import dagger.BindsInstance;
import dagger.Subcomponent;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.dht.MainlineDhtModule;
import dev.hubert.hybrid.HybridKv;
import dev.hubert.hybrid.HybridModule;
import dev.hubert.ipfs.IpfsKv;
import dev.hubert.ipfs.IpfsModule;

/**
 * The hybrid backend: hubert-hybrid's {@link HybridModule} over the DHT and IPFS modules, in a
 * subcomponent of {@link HubertComponent}. {@code HybridKv} does not own its two stores, so the
 * command closes all three.
 */
@jakarta.inject.Singleton
@javax.inject.Singleton
@Subcomponent(modules = {HybridModule.class, MainlineDhtModule.class, IpfsModule.class})
interface HybridBackend {
  HybridKv store();

  MainlineDhtKv dht();

  IpfsKv ipfs();

  @Subcomponent.Factory
  interface Factory {
    HybridBackend create(@BindsInstance MainlineDhtKv.Config dht, IpfsModule ipfs);
  }
}
