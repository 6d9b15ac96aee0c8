package io.rstmdb.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.error.RstmdbException;
import java.util.ArrayList;
import java.util.List;

/**
 * WATCH_ALL params. Absent params mean "everything, live" (the Java client may send none).
 *
 * @param fromOffset 0 = live events only; otherwise the first WAL offset to replay from
 */
record WatchAllParams(EventFilter.All filter, boolean includeCtx, long fromOffset) {

  /**
   * Values one filter list may hold. A subscription keeps its filter for its whole life, several
   * times the request's size in heap: without a cap, 64 subscriptions of 16 MiB lists pinned
   * gigabytes per connection (security.md, "Limits that protect the server").
   */
  static final int MAX_FILTER_VALUES = 1024;

  /** Characters in all of one subscription's filter lists together. */
  static final int MAX_FILTER_CHARS = 64 * 1024;

  private static final List<String> LISTS =
      List.of("machines", "from_states", "to_states", "events");

  static WatchAllParams parse(JsonNode params) {
    WatchParamReader reader = new WatchParamReader(params);
    List<List<String>> lists = new ArrayList<>(LISTS.size());
    long chars = 0;
    for (String field : LISTS) {
      List<String> values = reader.optionalStrings(field);
      if (values.size() > MAX_FILTER_VALUES) {
        throw RstmdbException.badRequest(
            "invalid request: `"
                + field
                + "` lists "
                + values.size()
                + " values; a watch filter takes at most "
                + MAX_FILTER_VALUES);
      }
      for (String value : values) {
        chars += value.length();
      }
      lists.add(values);
    }
    if (chars > MAX_FILTER_CHARS) {
      throw RstmdbException.badRequest(
          "invalid request: the watch filter's values hold "
              + chars
              + " characters; at most "
              + MAX_FILTER_CHARS
              + " in all");
    }
    EventFilter.All filter =
        EventFilter.All.of(lists.get(0), lists.get(1), lists.get(2), lists.get(3));
    return new WatchAllParams(
        filter,
        reader.optionalBoolean("include_ctx", true),
        reader.optionalOffset("from_offset", 0));
  }
}
