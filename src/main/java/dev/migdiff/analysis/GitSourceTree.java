package dev.migdiff.analysis;

import dev.migdiff.django.SourceTree;
import dev.migdiff.git.GitTree;
import dev.migdiff.git.TreeEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link SourceTree} over one commit's Git tree, caching directory listings: by path, and by
 * tree id in {@code byTreeId}, which the revisions of one run share (FROM, TO and their merge base
 * list each directory they have in common once).
 */
final class GitSourceTree implements SourceTree {
  private final GitTree tree;
  private final Map<String, List<Entry>> byTreeId;
  private final Map<String, List<Entry>> listings = new HashMap<>();
  /** A path of each blob listed, to name the file when its object cannot be read. */
  private final Map<String, String> paths = new HashMap<>();

  GitSourceTree(GitTree tree) {
    this(tree, new HashMap<>());
  }

  GitSourceTree(GitTree tree, Map<String, List<Entry>> byTreeId) {
    this.tree = tree;
    this.byTreeId = byTreeId;
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    List<Entry> cached = listings.get(dir);
    if (cached == null) {
      String id = dir.isEmpty() ? tree.id()
          : entry(dir).filter(e -> e.kind() == Kind.DIR).map(Entry::id).orElse(null);
      cached = id == null ? null : byTreeId.get(id);
      if (cached == null) {
        List<Entry> read = new ArrayList<>();
        for (TreeEntry e : tree.list(dir)) {
          read.add(convert(e));
        }
        cached = List.copyOf(read);
        if (id != null) {
          byTreeId.put(id, cached);
        }
      }
      for (Entry e : cached) {
        paths.putIfAbsent(e.id(), SourceTree.join(dir, e.name()));
      }
      listings.put(dir, cached);
    }
    return cached;
  }

  @Override
  public Optional<Entry> entry(String path) throws IOException {
    String parent = SourceTree.parent(path);
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (path.isEmpty()) {
      return Optional.of(new Entry("", Kind.DIR, tree.id()));
    }
    if (!parent.isEmpty() && entry(parent).filter(e -> e.kind() == Kind.DIR).isEmpty()) {
      return Optional.empty();
    }
    for (Entry e : list(parent)) {
      if (e.name().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public byte[] read(Entry file) throws IOException {
    return tree.read(file.id(), paths.getOrDefault(file.id(), file.name()));
  }

  @Override
  public List<Entry> readOrder(List<Entry> files) {
    Map<String, Long> rank = tree.packOrder(files.stream().map(Entry::id).toList());
    List<Entry> out = new ArrayList<>(files);
    out.sort(java.util.Comparator.comparingLong(e -> rank.getOrDefault(e.id(), Long.MAX_VALUE)));
    return out;
  }

  @Override
  public List<String> findDirectories(String name) throws IOException {
    return tree.findDirectories(name);
  }

  private static Entry convert(TreeEntry e) {
    Kind kind = switch (e.kind()) {
      case FILE -> Kind.FILE;
      case TREE -> Kind.DIR;
      case SYMLINK -> Kind.SYMLINK;
      case SUBMODULE -> Kind.SUBMODULE;
    };
    return new Entry(e.name(), kind, e.id());
  }
}
