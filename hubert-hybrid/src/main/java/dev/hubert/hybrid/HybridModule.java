package dev.hubert.hybrid;

import dagger.Module;
import dagger.Provides;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.ipfs.IpfsKv;
import jakarta.inject.Singleton;

/**
 * Dagger module providing the {@link HybridKv} composed of the component's {@link MainlineDhtKv}
 * and {@link IpfsKv}; include it with the modules that provide those two (for example {@code
 * MainlineDhtModule} and {@code IpfsModule}). The hybrid store does not own them: whoever owns the
 * component closes the DHT and IPFS stores.
 */
@Module
public final class HybridModule {
  private HybridModule() {}

  /**
   * The hybrid store with the default threshold ({@value HybridKv#DEFAULT_DHT_LIMIT} bytes, or the
   * DHT store's largest value if smaller).
   */
  @Provides
  @Singleton
  static HybridKv hybridKv(MainlineDhtKv dht, IpfsKv ipfs) {
    return HybridKv.builder(dht, ipfs).build();
  }
}
