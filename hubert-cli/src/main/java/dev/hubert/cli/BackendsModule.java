package dev.hubert.cli;

import dagger.Module;
import dagger.multibindings.Multibinds;
import dev.hubert.api.KvStore;
import java.util.Map;

/**
 * Puts each backend's store into the component's map, keyed by its {@code --storage} name. The
 * backends' own Dagger modules build the stores; the bindings here only choose the key and map
 * the command line's {@link Endpoints} to each backend's configuration.
 */
@Module
interface BackendsModule {
  /** The map of backends (declared, so a build without a backend still compiles). */
  @Multibinds
  Map<Storage, KvStore> stores();
}
