package io.rstmdb.core.error;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * An I/O failure as an operator reads it: the file and what the system said. The JDK's file
 * exceptions carry only the path as their message ({@code AccessDeniedException: /data/wal}), which
 * names the file but not the problem; here it becomes {@code /data/wal: permission denied}.
 *
 * <pre>{@code
 * catch (IOException e) {
 *   throw new RstmdbException(ErrorCode.WAL_IO_ERROR, "cannot open the WAL: " + IoReason.of(e), e);
 * }
 * }</pre>
 */
public final class IoReason {
  private IoReason() {}

  /** The failure's file (when it names one) and its reason, in one line. */
  public static String of(Throwable failure) {
    if (failure instanceof FileSystemException fs) {
      String reason = reason(fs);
      StringBuilder out = new StringBuilder();
      if (fs.getFile() != null) {
        out.append(fs.getFile());
        if (fs.getOtherFile() != null) {
          out.append(" -> ").append(fs.getOtherFile());
        }
        out.append(": ");
      }
      return out.append(reason).toString();
    }
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
  }

  /**
   * Only what the system said ({@code permission denied}), for a message that names the file
   * itself.
   */
  public static String reasonOf(Throwable failure) {
    if (failure instanceof FileSystemException fs) {
      return reason(fs);
    }
    return of(failure);
  }

  private static String reason(FileSystemException fs) {
    if (fs.getReason() != null && !fs.getReason().isBlank()) {
      return fs.getReason();
    }
    if (fs instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (fs instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (fs instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (fs instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (fs instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    return fs.getClass().getSimpleName();
  }
}
