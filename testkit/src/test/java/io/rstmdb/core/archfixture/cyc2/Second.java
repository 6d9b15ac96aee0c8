package io.rstmdb.core.archfixture.cyc2;

import io.rstmdb.core.archfixture.cyc1.First;

/** The other half of a deliberate package cycle (rule 6). */
public class Second {
  public First back() {
    return new First();
  }
}
