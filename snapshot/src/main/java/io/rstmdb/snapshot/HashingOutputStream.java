package io.rstmdb.snapshot;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Passes bytes through to the file while feeding them to a digest, so hashing needs no re-read. */
final class HashingOutputStream extends FilterOutputStream {
  private final MessageDigest digest;
  private long count;

  HashingOutputStream(OutputStream out, MessageDigest digest) {
    super(out);
    this.digest = digest;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    digest.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    digest.update(b, off, len);
    count += len;
  }

  /** Bytes written so far. */
  long count() {
    return count;
  }
}
