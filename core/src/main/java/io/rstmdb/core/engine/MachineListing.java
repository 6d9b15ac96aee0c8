package io.rstmdb.core.engine;

import io.rstmdb.core.api.MachineSummary;
import io.rstmdb.core.state.MachineRecord;
import java.util.ArrayList;
import java.util.List;

/** LIST_MACHINES: group the sorted machine versions by name. */
final class MachineListing {
  private MachineListing() {}

  /** {@code byNameThenVersion} must be sorted by name, then version. */
  static List<MachineSummary> summaries(Iterable<MachineRecord> byNameThenVersion) {
    List<MachineSummary> out = new ArrayList<>();
    String name = null;
    List<Long> versions = new ArrayList<>();
    for (MachineRecord m : byNameThenVersion) {
      if (!m.key().name().equals(name)) {
        if (name != null) {
          out.add(new MachineSummary(name, List.copyOf(versions)));
        }
        name = m.key().name();
        versions = new ArrayList<>();
      }
      versions.add(m.key().version());
    }
    if (name != null) {
      out.add(new MachineSummary(name, List.copyOf(versions)));
    }
    return List.copyOf(out);
  }
}
