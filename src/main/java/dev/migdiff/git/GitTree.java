package dev.migdiff.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.TreeWalk;

/** The files of one commit, read straight from Git objects. Paths use '/' and no leading '/'. */
public final class GitTree {
  /** Blobs larger than this are not read into memory. */
  public static final long MAX_BLOB = 64L * 1024 * 1024;

  private final GitRepository owner;
  private final ObjectId root;

  /**
   * Reads through {@code owner}'s shared reader (one reader keeps its delta-base cache across
   * reads, so blobs deltified against each other are not rebuilt from their whole delta chain
   * every time), asked for on the first read: a tree whose listings a run finds in its cache
   * reads nothing, and waits for no pack index. A JGit reader is for one thread at a time:
   * every read here holds it for its whole walk, so a tree is read safely from several threads
   * (the switch plan reads blobs on a second core while the merge's trees are listed).
   */
  GitTree(GitRepository owner, ObjectId root) {
    this.owner = owner;
    this.root = root;
  }

  private ObjectReader reader() {
    return owner.reader();
  }

  /** The root tree's id (40 hex). */
  public String id() {
    return root.name();
  }

  /** The entries of directory {@code dir} ("" for the root), or empty if it is no directory. */
  public List<TreeEntry> list(String dir) throws IOException {
    if (dir.isEmpty()) {
      return listTree(root.name());
    }
    List<TreeEntry> out = new ArrayList<>();
    ObjectReader shared = reader();
    synchronized (shared) {
      ObjectId tree = dir.isEmpty() ? root : treeOf(shared, dir);
      if (tree == null) {
        return out;
      }
      try (TreeWalk walk = new TreeWalk(owner.objects(), shared)) {
        walk.addTree(tree);
        walk.setRecursive(false);
        while (walk.next()) {
          out.add(new TreeEntry(walk.getNameString(), kind(walk.getFileMode(0)),
              walk.getObjectId(0).name()));
        }
      }
    }
    return out;
  }

  /**
   * The entries of the tree object {@code treeId} (40 hex), read directly: no walk from the root
   * to find it, when the caller already knows its id from the parent's listing.
   */
  public List<TreeEntry> listTree(String treeId) throws IOException {
    LooseObjects loose = owner.loose();
    List<TreeEntry> listed = loose == null ? null : loose.tree(ObjectId.fromString(treeId));
    if (listed != null) {
      return listed;
    }
    List<TreeEntry> out = new ArrayList<>();
    ObjectReader shared = reader();
    synchronized (shared) {
      try (TreeWalk walk = new TreeWalk(owner.objects(), shared)) {
        walk.addTree(ObjectId.fromString(treeId));
        walk.setRecursive(false);
        while (walk.next()) {
          out.add(new TreeEntry(walk.getNameString(), kind(walk.getFileMode(0)),
              walk.getObjectId(0).name()));
        }
      }
    }
    return out;
  }

  /** The entry at {@code path}, if any. */
  public Optional<TreeEntry> entry(String path) throws IOException {
    if (path.isEmpty()) {
      return Optional.of(new TreeEntry("", TreeEntry.Kind.TREE, root.name()));
    }
    ObjectReader shared = reader();
    synchronized (shared) {
      try (TreeWalk walk = TreeWalk.forPath(owner.objects(), shared, path, root)) {
        if (walk == null) {
          return Optional.empty();
        }
        return Optional.of(new TreeEntry(walk.getNameString(), kind(walk.getFileMode(0)),
            walk.getObjectId(0).name()));
      }
    }
  }

  /** The content of the blob with this id. */
  public byte[] read(String blobId) throws IOException {
    return read(blobId, null);
  }

