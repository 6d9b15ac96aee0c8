package io.rstmdb.server.it;

import static io.rstmdb.server.it.ServerFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.protocol.client.RcpClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus and health endpoint. */
class MetricsIT {

  @TempDir Path dir;

  private static HttpResponse<String> get(InetSocketAddress at, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(InetSocketAddress at, String path, String method)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientThatSendsHalfARequestDoesNotHoldUpHealthChecks() throws Exception {
    try (ServerFixture f =
        new ServerFixture(
            dir, c -> c.withMetrics(c.metrics().withEnabled(true).withBindAddr("127.0.0.1:0")))) {
      InetSocketAddress at = f.server.metricsAddress().orElseThrow();
      try (java.net.Socket slow = new java.net.Socket("127.0.0.1", at.getPort())) {
        slow.getOutputStream()
            .write("GET /metr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        slow.getOutputStream().flush();
        Thread.sleep(200); // the server has taken it up
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + at.getPort() + "/healthz"))
                        .timeout(java.time.Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("OK");
      }
    }
  }

  @Test
  void servesMetricsHealthAndNotFound() throws Exception {
    try (ServerFixture f =
        new ServerFixture(
            dir, c -> c.withMetrics(c.metrics().withEnabled(true).withBindAddr("127.0.0.1:0")))) {
      RcpClient c = f.client();
      call(
          c,
          "PUT_MACHINE",
          "{\"machine\":\"m\",\"version\":1,\"definition\":" + ServerFixture.ORDER + "}");
      call(c, "CREATE_INSTANCE", "{\"machine\":\"m\",\"version\":1}");
      ItSupport.code(c, "GET_INSTANCE", "{\"instance_id\":\"none\"}");
      InetSocketAddress at = f.server.metricsAddress().orElseThrow();
      // Gauges must survive a collection (Micrometer holds their state weakly by default).
      System.gc();
      HttpResponse<String> metrics = get(at, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/plain");
      String body = metrics.body();
      assertThat(body)
          .contains("rstmdb_requests_total{operation=\"PUT_MACHINE\"} 1")
          .contains("rstmdb_errors_total{code=\"INSTANCE_NOT_FOUND\"} 1")
          // Series an alert needs exist before their first error.
          .contains("rstmdb_errors_total{code=\"WAL_IO_ERROR\"} 0")
          .contains(
              "rstmdb_request_duration_seconds_bucket{operation=\"CREATE_INSTANCE\",le=\"0.001\"}")
          .contains("rstmdb_connections_total 1")
          .contains("rstmdb_connections_active 1")
          .contains("rstmdb_instances 1")
          .contains("rstmdb_machines 1")
          .contains("rstmdb_wal_entries 2")
          .contains("rstmdb_wal_size_bytes")
          .containsPattern("rstmdb_wal_fsyncs_total [1-9]")
          .contains("rstmdb_subscriptions_active{type=\"all\"} 0");
      assertThat(get(at, "/healthz").body()).isEqualTo("OK");
      assertThat(get(at, "/health").statusCode()).isEqualTo(200);
      HttpResponse<String> missing = get(at, "/nope");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).isEqualTo("Not Found");
      HttpResponse<String> head = send(at, "/metrics", "HEAD");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Content-Length").map(Integer::parseInt).orElseThrow())
          .isPositive();
      for (String method : new String[] {"POST", "PUT", "DELETE"}) {
        HttpResponse<String> refused = send(at, "/metrics", method);
        assertThat(refused.statusCode()).as(method).isEqualTo(405);
        assertThat(refused.headers().firstValue("Allow")).as(method).contains("GET, HEAD");
      }
    }
  }

  @Test
  void aConnectionRefusedOverTheLimitCountsAsARateLimitedError() throws Exception {
    try (ServerFixture f =
            new ServerFixture(
                dir,
                c ->
                    c.withMetrics(c.metrics().withEnabled(true).withBindAddr("127.0.0.1:0"))
                        .withNetwork(c.network().withMaxConnections(1)));
        RawConnection holder = new RawConnection(f.port())) {
      holder.sendJson("{\"type\":\"request\",\"id\":\"1\",\"op\":\"PING\"}");
      holder.readFrame();
      try (RawConnection refused = new RawConnection(f.port())) {
        assertThat(refused.readFrame().at("/error/code").asText()).isEqualTo("RATE_LIMITED");
      }
      InetSocketAddress at = f.server.metricsAddress().orElseThrow();
      assertThat(get(at, "/metrics").body())
          .contains("rstmdb_errors_total{code=\"RATE_LIMITED\"} 1");
    }
  }

  @Test
  void disabledByDefault() {
    try (ServerFixture f = new ServerFixture(dir)) {
      assertThat(f.server.metricsAddress()).isEmpty();
    }
  }
}
