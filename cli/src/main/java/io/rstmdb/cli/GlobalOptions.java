package io.rstmdb.cli;

import io.rstmdb.cli.connect.ConnectionSettings;
import io.rstmdb.cli.connect.ServerAddress;
import io.rstmdb.cli.connect.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options accepted anywhere on the command line. Environment variables are consulted only when the
 * flag is absent, so flags always win; that is why the fields stay null until given.
 */
public final class GlobalOptions {

  @Option(
      names = {"-s", "--server"},
      paramLabel = "HOST:PORT",
      scope = ScopeType.INHERIT,
      description = "Server address, host name or IP (env RSTMDB_SERVER; default 127.0.0.1:7401).")
  String server;

  @Option(
      names = {"-t", "--token"},
      paramLabel = "TOKEN",
      scope = ScopeType.INHERIT,
      description = "Bearer token sent with AUTH (env RSTMDB_TOKEN).")
  String token;

  @Option(
      names = "--tls",
      scope = ScopeType.INHERIT,
      description = "Connect with TLS (env RSTMDB_TLS=1|true|yes|on).")
  Boolean tls;

  @Option(
      names = "--ca-cert",
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description =
          "PEM CA bundle that signs the server certificate; implies --tls (env RSTMDB_CA_CERT).")
  Path caCert;

  @Option(
      names = "--client-cert",
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description = "PEM client certificate for mTLS; needs --client-key (env RSTMDB_CLIENT_CERT).")
  Path clientCert;

  @Option(
      names = "--client-key",
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description = "PEM private key of the client certificate (env RSTMDB_CLIENT_KEY).")
  Path clientKey;

  @Option(
      names = {"-k", "--insecure"},
      scope = ScopeType.INHERIT,
      description = "Do not verify the server certificate; implies --tls.")
  Boolean insecure;

  @Option(
      names = "--server-name",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "TLS server name to verify and send as SNI (default: the host of --server).")
  String serverName;

  @Option(
      names = "--wire-mode",
      paramLabel = "binary|jsonl",
      scope = ScopeType.INHERIT,
      description = "Wire format after HELLO: binary (default) or jsonl.")
  String wireMode;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description =
          "Print the operation's result as JSON (watch: one event per line; bench: the"
              + " summary).")
  boolean json;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of unexpected failures (also -v where free).")
  boolean verbose;

  /** Options that shape only the output of the command they are given with. */
  private static final Set<String> PER_COMMAND = Set.of("--json", "--verbose");

  /**
   * The long names of the options that choose the connection: every global option but {@code
   * --json} and {@code --verbose}. Read from the annotations, so an option added later is covered
   * without a list to keep in step.
   */
  public static Set<String> connectionOptionNames() {
    Set<String> names = new TreeSet<>();
    for (OptionSpec option : CommandSpec.forAnnotatedObject(new GlobalOptions()).options()) {
      if (!PER_COMMAND.contains(option.longestName())) {
        names.add(option.longestName());
      }
    }
    return Collections.unmodifiableSet(names);
  }

  /** A copy of the current values, for {@link #restore}. */
  public GlobalOptions snapshot() {
    GlobalOptions copy = new GlobalOptions();
    copy.restore(this);
    return copy;
  }

  /**
   * Puts back values saved with {@link #snapshot}: options given on one REPL line must not stick to
   * the lines after it.
   */
  public void restore(GlobalOptions saved) {
    server = saved.server;
    token = saved.token;
    tls = saved.tls;
    caCert = saved.caCert;
    clientCert = saved.clientCert;
    clientKey = saved.clientKey;
    insecure = saved.insecure;
    serverName = saved.serverName;
    wireMode = saved.wireMode;
    json = saved.json;
    verbose = saved.verbose;
  }

  public boolean json() {
    return json;
  }

  public boolean verbose() {
    return verbose;
  }

  /**
   * Turns on verbose output; bound to the short {@code -v} alias where a command leaves it free.
   */
  public void enableVerbose() {
    verbose = true;
  }

  /** The server address the next connection goes to (flag, then env, then default). */
  public ServerAddress address(Map<String, String> env) {
    String text =
        server != null ? server : env.getOrDefault("RSTMDB_SERVER", ServerAddress.DEFAULT);
    try {
      return ServerAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /**
   * Resolves flags and environment into connection settings.
   *
   * @throws UsageException for contradictory or malformed values
   */
  public ConnectionSettings settings(Map<String, String> env) {
    ServerAddress address = address(env);
    String resolvedToken = token != null ? token : blankToNull(env.get("RSTMDB_TOKEN"));
    Path ca = caCert != null ? caCert : path(env.get("RSTMDB_CA_CERT"));
    Path cert = clientCert != null ? clientCert : path(env.get("RSTMDB_CLIENT_CERT"));
    Path key = clientKey != null ? clientKey : path(env.get("RSTMDB_CLIENT_KEY"));
    boolean skipVerify = Boolean.TRUE.equals(insecure);
    boolean tlsWanted =
        (tls != null ? tls : envFlag(env.get("RSTMDB_TLS")))
            || ca != null
            || skipVerify
            || cert != null;
    if ((cert == null) != (key == null)) {
      throw new UsageException("--client-cert and --client-key must be given together");
    }
    readable("--ca-cert (RSTMDB_CA_CERT)", ca);
    readable("--client-cert (RSTMDB_CLIENT_CERT)", cert);
    readable("--client-key (RSTMDB_CLIENT_KEY)", key);
    TlsSettings tlsSettings =
        tlsWanted
            ? new TlsSettings(true, ca, cert, key, skipVerify, serverName)
            : TlsSettings.disabled();
    return new ConnectionSettings(
        address,
        resolvedToken,
        tlsSettings,
        jsonl(),
        ConnectionSettings.CONNECT_TIMEOUT,
        ConnectionSettings.REQUEST_TIMEOUT);
  }

  private boolean jsonl() {
    if (wireMode == null) {
      return false;
    }
    switch (wireMode.toLowerCase(Locale.ROOT)) {
      case "binary":
      case "binary_json":
        return false;
      case "jsonl":
        return true;
      default:
        throw new UsageException(
            "invalid --wire-mode '" + wireMode + "' (expected binary or jsonl)");
    }
  }

  /**
   * The server's boolean rule: {@code 1} or {@code true} (any case) is true, anything else false.
   */
  /**
   * A boolean variable read as the server reads its own (docs/configuration.md): 1/true/yes/on or
   * 0/false/no/off in any case, unset or empty as false. Anything else is an error: reading it as
   * false would silently turn TLS off.
   */
  static boolean envFlag(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off" -> false;
      default ->
          throw new UsageException(
              "RSTMDB_TLS: expected 1, true, yes or on (or 0, false, no, off), got '"
                  + value
                  + "'");
    };
  }

  /** A file named on the command line that cannot be read is a usage error, not a TLS one. */
  private static void readable(String option, Path file) {
    if (file != null && !Files.isReadable(file)) {
      throw new UsageException(
          option
              + ": cannot read "
              + file
              + (Files.exists(file) ? ": permission denied" : ": no such file"));
    }
  }

  private static Path path(String value) {
    String v = blankToNull(value);
    return v == null ? null : Path.of(v);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
