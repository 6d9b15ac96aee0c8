package io.rstmdb.server.failpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.failpoint.Failpoints;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HaltingFailpointsTest {

  @Test
  void unsetOrBlankMeansNone() {
    assertThat(HaltingFailpoints.parse(null)).isSameAs(Failpoints.NONE);
    assertThat(HaltingFailpoints.parse(" , ")).isSameAs(Failpoints.NONE);
  }

  @Test
  void parsesCommaSeparatedNames() {
    Failpoints f = HaltingFailpoints.parse("snapshot.after_rename, compact.before_wal_delete");
    assertThat(f).isInstanceOf(HaltingFailpoints.class);
    assertThat(((HaltingFailpoints) f).armed())
        .isEqualTo(Set.of("snapshot.after_rename", "compact.before_wal_delete"));
  }

  @Test
  void unlistedNamesDoNothing() {
    // A listed name would halt this JVM; child-process crash tests cover that path.
    HaltingFailpoints.parse("a.b").hit("c.d");
  }
}
