package dev.hubert.cli;

import dagger.Subcomponent;
import dev.hubert.ipfs.IpfsKv;
import dev.hubert.ipfs.IpfsModule;
import jakarta.inject.Singleton;

/**
 * The IPFS backend: hubert-ipfs's own {@link IpfsModule} (configured with the Kubo RPC URL and
 * {@code --pin}), in a subcomponent of {@link HubertComponent}.
 */
@Singleton
@Subcomponent(modules = IpfsModule.class)
interface IpfsBackend {
  IpfsKv store();

  @Subcomponent.Factory
  interface Factory {
    IpfsBackend create(IpfsModule configuration);
  }
}
