package io.rstmdb.cli.connect;

/** Opens sessions; the seam that lets tests and the bench tool choose how. */
@FunctionalInterface
public interface Connector {

  /**
   * Connects, negotiates and authenticates.
   *
   * @throws ConnectionFailedException when the server cannot be reached or the handshake fails
   * @throws ServerErrorException when the server refuses the handshake or the token
   */
  Connection connect(ConnectionSettings settings);
}
