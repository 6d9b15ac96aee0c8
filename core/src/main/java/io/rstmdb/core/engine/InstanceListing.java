package io.rstmdb.core.engine;

import io.rstmdb.core.api.InstancePage;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.state.DatabaseState;
import io.rstmdb.core.state.InstanceRecord;
import java.util.ArrayList;
import java.util.List;

/** LIST_INSTANCES: filter live instances, keep id order, count the total, cut one page. */
final class InstanceListing {
  private InstanceListing() {}

  static InstancePage page(DatabaseState state, InstanceQuery query) {
    if (query.limit() < 0 || query.offset() < 0) {
      throw RstmdbException.badRequest("limit and offset must not be negative");
    }
    if (query.machine() == null && query.version() == null && query.state() == null) {
      return unfiltered(state, query);
    }
    return filtered(state.instances(), query);
  }

  /** Without filters the total is known, so only the page itself is walked. */
  private static InstancePage unfiltered(DatabaseState state, InstanceQuery query) {
    long total = state.liveInstanceCount();
    List<InstanceView> page = new ArrayList<>();
    long skipped = 0;
    for (InstanceRecord i : state.instances()) {
      if (page.size() >= query.limit()) {
        break;
      }
      if (i.deleted()) {
        continue;
      }
      if (skipped < query.offset()) {
        skipped++;
      } else {
        page.add(i.view());
      }
    }
    return new InstancePage(List.copyOf(page), total, query.offset() + page.size() < total);
  }

  private static InstancePage filtered(Iterable<InstanceRecord> byId, InstanceQuery query) {
    List<InstanceView> page = new ArrayList<>();
    long total = 0;
    for (InstanceRecord i : byId) {
      if (!matches(i, query)) {
        continue;
      }
      if (total >= query.offset() && page.size() < query.limit()) {
        page.add(i.view());
      }
      total++;
    }
    return new InstancePage(List.copyOf(page), total, query.offset() + page.size() < total);
  }

  private static boolean matches(InstanceRecord i, InstanceQuery q) {
    return !i.deleted()
        && (q.machine() == null || q.machine().equals(i.machine()))
        && (q.version() == null || q.version() == i.version())
        && (q.state() == null || q.state().equals(i.state()));
  }
}
