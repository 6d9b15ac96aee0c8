/**
 * Framing: {@link io.rstmdb.protocol.frame.FrameDecoder}/{@link
 * io.rstmdb.protocol.frame.FrameEncoder} for binary RCPX frames, {@link
 * io.rstmdb.protocol.frame.JsonlDecoder}/{@link io.rstmdb.protocol.frame.JsonlEncoder} for JSONL,
 * and {@link io.rstmdb.protocol.frame.WireCodecs} to install and swap them. Decoders emit one
 * retained payload {@code ByteBuf} per message; every framing error is a {@link
 * io.rstmdb.protocol.frame.FrameException}.
 */
package io.rstmdb.protocol.frame;
