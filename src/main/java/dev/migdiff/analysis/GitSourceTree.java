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
  /** The directories listed, in the order listed (the first path of a blob names it in errors). */
  private final Map<String, List<Entry>> listings = new java.util.LinkedHashMap<>();

  GitSourceTree(GitTree tree) {
    this(tree, new HashMap<>());
  }

  GitSourceTree(GitTree tree, Map<String, List<Entry>> byTreeId) {
    this(tree, byTreeId, dev.migdiff.django.ObjectCache.NONE);
  }

  /**
   * Also keeps the listings between runs in {@code store}, as one entry per root tree id: what a
   * revision's discovery listed, read back in one piece (a tree id names every listing under it,
   * so the entry cannot be stale).
   */
  GitSourceTree(GitTree tree, Map<String, List<Entry>> byTreeId,
      dev.migdiff.django.ObjectCache store) {
    this.tree = tree;
    this.byTreeId = byTreeId;
    this.store = store;
    if (store != dev.migdiff.django.ObjectCache.NONE) {
      byte[] bytes = store.get(KIND, tree.id());
      stored = bytes == null ? Map.of() : shared(decode(bytes), tree.id(), byTreeId);
      // weakly, as ParseCache: a sweep reads many revisions, and their trees go with them
      java.lang.ref.WeakReference<GitSourceTree> self = new java.lang.ref.WeakReference<>(this);
      store.atEnd(() -> {
        GitSourceTree t = self.get();
        if (t != null) {
          t.save();
        }
      });
    } else {
      stored = Map.of();
    }
  }

  private static final String KIND = "listings";
  private static final int VERSION = 1;
  private final dev.migdiff.django.ObjectCache store;
  /** Listings by path read back from the store. */
  private final Map<String, List<Entry>> stored;

  /** Stores the listings when this run listed a directory the stored entry lacks. */
  private void save() {
    if (stored.keySet().containsAll(listings.keySet())) {
      return;
    }
    Map<String, List<Entry>> all = new java.util.TreeMap<>(stored);
    all.putAll(listings);
    store.putLater(KIND, tree.id(), () -> encode(all));
  }

  static byte[] encode(Map<String, List<Entry>> listings) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(VERSION);
      out.writeInt(listings.size());
      for (Map.Entry<String, List<Entry>> d : listings.entrySet()) {
        out.writeUTF(d.getKey());
        out.writeInt(d.getValue().size());
        for (Entry e : d.getValue()) {
          out.writeUTF(e.name());
          out.writeByte(e.kind().ordinal());
          out.writeUTF(e.id());
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * {@code decoded} (a root tree's stored listings by path) with each directory's listing taken
   * from {@code byTreeId} when another revision of the run has a directory with the same tree id
   * (its id from its parent's listing), else put there: revisions that share most directories
   * hold one copy of their entries.
   */
  static Map<String, List<Entry>> shared(Map<String, List<Entry>> decoded, String rootId,
      Map<String, List<Entry>> byTreeId) {
    Map<String, String> ids = new HashMap<>();
    ids.put("", rootId);
    for (Map.Entry<String, List<Entry>> d : decoded.entrySet()) {
      for (Entry e : d.getValue()) {
        if (e.kind() == Kind.DIR) {
          String path = SourceTree.join(d.getKey(), e.name());
          if (decoded.containsKey(path)) {
            ids.put(path, e.id());
          }
        }
      }
    }
    Map<String, List<Entry>> out = new HashMap<>(decoded.size() * 4 / 3 + 1);
    for (Map.Entry<String, List<Entry>> d : decoded.entrySet()) {
      List<Entry> listing = d.getValue();
      String id = ids.get(d.getKey());
      if (id != null) {
        List<Entry> known = byTreeId.putIfAbsent(id, listing);
        if (known != null) {
          listing = known;
        }
      }
      out.put(d.getKey(), listing);
    }
    return out;
  }

  /** The stored listings, or none when they do not decode (read from Git again). */
  static Map<String, List<Entry>> decode(byte[] bytes) {
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes))) {
      if (in.readInt() != VERSION) {
        return Map.of();
      }
      int dirs = in.readInt();
      if (dirs < 0 || dirs > bytes.length) {
        return Map.of();
      }
      Map<String, List<Entry>> out = new HashMap<>();
      Kind[] kinds = Kind.values();
      for (int i = 0; i < dirs; i++) {
        String dir = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > bytes.length) {
          return Map.of();
        }
        List<Entry> entries = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          String name = in.readUTF();
          int kind = in.readUnsignedByte();
          if (kind >= kinds.length) {
            return Map.of();
          }
          entries.add(new Entry(name, kinds[kind], in.readUTF()));
        }
        out.put(dir, List.copyOf(entries));
      }
      return in.available() == 0 ? out : Map.of();
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    List<Entry> cached = listings.get(dir);
    if (cached != null) {
      return cached;
    }
    String id = dir.isEmpty() ? tree.id()
        : entry(dir).filter(e -> e.kind() == Kind.DIR).map(Entry::id).orElse(null);
    // A listing by tree id is shared by the revisions of the run: one copy of each directory
    // however many trees have it (a stored one read back is dropped for it).
    cached = id == null ? null : byTreeId.get(id);
    if (cached == null) {
      cached = stored.get(dir);
      if (cached == null) {
        List<Entry> read = new ArrayList<>();
        for (TreeEntry e : id == null ? tree.list(dir) : tree.listTree(id)) {
          read.add(convert(e));
        }
        cached = List.copyOf(read);
      }
      if (id != null) {
        byTreeId.put(id, cached);
      }
    } else if (stored.containsKey(dir)) {
      stored.put(dir, cached);
    }
    listings.put(dir, cached);
    return cached;
  }

  /** The first path listed with blob {@code id}, to name it when it cannot be read; or null. */
  private String pathOf(String id) {
    for (Map.Entry<String, List<Entry>> d : listings.entrySet()) {
      for (Entry e : d.getValue()) {
        if (e.id().equals(id)) {
          return SourceTree.join(d.getKey(), e.name());
        }
      }
    }
    return null;
  }

  @Override
  public Optional<Entry> entry(String path) throws IOException {
    if (path.isEmpty()) {
      return Optional.of(new Entry("", Kind.DIR, tree.id()));
    }
    // Radar asks every merged tree of a run the same few hundred paths (its settings' lookups).
    Optional<Entry> known = entries.get(path);
    if (known != null) {
      return known;
    }
    String parent = SourceTree.parent(path);
    Optional<Entry> found;
    if (!parent.isEmpty() && entry(parent).filter(e -> e.kind() == Kind.DIR).isEmpty()) {
      found = Optional.empty();
    } else {
      found = Optional.ofNullable(named(parent, list(parent))
          .get(path.substring(path.lastIndexOf('/') + 1)));
    }
    entries.put(path, found);
    return found;
  }

  /** The answers of {@link #entry}, by path. */
  private final Map<String, Optional<Entry>> entries = new HashMap<>();

  /** A directory's listing by name (the first of a name, as a scan finds it), made once. */
  private Map<String, Entry> named(String dir, List<Entry> listing) {
    Map<String, Entry> byName = names.get(dir);
    if (byName == null) {
      byName = new HashMap<>(listing.size() * 4 / 3 + 1);
      for (Entry e : listing) {
        byName.putIfAbsent(e.name(), e);
      }
      names.put(dir, byName);
    }
    return byName;
  }

  /** {@link #named}'s listings by name, by directory. */
  private final Map<String, Map<String, Entry>> names = new HashMap<>();

  @Override
  public byte[] read(Entry file) throws IOException {
    try {
      return tree.read(file.id(), null);
    } catch (dev.migdiff.git.UnreadableObjectException e) {
      // again, to name the file in the message
      String path = pathOf(file.id());
      return tree.read(file.id(), path != null ? path : file.name());
    }
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
