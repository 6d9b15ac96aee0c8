package io.rstmdb.protocol.frame;

import io.rstmdb.protocol.WireMode;

/**
 * What the two inbound decoders have in common: both emit one retained payload {@code ByteBuf} per
 * message (the consumer releases it) and enforce an adjustable payload limit.
 */
public interface WireDecoder {

  /** The wire mode this decoder reads. */
  WireMode mode();

  /** Current payload limit in bytes. */
  int maxPayload();

  /**
   * Changes the payload limit for frames whose header has not been read yet. Call it on the
   * channel's event loop (the server raises the limit after AUTH).
   */
  void setMaxPayload(int bytes);
}
