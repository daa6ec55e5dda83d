package dev.migdiff.analysis;

import dev.migdiff.django.ObjectCache;
import dev.migdiff.django.SourceTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tree a file-level three-way merge of two revisions would give, computed lazily per
 * directory: an entry unchanged on one side takes the other side's version (deletions included);
 * directories changed on both sides merge recursively; a Python file changed on both sides is
 * merged line by line as git does, and when the same lines changed (or for other files) it is a
 * textual conflict (recorded, "ours" kept).
 */
final class MergedSourceTree implements SourceTree {
  /** A path that git would report as a content conflict. */
  record TextConflict(String path, String kind) {}

  private final SourceTree base;
  private final SourceTree ours;
  private final SourceTree theirs;
  private final Map<String, List<Entry>> listings = new HashMap<>();
  /**
   * Lookups answered so far, found or not (settings imports and migrations packages are looked
   * up again and again), and each listed directory's entries by name.
   */
  private final Map<String, Optional<Entry>> entries = new HashMap<>();
  private final Map<String, Map<String, Entry>> names = new HashMap<>();
  private final Map<String, TextConflict> conflicts = new TreeMap<>();
  /** Contents merged line by line, by their id ("merged:" and a hash of the content). */
  private final Map<String, byte[]> mergedFiles = new HashMap<>();

  /**
   * Ids of merged directories are unique to this tree: a tree merged from merged trees (radar's
   * "A, then B") must never take another merged tree's directory for an unchanged one.
   */
  private static final java.util.concurrent.atomic.AtomicLong TREES =
      new java.util.concurrent.atomic.AtomicLong();
  private final String dirPrefix = "merged" + TREES.incrementAndGet() + ":";

  /**
   * Any side may itself be a merged tree (radar merges A into BASE, then B into that result, as
   * git does); blobs are read through the side they came from.
   */
  MergedSourceTree(SourceTree base, SourceTree ours, SourceTree theirs) {
    this(base, ours, theirs, path -> true, ObjectCache.NONE);
  }

  /**
   * A tree that merges a Python file changed on both sides when listing its directory only when
   * {@code mergeNow} says so for its path, and every other such file when it is first read: a
   * reader that looks for files by name (settings imports, migrations packages) then never merges
   * the files next to them. Such a file's id is a hash of its three inputs' ids, so it names its
   * content all the same; its conflict, if any, is recorded when it is read. Radar merges the
   * migration files at once (their conflicts are what it reports) and the rest when read.
   */
  MergedSourceTree(SourceTree base, SourceTree ours, SourceTree theirs,
      java.util.function.Predicate<String> mergeNow, ObjectCache store) {
    this.base = base;
    this.ours = ours;
    this.theirs = theirs;
    this.mergeNow = mergeNow;
    this.store = store;
  }

  private final java.util.function.Predicate<String> mergeNow;
  /** Line-by-line merges kept between runs, by their three inputs' ids ({@link #textMerge}). */
  private final ObjectCache store;
  static final String MERGES_KIND = "merges";

  /** A file to merge when read: its path and the three sides' entries. */
  private record Pending(String path, Entry base, Entry ours, Entry theirs) {}

  /** The files left to merge when read, by their ids. */
  private final Map<String, Pending> pending = new HashMap<>();

  @Override
  public List<Entry> readOrder(List<Entry> files) {
    return ours.readOrder(files);
  }

  /** Conflicts met in the directories read so far, by path. */
  List<TextConflict> conflicts() {
    return new ArrayList<>(conflicts.values());
  }

  @Override
  public List<Entry> list(String dir) throws IOException {
    List<Entry> cached = listings.get(dir);
    if (cached != null) {
      return cached;
    }
    // A directory one side kept (the merge took that side's whole) lists as that side's: every
    // entry in it merges to that side's, so only the order (by name, as merged here) is made.
    SourceTree whole = dir.isEmpty() ? null : wholeFrom(dir);
    if (whole != null) {
      List<Entry> out = new ArrayList<>(whole.list(dir));
      out.sort(java.util.Comparator.comparing(Entry::name));
      listings.put(dir, out);
      return out;
    }
    // The three listings walked together in name order (each is sorted already, as git sorts
    // trees, bar a directory named like a file's prefix): radar merges an app's migrations
    // directory of hundreds of files for every pair of branches.
    List<Entry> b = sortedListing(base, dir);
    List<Entry> o = sortedListing(ours, dir);
    List<Entry> t = sortedListing(theirs, dir);
    List<Entry> out = new ArrayList<>(Math.max(o.size(), t.size()) + 1);
    int i = 0;
    int j = 0;
    int k = 0;
    while (i < b.size() || j < o.size() || k < t.size()) {
      String name = least(least(nameAt(b, i), nameAt(o, j)), nameAt(t, k));
      Entry eb = null;
      for (; i < b.size() && b.get(i).name().equals(name); i++) {
        eb = b.get(i); // of two entries of one name (a damaged tree), the last, as a map keeps
      }
      Entry eo = null;
      for (; j < o.size() && o.get(j).name().equals(name); j++) {
        eo = o.get(j);
      }
      Entry et = null;
      for (; k < t.size() && t.get(k).name().equals(name); k++) {
        et = t.get(k);
      }
      Entry e = merge(dir, name, eb, eo, et);
      if (e != null) {
        out.add(e);
      }
    }
    listings.put(dir, out);
    return out;
  }

