package io.rstmdb.core.archfixture;

import javax.inject.Inject;

/** Violates rule 4 on purpose: field injection. */
public class FieldInjected {
  @Inject Object dependency;
}
