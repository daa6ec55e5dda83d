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
      storedBytes = store.get(KIND, tree.id());
      stored = storedBytes == null ? Map.of() : index(storedBytes);
      // weakly, as ParseCache: a sweep reads many revisions, and their trees go with them
      java.lang.ref.WeakReference<GitSourceTree> self = new java.lang.ref.WeakReference<>(this);
      store.atEnd(() -> {
        GitSourceTree t = self.get();
        if (t != null) {
          t.save();
        }
      });
    } else {
      storedBytes = null;
      stored = Map.of();
    }
  }

  private static final String KIND = "listings";
  private static final int VERSION = 2;
  private final dev.migdiff.django.ObjectCache store;
  /** The stored entry, and where each directory's listing is in it, by path. */
  private final byte[] storedBytes;
  private final Map<String, Slot> stored;

  /**
   * A directory's listing in a stored entry: the directory's tree id ("" when it is not one) and
   * where its entries are. Only the listings of directories no other revision of the run has
   * (by tree id) are decoded: radar reads a hundred revisions that differ in a few directories.
   */
  record Slot(String id, int offset, int length) {}

  /** Stores the listings when this run listed a directory the stored entry lacks. */
  private void save() {
    if (stored.keySet().containsAll(listings.keySet())) {
      return;
    }
    Map<String, List<Entry>> all = new java.util.TreeMap<>();
    if (storedBytes != null) {
      all.putAll(decode(storedBytes));
    }
    all.putAll(listings);
    store.putLater(KIND, tree.id(), () -> encode(all, tree.id()));
  }

  /**
   * One entry for a revision's listings (by path; the root's is {@code rootId}): a table of the
   * directories (path, tree id, length of its listing), then the listings.
   */
  static byte[] encode(Map<String, List<Entry>> listings, String rootId) {
    Map<String, String> ids = new HashMap<>();
    ids.put("", rootId);
    for (Map.Entry<String, List<Entry>> d : listings.entrySet()) {
      for (Entry e : d.getValue()) {
        if (e.kind() == Kind.DIR) {
          ids.put(SourceTree.join(d.getKey(), e.name()), e.id());
        }
      }
    }
    java.io.ByteArrayOutputStream blocks = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        java.io.DataOutputStream block = new java.io.DataOutputStream(blocks)) {
      out.writeInt(VERSION);
      out.writeInt(listings.size());
      for (Map.Entry<String, List<Entry>> d : listings.entrySet()) {
        int start = blocks.size();
        block.writeInt(d.getValue().size());
        for (Entry e : d.getValue()) {
          block.writeUTF(e.name());
          block.writeByte(e.kind().ordinal());
          block.writeUTF(e.id());
        }
        block.flush();
        out.writeUTF(d.getKey());
        out.writeUTF(ids.getOrDefault(d.getKey(), ""));
        out.writeInt(blocks.size() - start);
      }
      out.flush();
      blocks.writeTo(bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
    return bytes.toByteArray();
  }

  /** The table of a stored entry, or none when it does not decode (read from Git again). */
  static Map<String, Slot> index(byte[] bytes) {
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes))) {
      if (in.readInt() != VERSION) {
        return Map.of();
      }
      int dirs = in.readInt();
      if (dirs < 0 || dirs > bytes.length) {
        return Map.of();
      }
      Map<String, Slot> out = new HashMap<>(dirs * 4 / 3 + 1);
      List<String> paths = new ArrayList<>(dirs);
      List<String> ids = new ArrayList<>(dirs);
      int[] lengths = new int[dirs];
      long total = 0;
      for (int i = 0; i < dirs; i++) {
        paths.add(in.readUTF());
        ids.add(in.readUTF());
        lengths[i] = in.readInt();
        if (lengths[i] < 4) {
          return Map.of();
        }
        total += lengths[i];
      }
      int offset = bytes.length - in.available();
      if (total != in.available()) {
        return Map.of();
      }
      for (int i = 0; i < dirs; i++) {
        out.put(paths.get(i), new Slot(ids.get(i), offset, lengths[i]));
        offset += lengths[i];
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  /** One directory's stored listing, or null when it does not decode. */
  static List<Entry> listing(byte[] bytes, Slot slot) {
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes, slot.offset(), slot.length()))) {
      int n = in.readInt();
      if (n < 0 || n > slot.length()) {
        return null;
      }
      Kind[] kinds = Kind.values();
      List<Entry> entries = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        String name = in.readUTF();
        int kind = in.readUnsignedByte();
        if (kind >= kinds.length) {
          return null;
        }
        entries.add(new Entry(name, kinds[kind], in.readUTF()));
      }
      return in.available() == 0 ? new Listing(entries) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Every listing of a stored entry, by path, or none when one does not decode. */
  static Map<String, List<Entry>> decode(byte[] bytes) {
    Map<String, List<Entry>> out = new HashMap<>();
    for (Map.Entry<String, Slot> d : index(bytes).entrySet()) {
      List<Entry> l = listing(bytes, d.getValue());
      if (l == null) {
        return Map.of();
      }
      out.put(d.getKey(), l);
    }
    return out;
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
    // however many trees have it (a stored one is decoded only when no other tree had it).
    cached = id == null ? null : byTreeId.get(id);
    if (cached == null) {
      Slot slot = stored.get(dir);
      if (slot != null && slot.id().equals(id == null ? "" : id)) {
        cached = listing(storedBytes, slot);
      }
      if (cached == null) {
        List<Entry> read = new ArrayList<>();
        for (TreeEntry e : id == null ? tree.list(dir) : tree.listTree(id)) {
          read.add(convert(e));
        }
        cached = new Listing(read);
      }
      if (id != null) {
        byTreeId.put(id, cached);
      }
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
      // every listing this class makes is a Listing, with its index by name
      found = Optional.ofNullable(((Listing) list(parent)).byName()
          .get(path.substring(path.lastIndexOf('/') + 1)));
    }
    entries.put(path, found);
    return found;
  }

  /** The answers of {@link #entry}, by path. */
  private final Map<String, Optional<Entry>> entries = new HashMap<>();

  /**
   * A directory's listing as read here, with its index by name (the first entry of a name, as a
   * scan finds it) made once: the listing of a tree id is shared by the revisions of a run, and
   * so is its index (FROM, TO, the merge base and the merge ask for the same files in hundreds
   * of directories they share).
   */
  private static final class Listing extends java.util.AbstractList<Entry>
      implements java.util.RandomAccess {
    private final Entry[] entries;
    private Map<String, Entry> byName;

    Listing(List<Entry> entries) {
      this.entries = entries.toArray(new Entry[0]);
    }

    @Override
    public Entry get(int i) {
      return entries[i];
    }

    @Override
    public int size() {
      return entries.length;
    }

    synchronized Map<String, Entry> byName() {
      if (byName == null) {
        Map<String, Entry> index = new HashMap<>(entries.length * 4 / 3 + 1);
        for (Entry e : entries) {
          index.putIfAbsent(e.name(), e);
        }
        byName = index;
      }
      return byName;
    }
  }

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