  /** The side whose directory {@code dir} the merge took whole, or null (merged, or none). */
  private SourceTree wholeFrom(String dir) throws IOException {
    Entry self = entry(dir).orElse(null);
    if (self == null || self.kind() != Kind.DIR) {
      return null;
    }
    for (SourceTree side : new SourceTree[] {theirs, ours}) {
      Entry e = side.entry(dir).orElse(null);
      if (e != null && e.kind() == Kind.DIR && e.id().equals(self.id())) {
        return side;
      }
    }
    return null;
  }

  private Entry merge(String dir, String name, Entry b, Entry o, Entry t) throws IOException {
    if (same(o, t)) {
      return o;
    }
    if (same(o, b)) {
      return t;
    }
    if (same(t, b)) {
      return o;
    }
    String path = SourceTree.join(dir, name);
    if (o != null && t != null && o.kind() == Kind.DIR && t.kind() == Kind.DIR) {
      return new Entry(o.name(), Kind.DIR, dirPrefix + path);
    }
    // Only Python files are merged line by line (settings, apps, migrations: what migdiff
    // reads); reading every file changed on both sides would also fetch large data files.
    if (b != null && o != null && t != null && b.kind() == Kind.FILE && o.kind() == Kind.FILE
        && t.kind() == Kind.FILE && path.endsWith(".py")) {
      if (!mergeNow.test(path)) {
        String id = "merged:" + sha1(("when read\0" + b.id() + "\0" + o.id() + "\0" + t.id())
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        pending.put(id, new Pending(path, b, o, t));
        return new Entry(o.name(), Kind.FILE, id);
      }
      Merged m = textMerge(b, o, t);
      if (m.content() != null) {
        mergedFiles.put(m.id(), m.content());
        return new Entry(o.name(), Kind.FILE, m.id());
      }
    }
    String kind = o == null || t == null ? "modify/delete" : b == null ? "add/add" : "content";
    conflicts.put(path, new TextConflict(path, kind));
    return o != null ? o : t;
  }

  /** A line-by-line merge: its content and id, or null content for a conflict. */
  private record Merged(byte[] content, String id) {}

  /**
   * Line-by-line merges by the ids of their three inputs, shared by the merged trees of one
   * process: radar merges the same settings module for every pair of branches, and the ids are
   * content hashes (Git object ids, or "merged:" and a hash of merged content), so the same
   * three ids always give the same merge. Bounded, least recently used first.
   */
  private static final Map<String, Merged> MERGES = leastRecentlyUsed(256);

  /** A map of at most {@code max} entries that drops the least recently used first. */
  private static <V> Map<String, V> leastRecentlyUsed(int max) {
    return new java.util.LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  /**
   * A merge as stored: "conflict", or "merged " and the merged content's SHA-1 (40 hex digits,
   * which its id is made of) and a newline before the content.
   */
  private static byte[] encodeMerge(Merged m) {
    if (m.content() == null) {
      return CONFLICT;
    }
    byte[] head = (MERGED + m.id().substring("merged:".length()) + "\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] v = java.util.Arrays.copyOf(head, head.length + m.content().length);
    System.arraycopy(m.content(), 0, v, head.length, m.content().length);
    return v;
  }

  /** A stored merge, or null when absent or not one (its content must hash to its id). */
  private static Merged decodeMerge(byte[] v) {
    if (v == null) {
      return null;
    }
    if (java.util.Arrays.equals(v, CONFLICT)) {
      return new Merged(null, null);
    }
    int hex = MERGED.length();
    int head = hex + 40 + 1; // the prefix, a SHA-1 in hex, a newline
    if (v.length < head || !new String(v, 0, hex, java.nio.charset.StandardCharsets.US_ASCII)
        .equals(MERGED) || v[head - 1] != '\n') {
      return null;
    }
    byte[] content = java.util.Arrays.copyOfRange(v, head, v.length);
    String id = sha1(content);
    return id.equals(new String(v, hex, 40, java.nio.charset.StandardCharsets.US_ASCII))
        ? new Merged(content, "merged:" + id) : null;
  }

  private static final String MERGED = "merged ";
  private static final byte[] CONFLICT = "conflict".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Forgets this process's merges, as a new process would (for tests of the store). */
  static void forgetMerges() {
    synchronized (MERGES) {
      MERGES.clear();
    }
    synchronized (WHEN_READ) {
      WHEN_READ.clear();
    }
  }

  private Merged textMerge(Entry b, Entry o, Entry t) throws IOException {
    String key = b.id() + " " + o.id() + " " + t.id();
    synchronized (MERGES) {
      Merged known = MERGES.get(key);
      if (known != null) {
        return known;
      }
    }
    // The ids name content (Git object ids, or hashes of merged content): the same three ids
    // always give the same merge, so the store keeps it.
    String stored = ObjectCache.key(key);
    Merged m = decodeMerge(store.get(MERGES_KIND, stored));
    if (m == null) {
      Optional<byte[]> merged = dev.migdiff.git.TextMerge.merge(base.read(b), ours.read(o),
          theirs.read(t));
      m = merged.isPresent() ? new Merged(merged.get(), "merged:" + sha1(merged.get()))
          : new Merged(null, null);
      Merged made = m;
      store.putLater(MERGES_KIND, stored, () -> encodeMerge(made));
    }
    synchronized (MERGES) {
      MERGES.put(key, m);
    }
    return m;
  }

  /**
   * A file merged as it is read (its content, kept under its id, and an id naming that content):
   * a side that kept the base's content gives the other side's (as git takes it, however the ids
   * read), else the line-by-line merge, else (a conflict, recorded) ours.
   */
  private void mergeWhenRead(String id, Pending p) throws IOException {
    // the pending id hashes the three sides' ids: the same id is always the same merge
    WhenRead known;
    synchronized (WHEN_READ) {
      known = WHEN_READ.get(id);
    }
    if (known == null) {
      known = mergeNow(p);
      synchronized (WHEN_READ) {
        WHEN_READ.put(id, known);
      }
    }
    if (known.conflict()) {
      conflicts.put(p.path(), new TextConflict(p.path(), "content"));
    }
    mergedFiles.put(id, known.content());
    contentIds.put(id, known.contentId());
  }

  /** A merge made when read: its content, the id naming it, and whether it conflicted. */
  private record WhenRead(byte[] content, String contentId, boolean conflict) {}

  /**
   * Merges made when read, by their pending ids, shared by the merged trees of one process (see
   * {@link #MERGES}): radar reads the settings of every pair's merge, and every pair with the
   * same three settings files asks the same merge. Bounded, least recently used first.
   */
  private static final Map<String, WhenRead> WHEN_READ = leastRecentlyUsed(256);

  private WhenRead mergeNow(Pending p) throws IOException {
    byte[] b = base.read(p.base());
    byte[] o = ours.read(p.ours());
    byte[] t = theirs.read(p.theirs());
    byte[] content;
    String contentId;
    if (java.util.Arrays.equals(o, b) && !java.util.Arrays.equals(o, t)) {
      content = t;
      contentId = theirs.contentId(p.theirs());
    } else if (java.util.Arrays.equals(o, b) || java.util.Arrays.equals(o, t)
        || java.util.Arrays.equals(t, b)) {
      content = o;
      contentId = ours.contentId(p.ours());
    } else {
      Merged m = textMerge(p.base(), p.ours(), p.theirs());
      if (m.content() != null) {
        content = m.content();
        contentId = m.id();
      } else {
        return new WhenRead(o, ours.contentId(p.ours()), true);
      }
    }
    return new WhenRead(content, contentId, false);
  }

  private static String sha1(byte[] content) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-1").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean same(Entry a, Entry b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.kind() == b.kind() && Objects.equals(a.id(), b.id());
  }

  /** A side's listing of {@code dir} sorted by name (none for a missing side). */
  private static List<Entry> sortedListing(SourceTree tree, String dir) throws IOException {
    if (tree == null) {
      return List.of();
    }
    List<Entry> listing = tree.list(dir);
    for (int i = 1; i < listing.size(); i++) {
      if (listing.get(i - 1).name().compareTo(listing.get(i).name()) > 0) {
        List<Entry> sorted = new ArrayList<>(listing);
        sorted.sort(java.util.Comparator.comparing(Entry::name));
        return sorted;
      }
    }
    return listing;
  }

  private static String nameAt(List<Entry> listing, int i) {
    return i < listing.size() ? listing.get(i).name() : null;
  }

  /** The lesser of two names, null being none. */
  private static String least(String a, String b) {
    return a == null ? b : b == null || a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public Optional<Entry> entry(String path) throws IOException {
    if (path.isEmpty()) {
      return Optional.of(new Entry("", Kind.DIR, dirPrefix));
    }
    Optional<Entry> known = entries.get(path);
    if (known != null) {
      return known;
    }
    String parent = SourceTree.parent(path);
    Optional<Entry> found;
    if (!parent.isEmpty() && entry(parent).filter(e -> e.kind() == Kind.DIR).isEmpty()) {
      found = Optional.empty();
    } else {
      Map<String, Entry> byName = names.get(parent);
      if (byName == null) {
        // The name alone, when its merge is one side's entry (merge() then records nothing):
        // the settings lookups of every radar pair's merge need a few files, not their
        // directories merged whole. A conflict or a merge recorded for a sibling is one of a
        // file migdiff reports only in a migrations directory, which is always listed whole.
        Entry b = base.entry(path).orElse(null);
        Entry o = ours.entry(path).orElse(null);
        Entry t = theirs.entry(path).orElse(null);
        if (same(o, t) || same(o, b) || same(t, b)) {
          // as merge() takes them: both sides alike, or the side that changed it
          found = Optional.ofNullable(same(o, b) && !same(o, t) ? t : o);
          entries.put(path, found);
          return found;
        }
        byName = new HashMap<>();
        for (Entry e : list(parent)) {
          byName.put(e.name(), e);
        }
        names.put(parent, byName);
      }
      found = Optional.ofNullable(byName.get(path.substring(path.lastIndexOf('/') + 1)));
    }
    entries.put(path, found);
    return found;
  }

  @Override
  public byte[] read(Entry file) throws IOException {
    byte[] merged;
    synchronized (MERGING) {
      merged = mergedContent(file.id());
    }
    if (merged != null) {
      return merged;
    }
    // Every other file is one side's blob; either side's object database reads it.
    return ours.read(file);
  }

  /** Held while merging a file on first read: a merged tree's sides may be merged trees too. */
  private static final Object MERGING = new Object();

  /** The ids naming the content of files merged when read, once read. */
  private final Map<String, String> contentIds = new HashMap<>();

  @Override
  public String contentId(Entry file) throws IOException {
    if (!file.id().startsWith("merged:")) {
      return file.id();
    }
    synchronized (MERGING) {
      String known = contentIds.get(file.id());
      if (known != null) {
        return known;
      }
      Pending p = pending.get(file.id());
      if (p != null) {
        mergeWhenRead(file.id(), p);
        return contentIds.get(file.id());
      }
      for (SourceTree side : new SourceTree[] {ours, theirs, base}) {
        if (side instanceof MergedSourceTree m && m.mergedContent(file.id()) != null) {
          return m.contentId(file);
        }
      }
      return file.id();
    }
  }

  /** A file merged line by line here or in a merged side, by its id; null for a plain blob. */
  private byte[] mergedContent(String id) throws IOException {
    byte[] own = mergedFiles.get(id);
    if (own != null || !id.startsWith("merged:")) {
      return own;
    }
    Pending p = pending.get(id);
    if (p != null) {
      mergeWhenRead(id, p);
      return mergedFiles.get(id);
    }
    for (SourceTree side : new SourceTree[] {ours, theirs, base}) {
      if (side instanceof MergedSourceTree m) {
        byte[] found = m.mergedContent(id);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  @Override
  public List<String> findDirectories(String name) throws IOException {
    List<String> out = new ArrayList<>();
    walk("", name, out, 0);
    out.sort(null);
    return out;
  }

  private void walk(String dir, String name, List<String> out, int depth) throws IOException {
    if (depth > 64) {
      return;
    }
    for (Entry e : list(dir)) {
      if (e.kind() == Kind.DIR) {
        String path = SourceTree.join(dir, e.name());
        if (e.name().equals(name)) {
          out.add(path);
        }
        walk(path, name, out, depth + 1);
      }
    }
  }
}
