package io.rstmdb.beta.archfixture;

import io.rstmdb.alpha.archfixture.Alpha;

/** The other half of a deliberate module cycle (rule 6). */
public class Beta {
  public Alpha alpha() {
    return new Alpha();
  }
}
