/**
 * RCP, the wire protocol of rstmdb: op names, error codes, wire modes and limits. This module
 * depends on Netty and Jackson only, never on the database core, so any client can use it.
 *
 * <ul>
 *   <li>{@link io.rstmdb.protocol.frame} — binary frame and JSONL codecs for Netty pipelines;
 *   <li>{@link io.rstmdb.protocol.message} — request/response/event envelopes and the JSON form the
 *       reference server writes;
 *   <li>{@link io.rstmdb.protocol.client} — an asynchronous, pipelining client.
 * </ul>
 */
package io.rstmdb.protocol;
