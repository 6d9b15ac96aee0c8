package io.rstmdb.server.session;

/**
 * Pipeline event the server fires on every connection when it begins a graceful stop: the session
 * stops reading, answers the requests it has taken, and closes once those answers have gone out.
 */
public final class ServerStopping {

  /** The one event. */
  public static final ServerStopping INSTANCE = new ServerStopping();

  private ServerStopping() {}
}
