package io.rstmdb.protocol.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.rstmdb.protocol.Op;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.WireMode;
import io.rstmdb.protocol.frame.FrameTooLargeException;
import io.rstmdb.protocol.frame.ModeDetectingDecoder;
import io.rstmdb.protocol.frame.WireCodecs;
import io.rstmdb.protocol.message.MessageCodec;
import io.rstmdb.protocol.tls.PemFiles;
import io.rstmdb.protocol.transport.Transport;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * An asynchronous RCP connection. Calls are pipelined: {@link #call} writes the request at once and
 * returns a future completed when the response with the same id arrives, in whatever order
 * responses come. Ids are {@code "1"}, {@code "2"}, … per connection. Futures complete on the
 * connection's I/O thread, so callbacks must not block.
 *
 * <p>Thread-safe: any thread may call, and requests issued from one thread go out in call order.
 */
public final class RcpClient implements AutoCloseable {

  private static final String HANDLER = "rcp-client";
  private static final String FLUSH = "flush-consolidation";
  private static final long SHUTDOWN_QUIET_MILLIS = 100;

  private final ClientOptions options;
  private final MessageCodec codec;
  private final EventLoopGroup ownedGroup;
  private final Map<String, PendingCall> pending = new ConcurrentHashMap<>();
  private final AtomicLong lastId = new AtomicLong();
  private final List<Consumer<ObjectNode>> eventListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
  private volatile Channel channel;
  private volatile JsonNode hello;
  private volatile String closeReason;

  /** The connection-level error the server closed with (RATE_LIMITED, ...), or null. */
  private volatile RcpErrorException closeError;

  /** The TLS handler when TLS is on, to tell a failed handshake from other connect failures. */
  private volatile SslHandler tlsHandler;

  /** Set when the connect timeout ran out before HELLO (and AUTH) were answered. */
  private volatile boolean handshakeExpired;

  /** Set by the first {@link #close()}: only it sends BYE, and {@link #isOpen()} is false since. */
  private final AtomicBoolean closeRequested = new AtomicBoolean();

  /**
   * Set before pending calls are failed for good. A call registers itself first and reads this
   * after, so it is either failed by that sweep or sees the flag and fails itself: a call racing
   * with the close never waits forever on a write that no event loop will run.
   */
  private volatile boolean closed;

  private RcpClient(ClientOptions options, MessageCodec codec, EventLoopGroup ownedGroup) {
    this.options = options;
    this.codec = codec;
    this.ownedGroup = ownedGroup;
  }

  /**
   * Connects, sends HELLO asking for {@code options.wireMode()}, switches to the mode the server
   * chose and, when a token is set, authenticates, all within {@code options.connectTimeout()}. The
   * future fails with an {@link RcpException} ({@link RcpConnectionException} for network problems
   * and a server that does not answer in time, {@link RcpErrorException} when HELLO or AUTH is
   * refused).
   *
   * <p>A caller that gives up on the future (cancels it, or lets {@code orTimeout} fail it) closes
   * the connection with it: a connection finished after that is closed, not leaked.
   */
  public static CompletableFuture<RcpClient> connect(ClientOptions options) {
    return connect(options, new MessageCodec());
  }

  /** As {@link #connect(ClientOptions)}, sharing a codec between many clients. */
  public static CompletableFuture<RcpClient> connect(ClientOptions options, MessageCodec codec) {
    CompletableFuture<RcpClient> result = new CompletableFuture<>();
    SslContext ssl;
    try {
      ssl = options.tls().enabled() ? sslContext(options.tls()) : null;
    } catch (SSLException | RuntimeException e) {
      result.completeExceptionally(new RcpException("invalid TLS settings: " + e.getMessage(), e));
      return result;
    }
    EventLoopGroup owned = options.eventLoopGroup() == null ? Transport.newBestGroup(1) : null;
    EventLoopGroup group = owned != null ? owned : options.eventLoopGroup();
    RcpClient client = new RcpClient(options, codec, owned);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(Transport.of(group).channel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
            .handler(client.initializer(ssl));
    long started = System.nanoTime();
    ChannelFuture connecting = bootstrap.connect(options.host(), options.port());
    result.whenComplete(
        (connected, error) -> {
          if (error != null) {
            // Ours (the connection failed) or the caller's (cancelled, timed out): either way
            // nothing may stay open behind a failed future.
            connecting.channel().close();
            client.shutdownGroup();
          }
        });
    connecting.addListener(
        f -> {
          if (!f.isSuccess()) {
            client.shutdownGroup();
            result.completeExceptionally(
                new RcpConnectionException(
                    "cannot connect to "
                        + options.host()
                        + ":"
                        + options.port()
                        + ": "
                        + f.cause().getMessage(),
                    f.cause()));
            return;
          }
          Channel ch = connecting.channel();
          client.channel = ch;
          client.startTimeoutSweeper(ch);
          Future<?> deadline = client.startHandshakeDeadline(ch, result, started);
          client
              .handshake()
              .whenComplete(
                  (ok, error) -> {
                    deadline.cancel(false);
                    if (error == null) {
                      if (!result.complete(client)) {
                        client.close(); // the caller gave up meanwhile
                      }
                    } else {
                      client.closeQuietly();
                      result.completeExceptionally(client.connectFailure(unwrap(error)));
                    }
                  });
        });
    return result;
  }

  /**
   * Sends one request; completes with its {@code result} object, or exceptionally with {@link
   * RcpErrorException} (error response) or {@link RcpConnectionException} (closed, timed out).
   *
   * @param params the params object; null sends {@code {}}
   */
  public CompletableFuture<JsonNode> call(String op, JsonNode params) {
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    submit(op, future, true, (alloc, id) -> codec.encodeRequest(alloc, id, op, params));
    return future;
  }

  /**
   * Sends a prepared request without decoding its result: completes normally (with {@code null})
   * when the server answers ok, exceptionally as {@link #call(String, JsonNode)} does otherwise.
   * For callers that need only success or failure, such as load generators: neither encoding the
   * params nor building the result costs anything per call.
   */
  public CompletableFuture<Void> send(PreparedRequest request) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    submit(
        request.op(),
        future,
        false,
        (alloc, id) ->
            codec.encodePreparedRequest(alloc, id, request.op(), request.encodedParams()));
    return future;
  }

  /** Encodes a request for an id. */
  @FunctionalInterface
  private interface RequestEncoder {
    ByteBuf encode(ByteBufAllocator alloc, String id);
  }

  private void submit(
      String op, CompletableFuture<?> future, boolean decodeResult, RequestEncoder encoder) {
    Channel ch = channel;
    if (ch == null || !ch.isActive() || closeRequested.get()) {
      future.completeExceptionally(new RcpConnectionException(closedMessage(), closeError));
      return;
    }
    String id = Long.toString(lastId.incrementAndGet());
    long timeoutNanos = options.requestTimeout().toNanos();
    long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : Long.MAX_VALUE;
    pending.put(id, new PendingCall(future, op, deadline, decodeResult));
    if (closed) {
      fail(id, new RcpConnectionException(closedMessage(), closeError));
      return;
    }
    ByteBuf request;
    try {
      request = encoder.encode(ch.alloc(), id);
    } catch (RuntimeException e) {
      pending.remove(id);
      future.completeExceptionally(new RcpException("cannot encode request: " + e.getMessage(), e));
      return;
    }
    ch.writeAndFlush(request)
        .addListener(
            w -> {
              if (!w.isSuccess()) {
                Throwable cause = w.cause();
                fail(
                    id,
                    cause instanceof FrameTooLargeException
                        ? new RcpException("request too large: " + cause.getMessage(), cause)
                        : new RcpConnectionException(
                            writeFailure(cause), closeError != null ? closeError : cause));
              }
            });
  }

  /** As {@link #call(String, JsonNode)}. */
  public CompletableFuture<JsonNode> call(Op op, JsonNode params) {
    return call(op.wireName(), params);
  }

  /** The result of the HELLO exchange (protocol_version, wire_mode, server_name, …). */
  public JsonNode hello() {
    return hello;
  }

  /** The wire mode in use after HELLO. */
  public WireMode wireMode() {
    return WireMode.fromWireName(hello == null ? null : hello.path("wire_mode").asText())
        .orElse(WireMode.BINARY_JSON);
  }

  /**
   * Registers a listener for event messages; listeners run in arrival order on the I/O thread and
   * must not block. A listener that throws does not affect the connection or other listeners.
   * Events that arrive before any listener is registered are dropped, so register before WATCH.
   */
  public void onEvent(Consumer<ObjectNode> listener) {
    eventListeners.add(listener);
  }

  /** Runs {@code listener} once when the connection closes (immediately if it already has). */
  public void onClose(Runnable listener) {
    closeListeners.add(listener);
    Channel ch = channel;
    if (ch != null && !ch.isOpen() && closeListeners.remove(listener)) {
      runListener(listener);
    }
  }

  /** Whether the connection is still open. */
  public boolean isOpen() {
    Channel ch = channel;
    return ch != null && ch.isActive() && !closeRequested.get();
  }

  /** The shared codec (its mapper is handy for building params). */
  public MessageCodec codec() {
    return codec;
  }

  /**
   * Sends BYE without waiting for its answer (as the official Java client does), closes the socket
   * and fails every pending call with {@link RcpConnectionException}.
   */
  @Override
  public void close() {
    Channel ch = channel;
    if (ch != null && ch.isActive() && !closed) {
      boolean sentBye = closeRequested.compareAndSet(false, true);
      if (sentBye) {
        if (closeReason == null) {
          closeReason = "connection closed by the client";
        }
        String id = Long.toString(lastId.incrementAndGet());
        ch.writeAndFlush(codec.encodeRequest(ch.alloc(), id, Op.BYE.wireName(), null))
            .addListener(f -> ch.close());
      }
      if (!ch.eventLoop().inEventLoop()) {
        // Every closer waits for the one BYE to go out, rather than cut it off by closing first.
        ch.closeFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
      } else if (!sentBye) {
        // On the I/O thread another closer's BYE may still be queued behind this task: closing
        // now would drop it. Its write closes the channel, and channelInactive cleans up.
        closed = true;
        failAll(closedMessage());
        return;
      }
    }
    // channelInactive does this too, but a caller may rely on it once close() returns.
    closed = true;
    failAll(closedMessage());
    closeQuietly();
  }

  private void closeQuietly() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
    shutdownGroup();
  }

  private void shutdownGroup() {
    if (ownedGroup != null) {
      // The quiet period lets a write that raced with the close still run (and fail) on the loop
      // instead of being refused by a terminated one, which Netty logs as a severe error.
      ownedGroup.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, 1000, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Bounds TCP connect + TLS + HELLO + AUTH by the connect timeout: without it a server that
   * accepts and stays silent held {@code connect()} for the request timeout, or forever with that
   * off.
   */
  private Future<?> startHandshakeDeadline(
      Channel ch, CompletableFuture<?> connected, long startedNanos) {
    long millis = options.connectTimeout().toMillis();
    if (millis <= 0) {
      return CompletableFuture.completedFuture(null); // zero: no limit, as Netty reads it too
    }
    // What the TCP connect took counts: the timeout bounds the connect as a whole.
    long leftNanos =
        Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis) - (System.nanoTime() - startedNanos));
    return ch.eventLoop()
        .schedule(
            () -> {
              if (!connected.isDone()) {
                SslHandler tls = tlsHandler;
                String what =
                    tls != null && !tls.handshakeFuture().isDone()
                        ? "TLS handshake not finished"
                        : "no answer to HELLO" + (options.token() != null ? " and AUTH" : "");
                closeReason = what + " within " + millis + " ms (the connect timeout)";
                handshakeExpired = true;
                ch.close();
              }
            },
            leftNanos,
            TimeUnit.NANOSECONDS);
  }

  /** What a failed handshake tells the caller; a hint where the cause is usually a TLS mismatch. */
  private RcpException connectFailure(Throwable error) {
    RcpException failure = asRcpException(error);
    if (handshakeExpired) {
      // Our own deadline closed the connection: not a server that hung up on us.
      return new RcpConnectionException(closedMessage(), error);
    }
    SslHandler tls = tlsHandler;
    if (tls != null && hello == null && closeError == null && !tls.handshakeFuture().isSuccess()) {
      Throwable cause = tls.handshakeFuture().cause();
      String why =
          cause == null
                  || cause instanceof ClosedChannelException
                  || cause instanceof SSLException
                      && String.valueOf(cause.getMessage()).contains("closed")
              ? "TLS handshake failed: the server closed the connection (is TLS enabled on it?)"
              : describe(cause);
      return new RcpConnectionException(why, cause != null ? cause : failure);
    }
    if (failure instanceof RcpConnectionException
        && failure.getMessage().endsWith("connection closed")
        && hello == null
        && closeError == null
        && closeReason == null
        && !options.tls().enabled()) {
      return new RcpConnectionException(
          "the server closed the connection before answering HELLO (a server that requires TLS"
              + " does this to a plain connection)",
          failure);
    }
    return failure;
  }

  private CompletableFuture<Void> handshake() {
    ObjectNode params = codec.mapper().createObjectNode();
    params.put("protocol_version", ProtocolLimits.PROTOCOL_VERSION);
    params.put("client_name", options.clientName());
    params.putArray("wire_modes").add(options.wireMode().wireName());
    params.putArray("features").add("idempotency").add("batch");
    Channel ch = channel;
    return call(Op.HELLO, params)
        .thenComposeAsync(
            result -> {
              hello = result;
              // Runs on the I/O thread, so nothing else is written before the switch.
              WireCodecs.switchMode(ch.pipeline(), wireMode());
              if (options.token() == null) {
                return CompletableFuture.completedFuture(null);
              }
              ObjectNode auth = codec.mapper().createObjectNode();
              auth.put("method", "bearer");
              auth.put("token", options.token());
              return call(Op.AUTH, auth).thenApply(r -> null);
            },
            ch.eventLoop());
  }

  private ChannelInitializer<SocketChannel> initializer(SslContext ssl) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (ssl != null) {
          String peer =
              options.tls().serverName() != null ? options.tls().serverName() : options.host();
          SslHandler handler = ssl.newHandler(ch.alloc(), peer, options.port());
          // The connect timeout bounds the handshake (startHandshakeDeadline); Netty's own 10 s
          // default would otherwise cut a longer one short with a vaguer reason.
          handler.setHandshakeTimeoutMillis(Math.max(0, options.connectTimeout().toMillis()));
          tlsHandler = handler;
          ch.pipeline().addLast(WireCodecs.TLS, handler);
        }
        // Calls made while responses are being read (a pipelining caller sends its next request
        // from the previous one's callback) share one flush at the end of the read batch, and
        // calls from other threads share one per event-loop turn: a flush per call cost more
        // CPU than the rest of the call together.
        ch.pipeline()
            .addLast(
                FLUSH,
                new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        ch.pipeline().addLast(HANDLER, new ResponseHandler());
        WireCodecs.install(ch.pipeline(), WireMode.BINARY_JSON);
        if (options.wireMode() == WireMode.JSONL) {
          // The HELLO request is always binary; the answer comes in whatever mode the server
          // picks, so detect it from its first byte.
          ch.pipeline()
              .replace(
                  WireCodecs.DECODER,
                  WireCodecs.DECODER,
                  new ModeDetectingDecoder(ProtocolLimits.MAX_PAYLOAD));
        }
      }
    };
  }

  private static SslContext sslContext(TlsOptions tls) throws SSLException {
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (tls.insecure()) {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      builder.endpointIdentificationAlgorithm(null);
    } else {
      if (tls.caCert() != null) {
        requireFile(tls.caCert(), "CA certificate");
        builder.trustManager(tls.caCert().toFile());
      }
      builder.endpointIdentificationAlgorithm("HTTPS");
    }
    if (tls.clientCert() != null) {
      requireFile(tls.clientCert(), "client certificate");
      requireFile(tls.clientKey(), "client key");
      // Through PemFiles rather than Netty's loader, which reads PKCS#8 keys only: the reference
      // CLI also takes PKCS#1 (RSA PRIVATE KEY) and SEC1 (EC PRIVATE KEY) keys.
      builder.keyManager(
          PemFiles.privateKey(tls.clientKey()),
          PemFiles.certificates(tls.clientCert()).toArray(X509Certificate[]::new));
    }
    return builder.build();
  }

  /** Netty's message for a missing file ("does not contain valid certificates") hides the cause. */
  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(what + " file not found: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(what + " file not readable: " + file);
    }
  }

  private void fail(String id, RcpException error) {
    PendingCall call = pending.remove(id);
    if (call != null) {
      call.future().completeExceptionally(error);
    }
  }

  private void failAll(String reason) {
    RcpConnectionException closed = new RcpConnectionException(reason, closeError);
    for (String id : List.copyOf(pending.keySet())) {
      fail(id, closed);
    }
  }

  /**
   * One periodic sweep per connection instead of a timer per call keeps pipelined load cheap; a
   * call may therefore fail up to one sweep period after its deadline.
   */
  private void startTimeoutSweeper(Channel ch) {
    long timeoutMillis = options.requestTimeout().toMillis();
    if (timeoutMillis <= 0) {
      return;
    }
    long period = Math.max(10, Math.min(1000, timeoutMillis / 10));
    ScheduledFuture<?> sweeper =
        ch.eventLoop()
            .scheduleAtFixedRate(
                () -> expireOverdue(timeoutMillis), period, period, TimeUnit.MILLISECONDS);
    ch.closeFuture().addListener(f -> sweeper.cancel(false));
  }

  private void expireOverdue(long timeoutMillis) {
    long now = System.nanoTime();
    for (Map.Entry<String, PendingCall> entry : pending.entrySet()) {
      PendingCall call = entry.getValue();
      if (now - call.deadline() >= 0) {
        fail(
            entry.getKey(),
            new RcpConnectionException(call.op() + " timed out after " + timeoutMillis + " ms"));
      }
    }
  }

  /**
   * Why a write failed: the close reason when there is one, else the write's own cause (a TLS
   * handshake that failed fails the writes queued behind it before the pipeline reports it).
   */
  private String writeFailure(Throwable cause) {
    if (closeReason != null || cause == null || cause instanceof ClosedChannelException) {
      return "write failed: " + closedMessage();
    }
    return "write failed: " + describe(cause);
  }

  /** One line for a network or TLS failure, naming the TLS part where it is one. */
  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    if (cause instanceof NotSslRecordException || root instanceof NotSslRecordException) {
      return "TLS handshake failed: the server did not answer in TLS (is TLS enabled on it?)";
    }
    if (cause instanceof SSLException
        || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
      return "TLS handshake failed: " + message;
    }
    return message;
  }

  private String closedMessage() {
    String reason = closeReason;
    return reason == null ? "connection closed" : reason;
  }

  private boolean skipsResult(String id) {
    PendingCall call = pending.get(id);
    return call != null && !call.decodeResult();
  }

  private void dispatch(ChannelHandlerContext ctx, JsonNode message) {
    String type = message.path("type").asText();
    if (type.equals("event")) {
      if (message instanceof ObjectNode event) {
        for (Consumer<ObjectNode> listener : eventListeners) {
          try {
            listener.accept(event);
          } catch (VirtualMachineError e) {
            throw e;
          } catch (Throwable e) {
            // A broken listener must not take the connection down with it; that includes the
            // AssertionError of a test's assertion inside a listener.
          }
        }
      }
      return;
    }
    if (!type.equals("response")) {
      return; // The official clients ignore anything else too.
    }
    JsonNode idNode = message.get("id");
    boolean ok = "ok".equals(message.path("status").asText());
    if (idNode == null || !idNode.isTextual()) {
      if (!ok) {
        // A connection-level error (decision 8): the server closes right after sending it, so
        // close now rather than wait to see its end: on io_uring an end that came in with the
        // error could go unseen, and the calls waiting on this connection hung to their timeout.
        RcpErrorException error = errorOf(null, message.path("error"));
        closeError = error;
        closeReason = "closed by the server: " + error.getMessage();
        ctx.close();
      }
      return;
    }
    PendingCall call = pending.remove(idNode.textValue());
    if (call == null) {
      return;
    }
    if (ok) {
      JsonNode result = message.get("result");
      call.succeed(
          !call.decodeResult()
              ? null
              : result == null || result.isNull() ? codec.mapper().createObjectNode() : result);
    } else {
      call.future().completeExceptionally(errorOf(idNode.textValue(), message.path("error")));
    }
  }

  private static RcpErrorException errorOf(String id, JsonNode error) {
    JsonNode details = error.get("details");
    return new RcpErrorException(
        id,
        error.path("code").asText("INTERNAL_ERROR"),
        error.path("message").asText(""),
        error.path("retryable").asBoolean(false),
        details == null || details.isNull() ? null : details);
  }

  private void connectionClosed() {
    closed = true;
    try {
      failAll(closedMessage());
      for (Runnable listener : closeListeners) {
        if (closeListeners.remove(listener)) {
          runListener(listener);
        }
      }
    } finally {
      shutdownGroup();
    }
  }

  /** Runs a close listener; as with event listeners, one that throws affects nothing else. */
  private static void runListener(Runnable listener) {
    try {
      listener.run();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      // Same rule as event listeners.
    }
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static RcpException asRcpException(Throwable error) {
    return error instanceof RcpException rcp
        ? rcp
        : new RcpConnectionException(String.valueOf(error.getMessage()), error);
  }

  /**
   * A call waiting for its response: a {@code CompletableFuture<JsonNode>} from {@link #call}, or a
   * {@code CompletableFuture<Void>} from {@link #send}, which never decodes the result.
   */
  private record PendingCall(
      CompletableFuture<?> future, String op, long deadline, boolean decodeResult) {

    /** {@code result} is null exactly when the result is not decoded, matching the type. */
    @SuppressWarnings("unchecked")
    void succeed(JsonNode result) {
      ((CompletableFuture<Object>) future).complete(result);
    }
  }

  /** Routes decoded payloads to pending calls and event listeners; owns and releases them. */
  private final class ResponseHandler extends SimpleChannelInboundHandler<ByteBuf> {

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf payload) {
      JsonNode message;
      try {
        message = codec.readMessage(payload, RcpClient.this::skipsResult);
      } catch (UncheckedIOException e) {
        closeReason = "server sent invalid JSON: " + e.getMessage();
        ctx.close();
        return;
      }
      dispatch(ctx, message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      connectionClosed();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (closeReason == null) {
        closeReason = "connection failed: " + describe(cause);
      }
      ctx.close();
    }
  }
}
