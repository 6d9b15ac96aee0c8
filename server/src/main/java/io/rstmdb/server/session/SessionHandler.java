package io.rstmdb.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.rstmdb.core.error.ErrorCode;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.protocol.Op;
import io.rstmdb.protocol.ProtocolLimits;
import io.rstmdb.protocol.frame.WireCodecs;
import io.rstmdb.protocol.message.MalformedRequestException;
import io.rstmdb.protocol.message.Request;
import io.rstmdb.protocol.message.WireError;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's session: decodes request envelopes, runs HELLO/AUTH/PING/BYE itself, applies the
 * auth gate (decision 11), hands database ops to the dispatcher and watch ops to the connection's
 * {@link WatchRouter}, and writes every response with its request's id.
 *
 * <p>Responses leave in request order: each request joins a queue, and the queue's head is written
 * as soon as its result is ready. Writes are flushed once per read batch (channelReadComplete) or,
 * for results that complete later, once per drained run of the queue. All state is touched only on
 * the channel's event loop.
 *
 * <p>Back-pressure: a connection stops being read while {@value #MAX_UNANSWERED} of its requests
 * are unanswered, or while its outbound buffer is over Netty's high-water mark (the client is not
 * reading its responses or events), and is read again once it is below half that and writable.
 * Pipelining stays unlimited for the client, as the protocol promises: TCP holds what the server
 * does not read yet. Without it, a client that pipelines without reading could grow the server's
 * response queue, outbound buffers and WAL queue until the heap runs out.
 *
 * <p>Stopping the reads is not enough on its own: one read can hold hundreds of small requests
 * whose answers are large (200 pipelined WAL_READs of 16 MiB answers each in 20 KB), and running
 * them all at once held every result and every encoded response in the heap until it ran out (QA).
 * So requests run in order, one at a time as they are taken from a queue of requests read but not
 * yet run ({@link #deferred}): none runs while the channel is not writable, and a read whose answer
 * can be large ({@link #BULK}) does not start while {@value #MAX_BULK_UNWRITTEN} others have not
 * been written yet. Finished answers are encoded and written only while the channel is writable, so
 * at most about one response beyond Netty's high-water mark is held encoded. All of it resumes when
 * the channel becomes writable again or an answer is written.
 */
public final class SessionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

  /** Unanswered requests at which a connection stops being read. */
  static final int MAX_UNANSWERED = 1024;

  /**
   * Reads whose answers can be large (up to the 16 MiB frame limit) that may have started but not
   * been written yet; the next waits in {@link #deferred}.
   */
  static final int MAX_BULK_UNWRITTEN = 2;

  /** Operations whose answers can be large: see {@link #MAX_BULK_UNWRITTEN}. */
  private static final Set<Op> BULK =
      Set.of(
          Op.WAL_READ,
          Op.GET_INSTANCE,
          Op.LIST_INSTANCES,
          Op.GET_MACHINE,
          Op.LIST_MACHINES,
          Op.SNAPSHOT_INSTANCE);

  private final SessionServices services;
  private final SessionAuth auth;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /**
   * Requests read (and parsed: their frames are released) but not run yet, in order: see the class
   * comment. An entry is either a request to run or an answer already known (a malformed request).
   */
  private final ArrayDeque<Deferred> deferred = new ArrayDeque<>();

  /** Requests of {@link #BULK} operations started but not written yet. */
  private int bulkUnwritten;

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private ChannelHandlerContext ctx;
  private WatchRouter watches;

  /** The peer's address for log lines; a peer that reset before the server saw it has none. */
  private Object remote;

  /** HELLO's {@code client_name}, quoted, for the close line; null until a HELLO names one. */
  private String clientName;

  /** Set once a failed TLS handshake is logged, so its exception does not log it a second time. */
  private boolean tlsFailureLogged;

  private boolean reading;
  private boolean closing;
  private boolean draining;

  /** A drain was asked for while one ran (a result finished, or the channel became writable). */
  private boolean drainAgain;

  /** Operations whose success means something was written. */
  private static final Set<String> WRITES =
      Set.of(
          "PUT_MACHINE", "CREATE_INSTANCE", "APPLY_EVENT", "DELETE_INSTANCE", "BATCH", "FLUSH_ALL");

  /** The peer half-closed (sent FIN): answer what it sent, then close. */
  private boolean inputShut;

  /** The server is stopping: run nothing more, answer what was taken, then close. */
  private boolean stopping;

  /** The newest response written, whose completion means every earlier one went out too. */
  private ChannelFuture lastWrite;

  private long handled;

  public SessionHandler(SessionServices services) {
    this.services = services;
    this.auth = new SessionAuth(services.auth());
  }

  /** A request waiting for its turn to be answered. */
  private record Pending(
      String id,
      String op,
      CompletableFuture<JsonNode> result,
      long startNanos,
      Runnable beforeWrite,
      boolean closeAfter,
      boolean bulk) {

    Pending(
        String id,
        String op,
        CompletableFuture<JsonNode> result,
        long startNanos,
        Runnable beforeWrite,
        boolean closeAfter) {
      this(id, op, result, startNanos, beforeWrite, closeAfter, false);
    }
  }

  /** A request read but not run yet ({@code request}), or its known answer ({@code answer}). */
  private record Deferred(Request request, long startNanos, Pending answer) {}

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    remote = PeerAddress.of(ctx.channel());
    if (services.auth().required()) {
      WireCodecs.setMaxInbound(ctx.pipeline(), ProtocolLimits.PREAUTH_MAX_PAYLOAD);
    }
    watches = services.watches().apply(ctx.channel());
    LOG.info("connection opened: {}", remote);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    abandonQueue();
    if (watches != null) {
      watches.close();
    }
    if (clientName == null) {
      LOG.info("connection closed: {} ({} requests)", remote, handled);
    } else {
      LOG.info("connection closed: {} ({} requests, client {})", remote, handled, clientName);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (watches != null) {
      watches.writabilityChanged();
    }
    if (ctx.channel().isWritable()) {
      drain(); // answers finished meanwhile, then the requests waiting to run
    }
    adjustReading();
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    if (stopping || !(msg instanceof ByteBuf payload)) {
      ReferenceCountUtil.release(msg); // a request arriving during a stop is never run
      return;
    }
    long start = System.nanoTime();
    Request request;
    try {
      if (closing) {
        return;
      }
      request = services.codec().decodeRequest(payload);
    } catch (MalformedRequestException e) {
      submit(
          new Deferred(
              null,
              start,
              new Pending(
                  e.requestId(),
                  "INVALID",
                  CompletableFuture.failedFuture(RstmdbException.badRequest(e.getMessage())),
                  start,
                  null,
                  false)));
      return;
    } finally {
      payload.release();
    }
    submit(new Deferred(request, start, null));
  }

  /**
   * Runs a request now if it may (see the class comment), else keeps it, in order, until it may.
   */
  private void submit(Deferred d) {
    if (deferred.isEmpty() && mayRun(d)) {
      run(d);
    } else {
      deferred.add(d);
      adjustReading();
    }
  }

  private boolean mayRun(Deferred d) {
    return ctx.channel().isWritable()
        && (d.request() == null || !isBulk(d.request()) || bulkUnwritten < MAX_BULK_UNWRITTEN);
  }

  private static boolean isBulk(Request request) {
    return request.knownOp().filter(BULK::contains).isPresent();
  }

  private void run(Deferred d) {
    if (d.answer() != null) {
      enqueue(d.answer());
    } else {
      handle(d.request(), d.startNanos());
    }
  }

  /** Runs the requests waiting in {@link #deferred} that may run now; true if any did. */
  private boolean runDeferred() {
    boolean ran = false;
    while (!closing && !stopping && !deferred.isEmpty() && mayRun(deferred.peek())) {
      run(deferred.poll());
      ran = true;
    }
    return ran;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    reading = false;
    ctx.flush();
    super.channelReadComplete(ctx);
  }

  private void handle(Request request, long start) {
    handled++;
    Optional<Op> known = request.knownOp();
    if (known.isEmpty()) {
      enqueue(
          new Pending(
              request.id(),
              "UNKNOWN",
              CompletableFuture.failedFuture(
                  RstmdbException.badRequest("unknown operation: " + request.op())),
              start,
              null,
              false));
      return;
    }
    Op op = known.get();
    String name = op.wireName();
    switch (op) {
      case HELLO -> hello(request, start);
      case AUTH -> auth(request, start);
      case PING -> enqueue(new Pending(request.id(), name, done(flag("pong")), start, null, false));
      case BYE ->
          enqueue(new Pending(request.id(), name, done(flag("goodbye")), start, null, true));
      default -> {
        CompletableFuture<JsonNode> result;
        Runnable beforeWrite = null;
        if (!auth.allows()) {
          result =
              CompletableFuture.failedFuture(
                  new RstmdbException(ErrorCode.UNAUTHORIZED, "authentication required"));
        } else if (op == Op.WATCH_INSTANCE || op == Op.WATCH_ALL || op == Op.UNWATCH) {
          // Events of a new subscription wait until its response is on its way.
          CompletableFuture<Void> responseWritten = new CompletableFuture<>();
          result = watch(request, responseWritten);
          beforeWrite = () -> responseWritten.complete(null);
        } else {
          result = services.dispatcher().dispatch(op, request.params());
        }
        boolean bulk = BULK.contains(op) && auth.allows();
        if (bulk) {
          bulkUnwritten++;
        }
        enqueue(new Pending(request.id(), name, result, start, beforeWrite, false, bulk));
      }
    }
  }

  private void hello(Request request, long start) {
    try {
      Hello.Outcome outcome =
          Hello.negotiate(request.params(), services.identity(), services.json());
      if (outcome.quotedClientName() != null) {
        clientName = outcome.quotedClientName();
      }
      Runnable switchMode = () -> WireCodecs.switchMode(ctx.pipeline(), outcome.mode());
      enqueue(new Pending(request.id(), "HELLO", done(outcome.result()), start, switchMode, false));
    } catch (RstmdbException e) {
      enqueue(
          new Pending(
              request.id(), "HELLO", CompletableFuture.failedFuture(e), start, null, false));
    }
  }

  private void auth(Request request, long start) {
    CompletableFuture<JsonNode> result;
    boolean wasAuthenticated = auth.authenticated();
    try {
      auth.attempt(request.params());
      if (!wasAuthenticated) {
        WireCodecs.setMaxInbound(ctx.pipeline(), ProtocolLimits.MAX_PAYLOAD);
        FirstRequestDeadline.authenticated(ctx.pipeline());
      }
      result = done(flag("authenticated"));
    } catch (RstmdbException e) {
      result = CompletableFuture.failedFuture(e);
    }
    boolean close = auth.exhausted();
    if (close) {
      LOG.info("closing {} after {} failed AUTH attempts", remote, auth.failures());
    }
    enqueue(new Pending(request.id(), "AUTH", result, start, null, close));
  }

  /** Watch ops go to the connection's router (the watch hub's session for this channel). */
  private CompletableFuture<JsonNode> watch(
      Request request, CompletableFuture<Void> responseWritten) {
    try {
      return watches.handle(request, responseWritten);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void enqueue(Pending pending) {
    services.inFlight().started();
    queue.add(pending);
    if (queue.size() + deferred.size() >= MAX_UNANSWERED) {
      adjustReading();
    }
    pending.result().whenComplete((r, e) -> onCompleted());
  }

  /** Pauses or resumes reading this connection (see the class comment on back-pressure). */
  private void adjustReading() {
    if (stopping) {
      return; // reads stay on: what arrives is dropped
    }
    ChannelConfig config = ctx.channel().config();
    boolean writable = ctx.channel().isWritable();
    int unanswered = queue.size() + deferred.size();
    if (config.isAutoRead()) {
      if (unanswered >= MAX_UNANSWERED || !writable) {
        config.setAutoRead(false);
      }
    } else if (unanswered <= MAX_UNANSWERED / 2 && writable) {
      config.setAutoRead(true); // and Netty reads at once
    }
  }

  /**
   * Results completing on other threads (the WAL's, for writes) schedule at most one drain at a
   * time: a batch of completions for a pipelining connection becomes one task and one flush, not
   * one per response.
   */
  private void onCompleted() {
    if (ctx.executor().inEventLoop()) {
      drain();
    } else if (drainScheduled.compareAndSet(false, true)) {
      ctx.executor().execute(this::scheduledDrain);
    }
  }

  private void scheduledDrain() {
    // Cleared before looking at the queue: a result completing from here on schedules again.
    drainScheduled.set(false);
    drain();
  }

  /**
   * Writes every finished response at the head of the queue, in order. Not re-entrant: a HELLO that
   * switches the wire mode swaps the decoder just before its answer is written, the new decoder at
   * once decodes requests that came in the same read, and answering them from inside this loop put
   * them on the wire before the HELLO's answer. This loop reaches them next.
   */
  private void drain() {
    if (draining) {
      drainAgain = true; // the running drain looks again: the channel may have become writable
      return;
    }
    draining = true;
    try {
      do {
        drainAgain = false;
        drainInOrder();
        if (runDeferred()) {
          drainAgain = true;
        }
      } while (drainAgain);
    } finally {
      draining = false;
    }
  }

  private void drainInOrder() {
    boolean wrote = false;
    // Encodes no more while the channel is not writable: channelWritabilityChanged drains again.
    while (!queue.isEmpty()
        && queue.peek().result().isDone()
        && (closing || ctx.channel().isWritable())) {
      Pending p = queue.poll();
      services.inFlight().finished();
      if (p.bulk()) {
        bulkUnwritten--;
      }
      if (closing) {
        continue;
      }
      ChannelFuture written = write(p);
      wrote = true;
      if (p.closeAfter()) {
        closing = true;
        abandonQueue();
        ctx.flush();
        written.addListener(ChannelFutureListener.CLOSE);
        return;
      }
    }
    if ((inputShut || stopping) && !closing && queue.isEmpty() && deferred.isEmpty()) {
      closeWhenWritten();
      return;
    }
    if (wrote && !reading) {
      ctx.flush();
    }
    if (wrote) {
      adjustReading();
    }
  }

  /**
   * Ends the connection once everything written so far has gone out (writes complete in order);
   * nothing more will be run.
   */
  private void closeWhenWritten() {
    closing = true;
    ctx.flush();
    Runnable end = stopping && !inputShut ? this::endOutput : ctx::close;
    if (lastWrite == null) {
      end.run();
    } else {
      lastWrite.addListener(written -> end.run());
    }
  }

  /**
   * During a stop, sends the end of the stream after the last answer and keeps reading (and
   * dropping) until the client closes its side, then closes. Closing at once, while a pipelining
   * client was still sending, left its late requests unread, and closing a socket with unread input
   * sends a reset, which discarded answers the client had not read yet (QA: 413 in one run). The
   * server's stop closes whatever is still open after its wait. TLS closes with close_notify.
   */
  private void endOutput() {
    if (ctx.channel() instanceof DuplexChannel duplex
        && ctx.pipeline().get(SslHandler.class) == null) {
      duplex.shutdownOutput();
    } else {
      ctx.close();
    }
  }

  /** Why a frame over the small pre-AUTH limit was too big, for a client that forgot its token. */
  private String preAuthHint(String problem) {
    return problem != null
            && problem.contains("exceeds the limit")
            && services.auth().required()
            && !auth.allows()
        ? " (frames are limited to "
            + ProtocolLimits.PREAUTH_MAX_PAYLOAD
            + " bytes until the session authenticates: send AUTH first)"
        : "";
  }

  /** Requests that will never be answered (the connection is going) stop counting as in flight. */
  private void abandonQueue() {
    for (int i = queue.size(); i > 0; i--) {
      queue.poll();
      services.inFlight().finished();
    }
    deferred.clear(); // parsed requests: their frames were released when read
    bulkUnwritten = 0;
  }

  private ChannelFuture write(Pending p) {
    WireError error = null;
    JsonNode result = null;
    try {
      result = p.result().join();
    } catch (CompletionException | CancellationException e) {
      error = services.errors().toWire(e);
    }
    ByteBuf buf =
        error == null
            ? services.codec().encodeOk(ctx.alloc(), p.id(), result)
            : services.codec().encodeError(ctx.alloc(), p.id(), error);
    if (buf.readableBytes() > ProtocolLimits.MAX_PAYLOAD) {
      int size = buf.readableBytes();
      buf.release();
      // A write's result gets here only from a WAL adapter that stores records whose replies
      // cannot be framed (ours refuses them); the write is durable, so say so, or a client would
      // send it again.
      String what =
          error == null && WRITES.contains(p.op())
              ? "the write was applied and is durable, but its result of "
                  + size
                  + " bytes exceeds the 16 MiB frame limit (do not send it again)"
              : "response of "
                  + size
                  + " bytes exceeds the 16 MiB frame limit; ask for less (limit/offset)";
      error = services.errors().toWire(RstmdbException.badRequest(what));
      buf = services.codec().encodeError(ctx.alloc(), p.id(), error);
    }
    if (p.beforeWrite() != null && error == null) {
      p.beforeWrite().run();
    }
    ChannelFuture written = ctx.write(buf);
    lastWrite = written;
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{} {} id={} -> {}",
          remote,
          LoggedText.quoted(p.op()),
          LoggedText.quoted(p.id()),
          error == null ? "OK" : error.code().name());
    }
    services
        .metrics()
        .request(p.op(), System.nanoTime() - p.startNanos(), error == null ? null : code(error));
    return written;
  }

  private static String code(WireError error) {
    return error.code().name();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == ServerStopping.INSTANCE) {
      // Closing at once dropped answers still in the outbound buffer, of writes already applied
      // and durable (a pipelining client saw 270 of 400): the client could not tell them from
      // requests never run. Requests arriving from now on are read and dropped (see endOutput).
      stopping = true;
      ctx.channel().config().setAutoRead(true);
      if (!closing) {
        refuseDeferred();
      }
      if (!closing && queue.isEmpty()) {
        closeWhenWritten();
      }
      return;
    }
    if (evt instanceof ChannelInputShutdownEvent) {
      // A client that sends its requests and then shuts down its side (printf ... | nc -N) still
      // gets every answer: the requests already read are answered, then the connection closes.
      inputShut = true;
      if (stopping && closing) {
        ctx.close(); // the client has read to our end of stream and closed its side
        return;
      }
      if (!closing && queue.isEmpty() && deferred.isEmpty()) {
        closeWhenWritten();
      }
      return;
    }
    if (evt instanceof IdleStateEvent && !(watches != null && watches.isWatching())) {
      LOG.info("closing idle connection {}", remote);
      ctx.close();
      return;
    }
    if (evt instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      logTlsFailure("TLS handshake with {} failed: {}", handshake.cause());
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable c = cause;
    if (c instanceof DecoderException && c.getCause() instanceof SSLException) {
      if (c.getCause() instanceof SSLHandshakeException) {
        // The handshake's completion event logs this one (userEventTriggered).
        LOG.debug("TLS error on {}: {}", remote, c.getCause().toString());
      } else {
        logTlsFailure("TLS error on {}: {}", c.getCause());
      }
      ctx.close();
      return;
    }
    if (c instanceof CorruptedFrameException) {
      if (!closing) {
        LOG.debug("framing error on {}", remote, c);
        // Answer after the responses already owed, then close (decision 8).
        long now = System.nanoTime();
        Pending answer =
            new Pending(
                null,
                "FRAME",
                CompletableFuture.failedFuture(
                    RstmdbException.badRequest(
                        "invalid frame: " + c.getMessage() + preAuthHint(c.getMessage()))),
                now,
                null,
                true);
        if (stopping) {
          enqueue(answer); // nothing waits in deferred during a stop
        } else {
          submit(new Deferred(null, now, answer));
        }
      }
      return;
    }
    if (c instanceof IOException) {
      LOG.debug("I/O error on {}", remote, c);
      ctx.close();
      return;
    }
    LOG.warn("closing {} after an unexpected error", remote, c);
    ctx.close();
  }

  /**
   * A stop runs nothing more: the requests read but not run yet are answered with an error that
   * says they were not run (so a client may send them again), in order, after those already owed.
   */
  private void refuseDeferred() {
    if (deferred.isEmpty()) {
      return;
    }
    // Queued all before draining: a drain emptying the queue midway would end the connection.
    boolean wasDraining = draining;
    draining = true;
    try {
      while (!deferred.isEmpty()) {
        Deferred d = deferred.poll();
        if (d.answer() != null) {
          enqueue(d.answer());
        } else {
          Request r = d.request();
          enqueue(
              new Pending(
                  r.id(),
                  r.knownOp().map(Op::wireName).orElse("UNKNOWN"),
                  CompletableFuture.failedFuture(
                      new RstmdbException(
                          ErrorCode.INTERNAL_ERROR,
                          "the server is stopping; the request was not run")),
                  d.startNanos(),
                  null,
                  false));
        }
      }
    } finally {
      draining = wasDraining;
    }
    drain();
  }

  /**
   * One failure can arrive both as the handshake's completion event and as an exception (a
   * plain-text client on a TLS port does): the first logs at INFO, the second only at DEBUG.
   */
  private void logTlsFailure(String format, Throwable cause) {
    String why = tlsFailureText(cause);
    Object remote = this.remote != null ? this.remote : PeerAddress.of(ctx.channel());
    if (tlsFailureLogged) {
      LOG.debug(format, remote, why);
    } else {
      tlsFailureLogged = true;
      LOG.info(format, remote, why);
    }
  }

  /**
   * Netty's text for plain bytes on a TLS port is a hex dump of them: a plain-text client's HELLO
   * and AUTH, bearer token included, went into the log. Its class says enough.
   */
  private static String tlsFailureText(Throwable cause) {
    return cause instanceof NotSslRecordException
        ? "not a TLS record (a plain-text client on the TLS port?)"
        : cause.toString();
  }

  private CompletableFuture<JsonNode> done(JsonNode value) {
    return CompletableFuture.completedFuture(value);
  }

  private ObjectNode flag(String name) {
    ObjectNode o = services.json().object();
    o.put(name, true);
    return o;
  }
}
