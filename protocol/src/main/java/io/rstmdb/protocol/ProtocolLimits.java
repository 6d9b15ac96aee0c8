package io.rstmdb.protocol;

/** Fixed numbers of the RCP protocol shared by the server, the client and the CLI. */
public final class ProtocolLimits {

  /**
   * Largest payload (binary frame) or line (JSONL) in either direction; exactly 16 MiB is legal.
   */
  public static final int MAX_PAYLOAD = 16_777_216;

  /**
   * Payload limit the server applies before a session has authenticated, so an anonymous peer
   * cannot make it buffer 16 MiB. HELLO and AUTH fit easily.
   */
  public static final int PREAUTH_MAX_PAYLOAD = 65_536;

  /** Most operations one BATCH request may carry. */
  public static final int MAX_BATCH_OPS = 100;

  /** Deepest JSON nesting accepted in a request (the envelope object counts as level 1). */
  public static final int MAX_JSON_DEPTH = 64;

  /** The only protocol version: the frame header's version field and HELLO's protocol_version. */
  public static final int PROTOCOL_VERSION = 1;

  /** TCP port the server listens on unless configured otherwise. */
  public static final int DEFAULT_PORT = 7401;

  private ProtocolLimits() {}
}
