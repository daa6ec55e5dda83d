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
    this(tree, byTreeId, store, new Bases());
  }

  /**
   * Also writes its entry as the listings it does not share with one of {@code bases} (the full
   * entries of the run's other revisions), which it then takes from there by tree id.
   */
  GitSourceTree(GitTree tree, Map<String, List<Entry>> byTreeId,
      dev.migdiff.django.ObjectCache store, Bases bases) {
    this.tree = tree;
    this.byTreeId = byTreeId;
    this.store = store;
    this.bases = bases;
    if (store != dev.migdiff.django.ObjectCache.NONE) {
      byte[] bytes = store.get(KIND, tree.id());
      Index index = bytes == null ? null : index(bytes);
      Map<String, Slot> slots = index == null ? Map.of() : index.slots();
      // The listings no other revision of the run has are decoded now, and the entry let go:
      // FROM's is needed nearly whole, and the others' bytes are mostly listings FROM already
      // has (huge kept three entries of 7 MB for the whole run).
      Map<String, List<Entry>> own = new HashMap<>();
      Index base = null;
      byte[] baseBytes = null;
      for (Map.Entry<String, Slot> d : slots.entrySet()) {
        Slot slot = d.getValue();
        if (slot.id().isEmpty() || !byTreeId.containsKey(slot.id())) {
          List<Entry> l;
          if (slot.inBase()) {
            // (read only when a listing the run lacks is there: a branch's entry mostly
            // names listings its FROM, read first, already has)
            if (base == null) {
              baseBytes = store.get(KIND, index.base());
              base = baseBytes == null ? null : index(baseBytes);
              base = base == null || !base.base().isEmpty() ? Index.NONE : base;
            }
            Slot b = base.byId().get(slot.id());
            l = b == null ? null : listing(baseBytes, b);
          } else {
            l = listing(bytes, slot);
          }
          if (l == null) {
            own.clear();
            // (an entry that does not decode, or whose base is gone, is no entry: read from Git,
            // and written again at the end)
            slots = Map.of();
            break;
          }
          own.put(d.getKey(), l);
        }
      }
      stored = slots;
      storedListings = own;
      if (index != null && index.base().isEmpty() && !slots.isEmpty()) {
        bases.add(tree.id(), index.byId().keySet());
      }
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
      storedListings = Map.of();
    }
  }

  private static final String KIND = "listings";
  private static final int VERSION = 3;
  private final dev.migdiff.django.ObjectCache store;
  private final Bases bases;
  /** The stored entry's directories by path (their tree ids; the listings decoded below). */
  private final Map<String, Slot> stored;
  /**
   * The stored listings no other revision of the run had when this tree was opened, by path
   * (the others are in {@link #byTreeId}, by their ids in {@link #stored}).
   */
  private final Map<String, List<Entry>> storedListings;

  /**
   * A directory's listing in a stored entry: the directory's tree id ("" when it is not one) and
   * where its entries are. Only the listings of directories no other revision of the run has
   * (by tree id) are decoded: radar reads a hundred revisions that differ in a few directories.
   */
  record Slot(String id, int offset, int length) {
    /** A listing the entry does not hold: the base entry's of the same tree id. */
    boolean inBase() {
      return length == 0;
    }
  }

  /**
   * A stored entry's table: its base (the root tree id of the full entry it takes listings from
   * by tree id, or "" when it holds them all), its directories by path, and the listings it holds
   * by tree id.
   */
  record Index(String base, Map<String, Slot> slots, Map<String, Slot> byId) {
    static final Index NONE = new Index("", Map.of(), Map.of());
  }

  /**
   * The full entries of a run's revisions (root tree id to the tree ids of the listings it
   * holds): a revision whose listings are mostly one of these stores only the others, and takes
   * the rest from it by tree id when read back (a listing is a function of its tree id, so
   * whatever that entry holds later, what it holds under an id is right). A branch of huge that
   * changes one migration then writes a few kilobytes instead of 7 MB.
   */
  static final class Bases {
    private final Map<String, java.util.Set<String>> full = new HashMap<>();

    synchronized void add(String root, java.util.Set<String> ids) {
      full.put(root, ids);
    }

    /** The full entry, other than {@code root}'s, that holds most of {@code ids}, if half. */
    synchronized String best(String root, java.util.Collection<String> ids) {
      String best = null;
      int most = 0;
      for (Map.Entry<String, java.util.Set<String>> e : full.entrySet()) {
        if (e.getKey().equals(root)) {
          continue;
        }
        int n = 0;
        for (String id : ids) {
          if (e.getValue().contains(id)) {
            n++;
          }
        }
        if (n > most || n == most && best != null && e.getKey().compareTo(best) < 0) {
          best = e.getKey();
          most = n;
        }
      }
      return most * 2 >= ids.size() && most > 0 ? best : null;
    }

    synchronized java.util.Set<String> ids(String root) {
      return full.getOrDefault(root, java.util.Set.of());
    }
  }

  /** The directories whose listings this tree took from the store (for tests). */
  java.util.Set<String> storedPaths() {
    return java.util.Set.copyOf(stored.keySet());
  }

  /** Stores the listings when this run listed a directory the stored entry lacks. */
  private void save() {
    if (stored.keySet().containsAll(listings.keySet())) {
      return;
    }
    Map<String, List<Entry>> all = new java.util.TreeMap<>();
    for (Map.Entry<String, Slot> d : stored.entrySet()) {
      List<Entry> l = storedListings.get(d.getKey());
      if (l == null) {
        l = byTreeId.get(d.getValue().id());
      }
      if (l != null) {
        all.put(d.getKey(), l);
      }
    }
    all.putAll(listings);
    String root = tree.id();
    store.putLater(KIND, root, () -> {
      Map<String, String> ids = ids(all, root);
      java.util.Set<String> listed = new java.util.HashSet<>();
      for (String path : all.keySet()) {
        String id = ids.get(path);
        if (id != null) {
          listed.add(id);
        }
      }
      // (an entry that is a base stays whole: the entries of earlier runs name it)
      String base = bases.ids(root).isEmpty() ? bases.best(root, listed) : null;
      if (base == null) {
        bases.add(root, listed);
        return encode(all, ids, "", java.util.Set.of());
      }
      return encode(all, ids, base, bases.ids(base));
    });
  }

  /** The tree id of each listed directory ({@code listings} name their subdirectories' ids). */
  private static Map<String, String> ids(Map<String, List<Entry>> listings, String rootId) {
    Map<String, String> ids = new HashMap<>();
    ids.put("", rootId);
    for (Map.Entry<String, List<Entry>> d : listings.entrySet()) {
      for (Entry e : d.getValue()) {
        if (e.kind() == Kind.DIR) {
          ids.put(SourceTree.join(d.getKey(), e.name()), e.id());
        }
      }
    }
    return ids;
  }

  /**
   * One entry holding all of a revision's listings (by path; the root's is {@code rootId}).
   */
  static byte[] encode(Map<String, List<Entry>> listings, String rootId) {
    return encode(listings, rootId, "", java.util.Set.of());
  }

  /** {@link #encode(Map, Map, String, java.util.Set)} with the ids the listings give. */
  static byte[] encode(Map<String, List<Entry>> listings, String rootId, String base,
      java.util.Set<String> inBase) {
    return encode(listings, ids(listings, rootId), base, inBase);
  }

  /**
   * One entry for a revision's listings (by path; their tree ids in {@code ids}): its base (""
   * for none), a table of the directories (path, tree id, length of its listing: 0 for a listing
   * that the base holds, that is, a tree id in {@code inBase}), then the listings.
   */
  private static byte[] encode(Map<String, List<Entry>> listings, Map<String, String> ids,
      String base, java.util.Set<String> inBase) {
    java.io.ByteArrayOutputStream blocks = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        java.io.DataOutputStream block = new java.io.DataOutputStream(blocks)) {
      out.writeInt(VERSION);
      out.writeUTF(base);
      out.writeInt(listings.size());
      for (Map.Entry<String, List<Entry>> d : listings.entrySet()) {
        int start = blocks.size();
        String id = ids.getOrDefault(d.getKey(), "");
        if (!base.isEmpty() && !id.isEmpty() && inBase.contains(id)) {
          out.writeUTF(d.getKey());
          out.writeUTF(id);
          out.writeInt(0);
          continue;
        }
        block.writeInt(d.getValue().size());
        for (Entry e : d.getValue()) {
          block.writeUTF(e.name());
          block.writeByte(e.kind().ordinal());
          block.writeUTF(e.id());
        }
        block.flush();
        out.writeUTF(d.getKey());
        out.writeUTF(id);
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
  static Index index(byte[] bytes) {
    try (java.io.DataInputStream in = new java.io.DataInputStream(
        new java.io.ByteArrayInputStream(bytes))) {
      if (in.readInt() != VERSION) {
        return Index.NONE;
      }
      String base = in.readUTF();
      int dirs = in.readInt();
      if (dirs < 0 || dirs > bytes.length) {
        return Index.NONE;
      }
      Map<String, Slot> out = new HashMap<>(dirs * 4 / 3 + 1);
      Map<String, Slot> byId = new HashMap<>(dirs * 4 / 3 + 1);
      List<String> paths = new ArrayList<>(dirs);
      List<String> ids = new ArrayList<>(dirs);
      int[] lengths = new int[dirs];
      long total = 0;
      for (int i = 0; i < dirs; i++) {
        paths.add(in.readUTF());
        ids.add(in.readUTF());
        lengths[i] = in.readInt();
        // (a listing in the base is named by its tree id, and only an entry with a base has any)
        boolean inBase = lengths[i] == 0 && !base.isEmpty() && !ids.get(i).isEmpty();
        if (lengths[i] < 4 && !inBase) {
          return Index.NONE;
        }
        total += lengths[i];
      }
      int offset = bytes.length - in.available();
      if (total != in.available()) {
        return Index.NONE;
      }
      for (int i = 0; i < dirs; i++) {
        Slot slot = new Slot(ids.get(i), offset, lengths[i]);
        out.put(paths.get(i), slot);
        if (!slot.inBase() && !slot.id().isEmpty()) {
          byId.put(slot.id(), slot);
        }
        offset += lengths[i];
      }
      return new Index(base, out, byId);
    } catch (IOException | RuntimeException e) {
      return Index.NONE;
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

  /**
   * Every listing a stored entry holds, by path, or none when one does not decode (the listings
   * it takes from its base are not among them).
   */
  static Map<String, List<Entry>> decode(byte[] bytes) {
    Map<String, List<Entry>> out = new HashMap<>();
    for (Map.Entry<String, Slot> d : index(bytes).slots().entrySet()) {
      if (d.getValue().inBase()) {
        continue;
      }
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
        cached = storedListings.get(dir);
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
      found = Optional.ofNullable(((Listing) list(parent))
          .find(path.substring(path.lastIndexOf('/') + 1)));
    }
    entries.put(path, found);
    return found;
  }

  /** The answers of {@link #entry}, by path. */
  private final Map<String, Optional<Entry>> entries = new HashMap<>();

  /**
   * A directory's listing as read here, with its index by name (the first entry of a name, as a
   * scan finds it) made once it is asked for often: the listing of a tree id is shared by the
   * revisions of a run, and so is its index (FROM, TO, the merge base and the merge ask for the
   * same files in hundreds of directories they share). A migrations directory is asked for one
   * name or two (its {@code __init__.py}): a scan answers those, and a project of 100,000
   * migrations keeps no index of them.
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

    /** Lookups answered by a scan so far (see {@link #SCANNED}). */
    private int scans;

    /** The first entry named {@code name}, or null. */
    synchronized Entry find(String name) {
      if (byName == null && scans < SCANNED) {
        scans++;
        for (Entry e : entries) {
          if (e.name().equals(name)) {
            return e;
          }
        }
        return null;
      }
      return byName().get(name);
    }

    /** A listing answers this many lookups by scanning it, then makes its index. */
    private static final int SCANNED = 4;

    private synchronized Map<String, Entry> byName() {
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
    if (files.size() < 2) {
      return files; // (nothing to order: and a warm run that reads nothing asks no pack)
    }
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
