package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * WATCH_ALL params. Absent params mean "everything, live" (the Java client may send none).
 *
 * @param fromOffset 0 = live events only; otherwise the first WAL offset to replay from
 */
record WatchAllParams(EventFilter.All filter, boolean includeCtx, long fromOffset) {

  static WatchAllParams parse(JsonNode params) {
    WatchParamReader reader = new WatchParamReader(params);
    EventFilter.All filter =
        EventFilter.All.of(
            reader.optionalStrings("machines"),
            reader.optionalStrings("from_states"),
            reader.optionalStrings("to_states"),
            reader.optionalStrings("events"));
    return new WatchAllParams(
        filter,
        reader.optionalBoolean("include_ctx", true),
        reader.optionalOffset("from_offset", 0));
  }
}
