package dev.migdiff.analysis;

import dev.migdiff.django.SourceTree;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A view of a tree in which some apps' migrations packages hold only their {@code __init__.py}:
 * radar reads the apps a branch changes and leaves the rest unread. An app's leaves, and so
 * {@code detect_conflicts()} for it, depend only on that app's own migrations (dependencies on
 * other apps and their {@code run_before} never add a child inside the app), so the apps kept
 * answer exactly as in the whole tree.
 */
final class AppFilterTree implements SourceTree {
  private final SourceTree tree;
  private final Set<String> hidden;
  private final boolean appsKnown;

  /**
   * {@code hidden}: the migrations directories (paths) whose files are left out. With
   * {@code appsKnown} (the apps are not resolved from this tree) a hidden directory is not even
   * listed: merging the listings of dozens of untouched directories is most of a merged read.
   */
  AppFilterTree(SourceTree tree, Set<String> hidden, boolean appsKnown) {
    this.tree = tree;
    this.hidden = hidden;
    this.appsKnown = appsKnown;
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    if (appsKnown && hidden.contains(dir)) {
      return List.of();
    }
    List<Entry> all = tree.list(dir);
    if (hidden.contains(dir)) {
      return all.stream().filter(e -> e.name().equals("__init__.py")).toList();
    }
    List<Entry> out = null;
    for (int i = 0; i < all.size(); i++) {
      Entry e = all.get(i);
      if (e.kind() != Kind.DIR) {
        continue;
      }
      Entry m = masked(SourceTree.join(dir, e.name()), e);
      if (m != e) {
        if (out == null) {
          out = new java.util.ArrayList<>(all);
        }
        out.set(i, m);
      }
    }
    return out == null ? all : out;
  }

  /**
   * A hidden directory under another id: its id names the whole directory, which this view does
   * not show, and whatever is kept by tree id (the run's readings of an app, the disk cache)
   * must not take one for the other.
   */
  private Entry masked(String path, Entry e) {
    return e.kind() == Kind.DIR && hidden.contains(path) && e.id() != null
        ? new Entry(e.name(), e.kind(), "filtered:" + e.id()) : e;
  }

  @Override
  public Optional<Entry> entry(String path) throws IOException {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (hidden.contains(SourceTree.parent(path)) && !name.equals("__init__.py")) {
      return Optional.empty();
    }
    Optional<Entry> e = tree.entry(path);
    return e.isPresent() ? Optional.of(masked(path, e.get())) : e;
  }

  @Override
  public byte[] read(Entry file) throws IOException {
    return tree.read(file);
  }

  @Override
  public List<Entry> readOrder(List<Entry> files) {
    return tree.readOrder(files);
  }

  @Override
  public List<String> findDirectories(String name) throws IOException {
    return tree.findDirectories(name);
  }

  @Override
  public String contentId(Entry file) throws IOException {
    return tree.contentId(file);
  }
}
