package io.rstmdb.core.archfixture;

import dagger.Lazy;

/** Violates rule 4 on purpose: Dagger outside io.rstmdb.server.di. */
public class CoreUsesDagger {
  public Object get(Lazy<Object> lazy) {
    return lazy.get();
  }
}
