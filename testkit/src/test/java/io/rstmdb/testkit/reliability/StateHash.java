package io.rstmdb.testkit.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rstmdb.protocol.client.RcpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A fingerprint of everything a client can see of the state: LIST_MACHINES, every page of
 * LIST_INSTANCES and GET_INSTANCE of every instance (pipelined). Two recoveries from the same files
 * must give the same hash.
 */
final class StateHash {
  private StateHash() {}

  static String of(RcpClient client, Duration timeout) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    JsonNodeFactory json = JsonNodeFactory.instance;
    add(digest, Reply.call(client, "LIST_MACHINES", null, timeout).orFail("LIST_MACHINES"));
    List<String> ids = new ArrayList<>();
    for (int offset = 0; ; offset += 1000) {
      JsonNode page =
          Reply.call(
                  client,
                  "LIST_INSTANCES",
                  json.objectNode().put("limit", 1000).put("offset", offset),
                  timeout)
              .orFail("LIST_INSTANCES");
      add(digest, page);
      page.path("instances").forEach(i -> ids.add(i.path("id").asText()));
      if (!page.path("has_more").asBoolean()) {
        break;
      }
    }
    List<CompletableFuture<JsonNode>> gets = new ArrayList<>();
    for (String id : ids) {
      gets.add(client.call("GET_INSTANCE", json.objectNode().put("instance_id", id)));
    }
    for (int i = 0; i < ids.size(); i++) {
      add(digest, Reply.await(gets.get(i), timeout).orFail("GET_INSTANCE " + ids.get(i)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void add(MessageDigest digest, JsonNode node) {
    digest.update(node.toString().getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }
}
