package dev.hubert.ipfs;

import dagger.Module;
import dagger.Provides;
import java.util.Objects;
import jakarta.inject.Singleton;

/**
 * Dagger module providing the {@link IpfsKv} of one configuration, as a singleton of the
 * component. Include it with the configuration to use:
 *
 * <pre>{@code
 * @Singleton @Component(modules = IpfsModule.class)
 * interface Stores { IpfsKv ipfs(); }
 *
 * Stores stores = DaggerStores.builder()
 *     .ipfsModule(new IpfsModule(IpfsKv.builder().rpcUrl("http://127.0.0.1:5001").pinContent(true)))
 *     .build();
 * }</pre>
 *
 * <p>The component's owner closes the store.
 */
@Module
public final class IpfsModule {
  private final IpfsKv.Builder configuration;

  /** The store of {@code configuration}; later changes to the builder are not seen. */
  public IpfsModule(IpfsKv.Builder configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration").copy();
  }

  /** The store with {@link IpfsKv#builder()}'s defaults (Kubo at {@code http://127.0.0.1:5001}). */
  public IpfsModule() {
    this(IpfsKv.builder());
  }

  @Provides
  @Singleton
  IpfsKv ipfsKv() {
    return configuration.build();
  }
}
