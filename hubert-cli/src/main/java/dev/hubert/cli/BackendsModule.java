package dev.hubert.cli;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.Multibinds;
import dev.hubert.api.KvStore;
import dev.hubert.dht.MainlineDhtKv;
import dev.hubert.ipfs.IpfsKv;
import dev.hubert.ipfs.IpfsModule;
import dev.hubert.server.ServerKv;
import java.util.Map;

/**
 * Puts each backend's store into the component's map, keyed by its {@code --storage} name. Each
 * backend's own Dagger module builds its store, inside a subcomponent of its own; the bindings
 * here only choose the key and turn the command line's {@link Endpoints} into the backend's
 * configuration.
 */
@Module(
    subcomponents = {
      ServerBackend.class,
      MainlineBackend.class,
      IpfsBackend.class,
      HybridBackend.class
    })
interface BackendsModule {
  /** The map of backends (declared, so it exists whichever backends are present). */
  @Multibinds
  Map<Storage, KvStore> stores();

  @Provides
  @IntoMap
  @StorageKey(Storage.SERVER)
  static KvStore server(ServerBackend.Factory backend, Endpoints endpoints) {
    return backend.create(ServerKv.Config.of(endpoints.server.toString())).store();
  }

  /** IPFS through the Kubo RPC URL given ({@code --port}/{@code --ipfs-url}; the reference ignored it). */
  @Provides
  @IntoMap
  @StorageKey(Storage.IPFS)
  static KvStore ipfs(IpfsBackend.Factory backend, Endpoints endpoints) {
    return backend.create(ipfsConfig(endpoints)).store();
  }

  /** DHT for small envelopes, IPFS (through the given RPC URL) for large ones. */
  @Provides
  @IntoMap
  @StorageKey(Storage.HYBRID)
  static KvStore hybrid(HybridBackend.Factory backend, Endpoints endpoints) {
    return new HybridStore(backend.create(mainlineConfig(endpoints), ipfsConfig(endpoints)));
  }

  static IpfsModule ipfsConfig(Endpoints endpoints) {
    return new IpfsModule(IpfsKv.builder().rpcUrl(endpoints.ipfs).pinContent(endpoints.pin));
  }

  @Provides
  @IntoMap
  @StorageKey(Storage.MAINLINE)
  static KvStore mainline(MainlineBackend.Factory backend, Endpoints endpoints) {
    return backend.create(mainlineConfig(endpoints)).store();
  }

  /**
   * The DHT node's configuration: the public bootstrap routers by default; with {@code
   * --bootstrap} the given nodes, taken to be a private network (mldht's per-IP throttles off,
   * as a handful of nodes would otherwise drop each other's requests).
   */
  static MainlineDhtKv.Config mainlineConfig(Endpoints endpoints) {
    MainlineDhtKv.Config.Builder config = MainlineDhtKv.config();
    if (!endpoints.bootstrap.isEmpty()) {
      config.bootstrap(endpoints.bootstrap).requestThrottling(false);
    }
    return config.build();
  }
}
