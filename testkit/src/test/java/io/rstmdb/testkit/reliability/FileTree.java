package io.rstmdb.testkit.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A listing of every file under a root (path, size, modification time) except one excluded subtree,
 * to prove the server writes nothing outside its data directory.
 */
record FileTree(Map<String, String> files) {

  static FileTree of(Path root, Path excluded) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> excluded == null || !p.startsWith(excluded))
          .forEach(
              p -> {
                try {
                  BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                  files.put(
                      root.relativize(p).toString(),
                      a.isDirectory() ? "dir" : a.size() + "@" + a.lastModifiedTime().toMillis());
                } catch (IOException e) {
                  files.put(root.relativize(p).toString(), "unreadable: " + e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FileTree(files);
  }

  /** Names of every file under {@code root}, for checks that no file is named after hostile ids. */
  static Map<String, String> all(Path root) {
    return of(root, null).files();
  }
}