  /**
   * The content of the blob with this id, found at {@code path} (named in errors). Threads that
   * read blobs at once take turns at the shared reader.
   */
  public byte[] read(String blobId, String path) throws IOException {
    LooseObjects loose = owner.loose();
    byte[] content = loose == null ? null : loose.read(ObjectId.fromString(blobId), "blob", MAX_BLOB);
    if (content != null) {
      return content;
    }
    try {
      ObjectReader shared = reader();
      synchronized (shared) { // (one reader: not for two threads at once)
        ObjectLoader loader = shared.open(ObjectId.fromString(blobId));
        if (loader.getSize() > MAX_BLOB) {
          throw new IOException("blob " + blobId + " is larger than " + MAX_BLOB + " bytes");
        }
        return loader.getCachedBytes(Integer.MAX_VALUE);
      }
    } catch (MissingObjectException e) {
      throw unreadable(path, blobId, "is missing", e);
    } catch (CorruptObjectException e) {
      throw unreadable(path, blobId, "is corrupt ("
          + String.valueOf(e.getMessage()).replaceFirst("^Object \\w+ is corrupt: ", "") + ")", e);
    } catch (IOException e) {
      if (e instanceof UnreadableObjectException || e.getMessage() != null
          && e.getMessage().startsWith("blob " + blobId + " is larger")) {
        throw e;
      }
      throw unreadable(path, blobId, "cannot be read (" + e + ")", e);
    }
  }

  /**
   * A rank for each blob id: its position in the repository's packs (packs in JGit's order, then
   * offset), so that reading in rank order finds each delta's base just read. Loose or unknown
   * objects are left out (callers read them last).
   */
  public java.util.Map<String, Long> packOrder(List<String> blobIds) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    if (!(owner.objects().getObjectDatabase() instanceof org.eclipse.jgit.internal.storage.file.ObjectDirectory od)) {
      return out;
    }
    try {
      long base = 0;
      for (org.eclipse.jgit.internal.storage.file.Pack p : od.getPacks()) {
        org.eclipse.jgit.internal.storage.file.PackIndex idx = p.getIndex();
        long max = 0;
        for (String id : blobIds) {
          if (!out.containsKey(id)) {
            long off = idx.findOffset(ObjectId.fromString(id));
            if (off >= 0) {
              out.put(id, base + off);
              max = Math.max(max, off);
            }
          }
        }
        base += max + 1;
      }
    } catch (IOException | RuntimeException e) {
      return out; // the order is only an optimisation
    }
    return out;
  }

  /**
   * Names the file and the object; in a partial clone (objects fetched on demand by git, which
   * migdiff never runs) says how to fetch it, else points at {@code git fsck}.
   */
  private UnreadableObjectException unreadable(String path, String id, String what, IOException e) {
    String where = path == null ? "" : path + ": ";
    boolean missing = e instanceof MissingObjectException;
    if (missing && isPartialClone()) {
      return new UnreadableObjectException(where + "object " + id + " " + what
          + " (this is a partial clone, and migdiff does not fetch)",
          "let git fetch it: 'git cat-file -p " + id + "' fetches this object, and checking the "
              + "revision out once fetches all of its files", e);
    }
    return new UnreadableObjectException(where + "object " + id + " " + what,
        "run 'git fsck' to check the repository", e);
  }

  private boolean isPartialClone() {
    org.eclipse.jgit.lib.StoredConfig c = owner.objects().getConfig();
    if (c.getString("extensions", null, "partialclone") != null) {
      return true;
    }
    return c.getSubsections("remote").stream()
        .anyMatch(r -> c.getBoolean("remote", r, "promisor", false));
  }

  /** Every directory path in the tree whose last name is {@code name}, sorted. */
  public List<String> findDirectories(String name) throws IOException {
    List<String> out = new ArrayList<>();
    ObjectReader shared = reader();
    synchronized (shared) {
      try (TreeWalk walk = new TreeWalk(owner.objects(), shared)) {
        walk.addTree(root);
        walk.setRecursive(false);
        while (walk.next()) {
          if (walk.isSubtree()) {
            if (walk.getNameString().equals(name)) {
              out.add(walk.getPathString());
            }
            walk.enterSubtree();
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  private ObjectId treeOf(ObjectReader reader, String dir) throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(owner.objects(), reader, dir, root)) {
      if (walk == null || !walk.isSubtree()) {
        return null;
      }
      return walk.getObjectId(0);
    }
  }

  private static TreeEntry.Kind kind(FileMode mode) {
    if (mode == FileMode.TREE) {
      return TreeEntry.Kind.TREE;
    } else if (mode == FileMode.SYMLINK) {
      return TreeEntry.Kind.SYMLINK;
    } else if (mode == FileMode.GITLINK) {
      return TreeEntry.Kind.SUBMODULE;
    }
    return TreeEntry.Kind.FILE;
  }
}
