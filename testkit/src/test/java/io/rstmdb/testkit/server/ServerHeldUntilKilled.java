package io.rstmdb.testkit.server;

import io.rstmdb.testkit.RstmdbServerExtension;

/**
 * A test JVM stand-in for {@link TerminatedTestJvmTest}: starts the extension's server as JUnit
 * would for a test class, prints its data directory, and waits to be killed.
 */
final class ServerHeldUntilKilled {
  private ServerHeldUntilKilled() {}

  public static void main(String[] args) throws Exception {
    RstmdbServerExtension rstmdb = RstmdbServerExtension.create();
    rstmdb.beforeAll(null); // the extension reads nothing from the context
    rstmdb.client().call("PING", null).get();
    System.out.println(rstmdb.dataDir());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
