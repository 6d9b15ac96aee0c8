package io.rstmdb.core.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.MachineView;
import io.rstmdb.core.definition.MachineDefinition;
import java.util.Objects;

/**
 * A stored machine version: the compiled definition, the definition exactly as the client sent it
 * (what the WAL and snapshots keep) and its checksum.
 */
public record MachineRecord(
    MachineKey key, MachineDefinition definition, JsonNode received, String checksum) {

  public MachineRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(received, "received");
    Objects.requireNonNull(checksum, "checksum");
  }

  public MachineView view() {
    return new MachineView(key.name(), key.version(), definition.normalized(), checksum);
  }
}
