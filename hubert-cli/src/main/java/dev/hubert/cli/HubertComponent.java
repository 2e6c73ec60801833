package dev.hubert.cli;

import dagger.BindsInstance;
import dagger.Component;
import dev.hubert.api.KvStore;
import java.util.Map;
import jakarta.inject.Provider;

/**
 * The one Dagger component of the command: every backend contributes its store through its own
 * module; a command asks for the one it was told to use, and only that one is constructed.
 */
@Component(modules = BackendsModule.class)
interface HubertComponent {
  /** The backends, by storage name; each value builds its store when asked. */
  Map<Storage, Provider<KvStore>> stores();

  /** The DHT backend itself, for {@code check}, which needs more than a {@code KvStore}. */
  MainlineBackend.Factory mainline();

  @Component.Factory
  interface Factory {
    HubertComponent create(@BindsInstance Endpoints endpoints);
  }

  /**
   * Builds the store for {@code storage} at {@code endpoints}.
   *
   * @throws CliException if this build has no such backend
   */
  static KvStore open(Storage storage, Endpoints endpoints) {
    Provider<KvStore> store = create(endpoints).stores().get(storage);
    if (store == null) {
      throw new CliException("--storage " + storage + " is not available in this build");
    }
    return store.get();
  }

  static HubertComponent create(Endpoints endpoints) {
    return DaggerHubertComponent.factory().create(endpoints);
  }
}
