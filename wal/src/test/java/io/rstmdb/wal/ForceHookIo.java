package io.rstmdb.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The system's file I/O with a hook that runs before every fsync once armed, i.e. after the log has
 * opened (opening syncs too): lets a test count fsyncs or hold them back.
 */
final class ForceHookIo extends ForwardingFileIo {
  private final Runnable hook;
  private volatile boolean armed;

  ForceHookIo(Runnable hook) {
    super(FileIo.system());
    this.hook = hook;
  }

  /** Opens a log in {@code dir} on this I/O, then arms the hook. */
  SegmentedWal openArmed(Path dir) {
    SegmentedWal wal = SegmentedWal.open(dir, WalOptions.defaults().withIo(this));
    armed = true;
    return wal;
  }

  /** Arms the hook at once, for a log opened elsewhere: the syncs of its opening run it too. */
  ForceHookIo armedNow() {
    armed = true;
    return this;
  }

  @Override
  protected WalFile wrap(WalFile file) {
    return new ForwardingWalFile(file) {
      @Override
      public void force() throws IOException {
        if (armed) {
          hook.run();
        }
        super.force();
      }
    };
  }
}
