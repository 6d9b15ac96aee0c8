package io.rstmdb.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoopGroup;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.PreparedRequest;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.protocol.client.RcpErrorException;
import io.rstmdb.protocol.client.RcpException;
import io.rstmdb.protocol.client.TlsOptions;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Opens sessions with the protocol module's {@link RcpClient} and translates its failures into the
 * CLI's two exception types, with messages a person can act on.
 */
public final class RcpConnector implements Connector {

  private static final String CLIENT_NAME = "rstmdb-cli";

  private final EventLoopGroup sharedGroup;

  /** Each session gets its own small event loop. */
  public RcpConnector() {
    this(null);
  }

  /** All sessions share {@code group} (the bench tool opens many). */
  public RcpConnector(EventLoopGroup group) {
    this.sharedGroup = group;
  }

  @Override
  public Connection connect(ConnectionSettings settings) {
    ClientOptions options = options(settings);
    CompletableFuture<RcpClient> future = RcpClient.connect(options);
    long waitMillis = settings.connectTimeout().toMillis() + 5_000;
    try {
      return new ClientConnection(future.get(waitMillis, TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      throw translateConnect(settings, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new ConnectionFailedException(
          "cannot connect to " + settings.address() + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionFailedException("interrupted while connecting", e);
    }
  }

  private ClientOptions options(ConnectionSettings s) {
    TlsSettings t = s.tls();
    TlsOptions tls =
        t.enabled()
            ? new TlsOptions(
                true, t.caCert(), t.clientCert(), t.clientKey(), t.insecure(), t.serverName())
            : TlsOptions.disabled();
    return new ClientOptions(
        s.address().host(),
        s.address().port(),
        s.token(),
        tls,
        s.jsonl() ? WireMode.JSONL : WireMode.BINARY_JSON,
        s.connectTimeout(),
        s.requestTimeout(),
        CLIENT_NAME,
        sharedGroup);
  }

  static RuntimeException translateConnect(ConnectionSettings settings, Throwable cause) {
    Throwable c = unwrap(cause);
    if (c instanceof RcpErrorException) {
      RcpErrorException e = (RcpErrorException) c;
      return new ServerErrorException(e.codeName(), e.error().message());
    }
    if (isLocalRefusal(c)) {
      return new InvalidRequestException(c.getMessage(), c); // e.g. invalid TLS settings
    }
    return new ConnectionFailedException(
        "cannot connect to " + settings.address() + ": " + reason(c), c);
  }

  /**
   * Takes off the future's wrappers. The client's own exceptions are kept: their messages say what
   * went wrong in one line (a TLS failure and its reason, a server that closed before HELLO, a
   * connection-level error), which the low-level causes beneath them do not.
   */
  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null
        && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * A plain {@link RcpException} (not a connection or server error) is the client refusing the
   * caller's input before anything was sent.
   */
  private static boolean isLocalRefusal(Throwable c) {
    return c.getClass() == RcpException.class;
  }

  static String reason(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      }
      if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return "unknown host";
      }
    }
    if (t instanceof RcpException) {
      // The CLI names the address itself.
      return CLIENT_PREFIX.matcher(t.getMessage()).replaceFirst("");
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return "TLS handshake failed (" + c.getMessage() + ")";
      }
      if (c.getCause() == null || c.getCause() == c) {
        String message = c.getMessage();
        return message == null ? c.getClass().getSimpleName() : message;
      }
    }
    return "unknown error";
  }

  /** The client's "cannot connect to HOST:PORT: " before the reason. */
  private static final Pattern CLIENT_PREFIX = Pattern.compile("^cannot connect to \\S+: ");

  /** Adapts one client; failures of calls are translated as they complete. */
  private static final class ClientConnection implements Connection {
    private final RcpClient client;

    ClientConnection(RcpClient client) {
      this.client = client;
    }

    @Override
    public CompletableFuture<JsonNode> call(String op, JsonNode params) {
      return translated(client.call(op, params));
    }

    @Override
    public CompletableFuture<Void> send(PreparedRequest request) {
      return translated(client.send(request));
    }

    /** The client's future with its failure translated for the CLI. */
    private static <T> CompletableFuture<T> translated(CompletableFuture<T> call) {
      CompletableFuture<T> result = new CompletableFuture<>();
      call.whenComplete(
          (value, error) -> {
            if (error == null) {
              result.complete(value);
            } else {
              result.completeExceptionally(translateCall(error));
            }
          });
      return result;
    }

    private static RuntimeException translateCall(Throwable error) {
      Throwable c = unwrap(error);
      if (c instanceof RcpErrorException) {
        RcpErrorException e = (RcpErrorException) c;
        return new ServerErrorException(e.codeName(), e.error().message());
      }
      if (isLocalRefusal(c)) {
        // "request too large", "cannot encode request": nothing was sent, the session is fine.
        return new InvalidRequestException(c.getMessage(), c);
      }
      return new ConnectionFailedException("connection lost: " + reason(c), c);
    }

    @Override
    public void onEvent(Consumer<ObjectNode> listener) {
      client.onEvent(listener);
    }

    @Override
    public void onClose(Runnable listener) {
      client.onClose(listener);
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
