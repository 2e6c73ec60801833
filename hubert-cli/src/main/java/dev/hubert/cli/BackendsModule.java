package dev.hubert.cli;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.Multibinds;
import dev.hubert.api.KvStore;
import dev.hubert.dht.MainlineDhtKv;
import java.util.Map;

/**
 * Puts each backend's store into the component's map, keyed by its {@code --storage} name. The
 * backends' own Dagger modules build the stores; the bindings here only choose the key and map
 * the command line's {@link Endpoints} to each backend's configuration.
 */
@Module(subcomponents = MainlineBackend.class)
interface BackendsModule {
  /** The map of backends (declared, so a build without a backend still compiles). */
  @Multibinds
  Map<Storage, KvStore> stores();

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
