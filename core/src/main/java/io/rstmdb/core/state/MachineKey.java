package io.rstmdb.core.state;

import io.rstmdb.core.json.CanonicalJson;
import java.util.Comparator;
import java.util.Objects;

/** A machine version's identity: name and version. Sorted by name (code points), then version. */
public record MachineKey(String name, long version) implements Comparable<MachineKey> {

  private static final Comparator<MachineKey> ORDER =
      Comparator.comparing(MachineKey::name, CanonicalJson.codePointOrder())
          .thenComparingLong(MachineKey::version);

  public MachineKey {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public int compareTo(MachineKey other) {
    return ORDER.compare(this, other);
  }
}
