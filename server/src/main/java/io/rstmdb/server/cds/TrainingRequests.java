package io.rstmdb.server.cds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rstmdb.protocol.Op;
import io.rstmdb.protocol.client.ClientOptions;
import io.rstmdb.protocol.client.RcpClient;
import io.rstmdb.server.RstmdbServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The requests of a CDS training run, sent through the real client: the common operations of a
 * workload (machines, instances, events with a guard, batches, reads, the WAL, a snapshot), a few
 * of them pipelined, and one scrape of the metrics endpoint.
 */
final class TrainingRequests {

  private static final String MACHINE =
      "{\"states\":[\"created\",\"paid\",\"shipped\"],\"initial\":\"created\",\"transitions\":["
          + "{\"from\":\"created\",\"event\":\"PAY\",\"to\":\"paid\"},"
          + "{\"from\":[\"paid\"],\"event\":\"SHIP\",\"to\":\"shipped\","
          + "\"guard\":\"ctx.amount > 0\"}]}";
  private static final int INSTANCES = 20;
  private static final long TIMEOUT_SECONDS = 30;

  private final ObjectMapper json = new ObjectMapper();
  private final RcpClient client;

  private TrainingRequests(RcpClient client) {
    this.client = client;
  }

  /** Fills an empty server, writes a snapshot with COMPACT, then adds a tail after it. */
  static void firstLifetime(RstmdbServer server) {
    try (RcpClient client = connect(server.address())) {
      TrainingRequests r = new TrainingRequests(client);
      r.call(Op.PING, "{}");
      r.call(Op.INFO, "{}");
      r.call(
          Op.PUT_MACHINE, "{\"machine\":\"order\",\"version\":1,\"definition\":" + MACHINE + "}");
      r.call(Op.GET_MACHINE, "{\"machine\":\"order\",\"version\":1}");
      r.call(Op.LIST_MACHINES, "{}");
      CompletableFuture<?>[] created = new CompletableFuture<?>[INSTANCES];
      for (int i = 0; i < INSTANCES; i++) {
        created[i] =
            r.send(
                Op.CREATE_INSTANCE,
                "{\"instance_id\":\"o-"
                    + i
                    + "\",\"machine\":\"order\",\"version\":1,\"initial_ctx\":{\"amount\":"
                    + (i + 1)
                    + "}}");
      }
      r.await(CompletableFuture.allOf(created));
      for (int i = 0; i < INSTANCES / 2; i++) {
        r.call(
            Op.APPLY_EVENT,
            "{\"instance_id\":\"o-"
                + i
                + "\",\"event\":\"PAY\",\"payload\":{\"paid_by\":\"card\"},"
                + "\"idempotency_key\":\"pay-"
                + i
                + "\"}");
      }
      r.call(
          Op.BATCH,
          "{\"mode\":\"atomic\",\"ops\":[{\"op\":\"APPLY_EVENT\",\"params\":"
              + "{\"instance_id\":\"o-0\",\"event\":\"SHIP\"}},{\"op\":\"DELETE_INSTANCE\","
              + "\"params\":{\"instance_id\":\"o-19\"}}]}");
      r.call(Op.SNAPSHOT_INSTANCE, "{\"instance_id\":\"o-1\"}");
      r.call(Op.COMPACT, "{\"force_snapshot\":true}");
      for (int i = INSTANCES / 2; i < INSTANCES - 1; i++) {
        r.call(Op.APPLY_EVENT, "{\"instance_id\":\"o-" + i + "\",\"event\":\"PAY\"}");
      }
      r.call(Op.GET_INSTANCE, "{\"instance_id\":\"o-1\"}");
      r.call(Op.LIST_INSTANCES, "{\"limit\":10}");
      r.call(Op.WAL_READ, "{\"from_offset\":0,\"limit\":100}");
      r.call(Op.WAL_STATS, "{}");
    }
    server.metricsAddress().ifPresent(TrainingRequests::scrape);
  }

  /** Reads what the recovered server holds and changes it once more. */
  static void secondLifetime(RstmdbServer server) {
    try (RcpClient client = connect(server.address())) {
      TrainingRequests r = new TrainingRequests(client);
      r.call(Op.GET_INSTANCE, "{\"instance_id\":\"o-2\"}");
      r.call(Op.APPLY_EVENT, "{\"instance_id\":\"o-2\",\"event\":\"SHIP\"}");
      r.call(Op.LIST_INSTANCES, "{}");
    }
  }

  private static RcpClient connect(InetSocketAddress address) {
    try {
      return RcpClient.connect(ClientOptions.of(address.getHostString(), address.getPort()))
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot connect to the training server: " + e, e);
    }
  }

  private static void scrape(InetSocketAddress address) {
    try {
      HttpURLConnection http =
          (HttpURLConnection)
              new URL("http://" + address.getHostString() + ":" + address.getPort() + "/metrics")
                  .openConnection();
      try (InputStream body = http.getInputStream()) {
        body.readAllBytes();
      } finally {
        http.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("metrics scrape failed", e);
    }
  }

  private CompletableFuture<JsonNode> send(Op op, String params) {
    try {
      return client.call(op, json.readTree(params));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request, answered successfully (a training run that gets errors trains the wrong code). */
  private JsonNode call(Op op, String params) {
    return await(send(op, params));
  }

  private <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("training request failed: " + e.getMessage(), e);
    }
  }
}
