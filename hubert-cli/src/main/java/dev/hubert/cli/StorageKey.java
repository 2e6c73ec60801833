package dev.hubert.cli;

import dagger.MapKey;

/** Keys a backend's {@code KvStore} binding by its {@code --storage} name. */
@MapKey
@interface StorageKey {
  Storage value();
}
