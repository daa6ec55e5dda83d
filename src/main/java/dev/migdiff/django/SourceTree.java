package dev.migdiff.django;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The files of one revision of a project, as Django's discovery needs them. Paths use '/' with
 * no leading '/'; "" is the root. Implemented over Git trees, and in memory for tests.
 */
public interface SourceTree {
  /** One directory entry; {@code id} identifies the content (a Git object id). */
  record Entry(String name, Kind kind, String id) {}

  /** What an entry is. */
  enum Kind { FILE, DIR, SYMLINK, SUBMODULE }

  /** The entries of a directory, sorted by name; empty when it is not a directory. */
  List<Entry> list(String dir) throws IOException;

  Optional<Entry> entry(String path) throws IOException;

  /**
   * The content of a file entry. Several threads may read at once (operations are parsed in
   * parallel); listing is done by one.
   */
  byte[] read(Entry file) throws IOException;

  /**
   * The order in which to read these file entries fastest (for Git: pack order, where each
   * delta's base comes first); by default as given.
   */
  default List<Entry> readOrder(List<Entry> files) {
    return files;
  }

  /** Every directory whose last name is {@code name}, sorted. */
  List<String> findDirectories(String name) throws IOException;

  /**
   * An id that names {@code file}'s content, for caches keyed by content: its id, unless this
   * tree derives the id from something else (a merged tree's file merged only when read names
   * its three inputs). Equal contents may still have different ids.
   */
  default String contentId(Entry file) throws IOException {
    return file.id();
  }

  static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i < 0 ? "" : path.substring(0, i);
  }
}
