/**
 * Envelopes: {@link io.rstmdb.protocol.message.MessageCodec} parses requests and writes responses,
 * errors and events byte-compatibly with the reference server.
 */
package io.rstmdb.protocol.message;
