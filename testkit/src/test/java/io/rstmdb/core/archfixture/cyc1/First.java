package io.rstmdb.core.archfixture.cyc1;

import io.rstmdb.core.archfixture.cyc2.Second;

/** Half of a deliberate package cycle (rule 6). */
public class First {
  public Second next() {
    return new Second();
  }
}
