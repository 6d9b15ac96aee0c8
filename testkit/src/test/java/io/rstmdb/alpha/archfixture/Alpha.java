package io.rstmdb.alpha.archfixture;

import io.rstmdb.beta.archfixture.Beta;

/** Half of a deliberate module cycle (rule 6). */
public class Alpha {
  public Beta beta() {
    return new Beta();
  }
}
