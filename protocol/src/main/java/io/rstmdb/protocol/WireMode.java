package io.rstmdb.protocol;

import java.util.Optional;

/** How messages are framed on a connection; negotiated by HELLO (wire.md §5, §6). */
public enum WireMode {
  /** 18-byte RCPX header + CRC-32C + JSON payload; every connection starts in this mode. */
  BINARY_JSON("binary_json"),
  /** One compact JSON message per {@code \n}-terminated line. */
  JSONL("jsonl");

  private final String wireName;

  WireMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in HELLO's {@code wire_modes} / {@code wire_mode} fields. */
  public String wireName() {
    return wireName;
  }

  /** Looks a mode up by its wire name (exact, case-sensitive). */
  public static Optional<WireMode> fromWireName(String name) {
    for (WireMode mode : values()) {
      if (mode.wireName.equals(name)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
