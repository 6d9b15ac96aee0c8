package io.rstmdb.protocol.frame;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;

/**
 * Installs and swaps the inbound/outbound codec pair of a connection. The handlers are always named
 * {@value #DECODER} and {@value #ENCODER} and sit at the front of the pipeline, right after a TLS
 * handler named {@value #TLS} when there is one.
 */
public final class WireCodecs {

  public static final String TLS = "tls";
  public static final String DECODER = "rcp-decoder";
  public static final String ENCODER = "rcp-encoder";

  private WireCodecs() {}

  /** Installs the codecs for {@code mode} with the protocol's 16 MiB limit. */
  public static void install(ChannelPipeline pipeline, WireMode mode) {
    install(pipeline, mode, ProtocolLimits.MAX_PAYLOAD);
  }

  /**
   * Installs the codecs for {@code mode}; inbound payloads are limited to {@code maxInbound} bytes,
   * outbound ones always to the protocol maximum.
   */
  public static void install(ChannelPipeline pipeline, WireMode mode, int maxInbound) {
    ChannelHandler decoder = newDecoder(mode, maxInbound);
    ChannelHandler encoder = newEncoder(mode);
    if (pipeline.get(TLS) != null) {
      pipeline.addAfter(TLS, DECODER, decoder);
      pipeline.addAfter(DECODER, ENCODER, encoder);
    } else {
      pipeline.addFirst(ENCODER, encoder);
      pipeline.addFirst(DECODER, decoder);
    }
  }

  /**
   * Switches a connection to {@code mode}. The encoder is swapped first, so anything written from
   * now on (the HELLO response included, decision 9) uses the new framing; then the decoder is
   * replaced, and bytes the old decoder had buffered but not yet decoded are handed to the new one.
   * The inbound payload limit carries over. Switching to the current mode changes nothing.
   */
  public static void switchMode(ChannelPipeline pipeline, WireMode mode) {
    ChannelHandler currentEncoder = pipeline.get(ENCODER);
    if (currentEncoder == null || modeOf(currentEncoder) != mode) {
      if (currentEncoder == null) {
        pipeline.addAfter(DECODER, ENCODER, newEncoder(mode));
      } else {
        pipeline.replace(ENCODER, ENCODER, newEncoder(mode));
      }
    }
    ChannelHandler currentDecoder = pipeline.get(DECODER);
    if (currentDecoder instanceof WireDecoder wire && wire.mode() == mode) {
      return;
    }
    int limit =
        currentDecoder instanceof WireDecoder wire ? wire.maxPayload() : ProtocolLimits.MAX_PAYLOAD;
    // replace() links the old handler to the new one before removing it, so
    // ByteToMessageDecoder.handlerRemoved forwards its leftover cumulation into the new decoder.
    pipeline.replace(DECODER, DECODER, newDecoder(mode, limit));
  }

  /** The mode of the decoder currently installed, or null when there is none. */
  public static WireMode currentMode(ChannelPipeline pipeline) {
    return pipeline.get(DECODER) instanceof WireDecoder wire ? wire.mode() : null;
  }

  /** Changes the inbound payload limit of the installed decoder (call on the event loop). */
  public static void setMaxInbound(ChannelPipeline pipeline, int bytes) {
    if (pipeline.get(DECODER) instanceof WireDecoder wire) {
      wire.setMaxPayload(bytes);
    }
  }

  static ChannelHandler newDecoder(WireMode mode, int maxPayload) {
    return mode == WireMode.JSONL ? new JsonlDecoder(maxPayload) : new FrameDecoder(maxPayload);
  }

  static ChannelHandler newEncoder(WireMode mode) {
    return mode == WireMode.JSONL ? new JsonlEncoder() : new FrameEncoder();
  }

  private static WireMode modeOf(ChannelHandler encoder) {
    return encoder instanceof JsonlEncoder ? WireMode.JSONL : WireMode.BINARY_JSON;
  }
}
