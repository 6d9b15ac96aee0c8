package io.rstmdb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.cli.connect.Connection;
import io.rstmdb.cli.connect.Connector;
import io.rstmdb.cli.format.Printer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What one invocation of the CLI works with: its streams, environment, global options and (opened
 * on first use, then reused so the REPL keeps one session) the server connection.
 */
public final class CliContext implements AutoCloseable {

  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;
  private final Map<String, String> env;
  private final GlobalOptions global;
  private final Connector connector;
  private final ObjectMapper mapper;
  private Connection connection;

  public CliContext(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Map<String, String> env,
      GlobalOptions global,
      Connector connector,
      ObjectMapper mapper) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = Map.copyOf(env);
    this.global = global;
    this.connector = connector;
    this.mapper = mapper;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public InputStream in() {
    return in;
  }

  public Map<String, String> env() {
    return env;
  }

  public GlobalOptions global() {
    return global;
  }

  public Connector connector() {
    return connector;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public Printer printer() {
    return new Printer(out, mapper, global.json());
  }

  /** The session of this invocation, connecting on first use. */
  public synchronized Connection connection() {
    if (connection == null) {
      connection = connector.connect(global.settings(env));
      connection.onClose(this::forgetClosed);
    }
    return connection;
  }

  /** Drops the current session (if any) so the next command connects afresh. */
  public synchronized void disconnect() {
    if (connection != null) {
      Connection c = connection;
      connection = null;
      c.close();
    }
  }

  private synchronized void forgetClosed() {
    connection = null;
  }

  @Override
  public void close() {
    disconnect();
  }
}
