package io.rstmdb.testkit.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort;
import io.rstmdb.testkit.contract.SnapshotPortContract;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract is only worth something if it catches broken adapters: each broken binding below
 * fails the contract test aimed at its defect, while the reference binding passes that same test.
 */
class SnapshotPortContractCanFailTest {

  /** Runs one test method of one nested group of the contract against {@code binding}. */
  private static Throwable run(SnapshotPortContract binding, String group, String method)
      throws Exception {
    Class<?> nested = Class.forName(SnapshotPortContract.class.getName() + "$" + group);
    Constructor<?> ctor = nested.getDeclaredConstructor(SnapshotPortContract.class);
    ctor.setAccessible(true);
    Method before = SnapshotPortContract.class.getDeclaredMethod("createStoreUnderTest");
    Method after = SnapshotPortContract.class.getDeclaredMethod("closeStoreUnderTest");
    before.setAccessible(true);
    after.setAccessible(true);
    before.invoke(binding);
    Object instance = ctor.newInstance(binding);
    Method test = nested.getDeclaredMethod(method);
    test.setAccessible(true);
    try {
      test.invoke(instance);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } finally {
      after.invoke(binding);
    }
  }

  private static void assertCaught(
      SnapshotPortContract broken, SnapshotPortContract reference, String group, String method)
      throws Exception {
    assertThat(run(reference, group, method)).as("reference passes %s", method).isNull();
    assertThat(run(broken, group, method))
        .as("broken adapter fails %s", method)
        .isInstanceOf(AssertionError.class);
  }

  private static class Reference extends SnapshotPortContract {
    @Override
    protected SnapshotPort createStore() {
      return new InMemorySnapshotStore();
    }

    @Override
    protected SnapshotPort reopen(SnapshotPort store) {
      return ((InMemorySnapshotStore) store).reopen();
    }

    @Override
    protected void corrupt(SnapshotPort store, String id) {
      ((InMemorySnapshotStore) store).corrupt(id);
    }
  }

  /** Lists snapshots oldest first. */
  private static final class WrongOrder extends Reference {
    @Override
    protected SnapshotPort createStore() {
      return new Forwarding(new InMemorySnapshotStore()) {
        @Override
        public List<SnapshotInfo> list() {
          List<SnapshotInfo> l = new ArrayList<>(super.list());
          Collections.reverse(l);
          return l;
        }
      };
    }

    @Override
    protected SnapshotPort reopen(SnapshotPort store) {
      return store;
    }
  }

  /** Forgets everything on restart. */
  private static final class Forgetful extends Reference {
    @Override
    protected SnapshotPort reopen(SnapshotPort store) {
      store.close();
      return new InMemorySnapshotStore();
    }
  }

  /** Its "damage" does nothing, as if the store never verified anything. */
  private static final class Blind extends Reference {
    @Override
    protected void corrupt(SnapshotPort store, String id) {}
  }

  @Test
  void wrongListOrderIsCaught() throws Exception {
    assertCaught(new WrongOrder(), new Reference(), "WriteCommitList", "listOrder");
  }

  @Test
  void lostSnapshotsOnRestartAreCaught() throws Exception {
    assertCaught(new Forgetful(), new Reference(), "Durability", "committedSurvive");
  }

  @Test
  void undetectedDamageIsCaught() throws Exception {
    assertCaught(new Blind(), new Reference(), "Damage", "damagedIsReported");
  }

  /** Passes every call on; subclasses override the one they break. */
  private static class Forwarding implements SnapshotPort {
    private final SnapshotPort d;

    Forwarding(SnapshotPort d) {
      this.d = d;
    }

    @Override
    public SnapshotWriter begin(SnapshotKind kind, long walOffset, long createdAt) {
      return d.begin(kind, walOffset, createdAt);
    }

    @Override
    public List<SnapshotInfo> list() {
      return d.list();
    }

    @Override
    public SnapshotReader open(String snapshotId) {
      return d.open(snapshotId);
    }

    @Override
    public void delete(String snapshotId) {
      d.delete(snapshotId);
    }

    @Override
    public void close() {
      d.close();
    }
  }
}
