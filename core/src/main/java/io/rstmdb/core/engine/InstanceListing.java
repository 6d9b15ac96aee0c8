package io.rstmdb.core.engine;

import io.rstmdb.core.api.InstancePage;
import io.rstmdb.core.api.InstanceQuery;
import io.rstmdb.core.api.InstanceView;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.state.InstanceRecord;
import java.util.ArrayList;
import java.util.List;

/** LIST_INSTANCES: filter live instances, keep id order, count the total, cut one page. */
final class InstanceListing {
  private InstanceListing() {}

  static InstancePage page(Iterable<InstanceRecord> byId, InstanceQuery query) {
    if (query.limit() < 0 || query.offset() < 0) {
      throw RstmdbException.badRequest("limit and offset must not be negative");
    }
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
