package io.rstmdb.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain HTTP for scrapers and health checks, on its own small thread: {@code /metrics} (Prometheus
 * text), {@code /health} and {@code /healthz} ({@code OK}), 404 for anything else. Only GET and
 * HEAD read them; any other method is 405, so that a misdirected POST or PUT (a webhook, a mistyped
 * tool) is told so instead of looking as if it had done something.
 */
public final class MetricsHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Threads serving requests. The JDK server reads a request on the thread that serves it, so one
   * client that sent half a request held a single thread, and with it every health check, for as
   * long as it liked (QA: /healthz unanswered for 75 s, a reason for an orchestrator to restart a
   * healthy database). A few threads, and the request time limit below, bound that.
   */
  static final int THREADS = 4;

  /** Seconds a client may take to send a request before the JDK server drops it. */
  static final String MAX_REQUEST_SECONDS = "10";

  /** Binds and starts serving. */
  public static MetricsHttpServer start(InetSocketAddress bind, PrometheusMeterRegistry registry)
      throws IOException {
    // The JDK server reads its limits once, when its first instance is made; an operator's own
    // -Dsun.net.httpserver.maxReqTime wins.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    }
    HttpServer server = HttpServer.create(bind, 16);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "rstmdb-metrics-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, registry));
    server.start();
    return new MetricsHttpServer(server, executor);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "Method Not Allowed");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/metrics" ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        case "/health", "/healthz" -> respond(exchange, 200, "text/plain; charset=utf-8", "OK");
        case "/" ->
            respond(
                exchange,
                200,
                "text/html; charset=utf-8",
                "<html><body><a href=\"/metrics\">metrics</a></body></html>");
        default -> respond(exchange, 404, "text/plain; charset=utf-8", "Not Found");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    if (exchange.getRequestMethod().equals("HEAD")) {
      // A HEAD answer has no body; -1 says so (a length would make the JDK server warn).
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
