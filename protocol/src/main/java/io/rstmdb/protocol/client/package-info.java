/**
 * {@link io.rstmdb.protocol.client.RcpClient}, the asynchronous client shared by the CLI, the
 * testkit and the load tool.
 */
package io.rstmdb.protocol.client;
