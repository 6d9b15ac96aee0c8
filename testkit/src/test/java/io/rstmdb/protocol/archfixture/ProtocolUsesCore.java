package io.rstmdb.protocol.archfixture;

import io.rstmdb.core.error.ErrorCode;

/** Violates rule 3 on purpose: the protocol reaching into the domain. */
public class ProtocolUsesCore {
  public String code() {
    return ErrorCode.BAD_REQUEST.name();
  }
}
