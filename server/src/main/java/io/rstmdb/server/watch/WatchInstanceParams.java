package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * WATCH_INSTANCE params.
 *
 * @param fromOffset 0 = live events only; otherwise the first WAL offset to replay from
 */
record WatchInstanceParams(String instanceId, boolean includeCtx, long fromOffset) {

  static WatchInstanceParams parse(JsonNode params) {
    WatchParamReader reader = new WatchParamReader(params);
    return new WatchInstanceParams(
        reader.requiredString("instance_id"),
        reader.optionalBoolean("include_ctx", true),
        reader.optionalOffset("from_offset", 0));
  }
}
