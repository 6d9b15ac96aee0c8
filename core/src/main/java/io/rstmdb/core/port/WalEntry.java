package io.rstmdb.core.port;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One logical WAL entry: its type tag (e.g. {@code apply_event}) and its JSON body, which is
 * exactly the object {@code WAL_READ} returns as {@code entry} (it includes the {@code "type"}
 * field). The body must not be modified once the entry is handed to {@link WalPort#append}.
 */
public record WalEntry(String type, ObjectNode body) {
  public WalEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(body, "body");
  }
}
