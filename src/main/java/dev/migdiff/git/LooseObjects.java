package dev.migdiff.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Reads an object that git keeps loose ({@code objects/xx/yyyy…}: "TYPE SIZE\0CONTENT", deflated)
 * without JGit: what a developer just committed stays loose until git packs it, and a run whose
 * cache holds everything else (a new commit on a branch, one changed migration) then neither opens
 * JGit nor reads a pack index, about 0.1 s on a large repository. Only what is sure is answered: an
 * object whose file is there, inflates whole, has the asked type and the stated size, and whose
 * SHA-1 is its id; anything else (packed, missing, damaged, unusual) is null, and JGit reads it as
 * before, with its own errors.
 */
final class LooseObjects {
  private final Path objects;

  LooseObjects(Path objects) {
    this.objects = objects;
  }

  /** The content of loose object {@code id} of {@code type}, at most {@code max} bytes; or null. */
  byte[] read(ObjectId id, String type, long max) {
    String hex = id.name();
    byte[] deflated;
    try {
      java.io.File file = objects.resolve(hex.substring(0, 2)).resolve(hex.substring(2)).toFile();
      if (!file.isFile()) {
        return null; // (asked with no exception: most objects of a repository are packed)
      }
      deflated = Files.readAllBytes(file.toPath());
    } catch (IOException | RuntimeException e) {
      return null; // (not loose, or unreadable here: JGit's business)
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(deflated);
      byte[] head = new byte[64];
      int n = inflater.inflate(head);
      int nul = -1;
      for (int i = 0; i < n; i++) {
        if (head[i] == 0) {
          nul = i;
          break;
        }
      }
      if (nul < 0) {
        return null;
      }
      String header = new String(head, 0, nul, StandardCharsets.US_ASCII);
      if (!header.startsWith(type + " ")) {
        return null;
      }
      long size = Long.parseLong(header.substring(type.length() + 1));
      if (size < 0 || size > max || size > Integer.MAX_VALUE - 64) {
        return null;
      }
      byte[] whole = new byte[nul + 1 + (int) size];
      if (n > whole.length) {
        return null; // more content than the header says
      }
      System.arraycopy(head, 0, whole, 0, n);
      int at = n;
      while (at < whole.length && !inflater.finished()) {
        int got = inflater.inflate(whole, at, whole.length - at);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          return null; // cut short
        }
        at += got;
      }
      // (a finished stream inflates nothing more; one that still does is longer than stated)
      if (at != whole.length || inflater.inflate(new byte[1]) > 0 || !inflater.finished()) {
        return null; // shorter or longer than the header says
      }
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      if (!ObjectId.fromRaw(sha1.digest(whole)).equals(id)) {
        return null;
      }
      return java.util.Arrays.copyOfRange(whole, nul + 1, whole.length);
    } catch (DataFormatException | NumberFormatException | NoSuchAlgorithmException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  /** A loose commit's root tree and parents (in order; none for a root commit). */
  record Commit(String tree, List<String> parents) {}

  /**
   * Loose commit {@code id}'s tree and parents; null when it is not loose, not whole, or its
   * header is not the plain {@code tree}, {@code parent}... lines git writes.
   */
  Commit commit(ObjectId id) {
    byte[] c = read(id, "commit", 1 << 24);
    if (c == null || c.length < 46 || !new String(c, 0, 5, StandardCharsets.US_ASCII)
        .equals("tree ") || c[45] != '\n') {
      return null;
    }
    String tree = new String(c, 5, 40, StandardCharsets.US_ASCII);
    if (!ObjectId.isId(tree)) {
      return null;
    }
    List<String> parents = new ArrayList<>(1);
    int i = 46;
    while (i + 48 <= c.length && new String(c, i, 7, StandardCharsets.US_ASCII).equals("parent ")
        && c[i + 47] == '\n') {
      String parent = new String(c, i + 7, 40, StandardCharsets.US_ASCII);
      if (!ObjectId.isId(parent)) {
        return null;
      }
      parents.add(parent);
      i += 48;
    }
    return new Commit(tree, List.copyOf(parents));
  }

  /**
   * The first of the commits above loose commit {@code from} (its parent, the parent's parent...:
   * loose commits of one parent each, at most {@code steps}) that {@code target} accepts; null
   * when the chain ends, forks or is packed first. {@code commits} reads one commit.
   */
  static String chainReaches(String from, int steps,
      java.util.function.Function<String, Commit> commits,
      java.util.function.Predicate<String> target) {
    String c = from;
    for (int i = 0; i < steps; i++) {
      Commit commit = commits.apply(c);
      if (commit == null || commit.parents().size() != 1) {
        return null;
      }
      c = commit.parents().get(0);
      if (target.test(c)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The entries of loose tree {@code id}, in the tree's order, as a non-recursive tree walk gives
   * them; null unless it is loose, whole and plain (a name that is not ASCII: JGit decodes it).
   */
  List<TreeEntry> tree(ObjectId id) {
    byte[] t = read(id, "tree", 1 << 26);
    if (t == null) {
      return null;
    }
    List<TreeEntry> out = new ArrayList<>();
    int i = 0;
    while (i < t.length) {
      int mode = 0;
      int start = i;
      while (i < t.length && t[i] != ' ') {
        if (t[i] < '0' || t[i] > '7' || i - start >= 7) {
          return null;
        }
        mode = mode * 8 + (t[i] - '0');
        i++;
      }
      if (i == start || i >= t.length) {
        return null;
      }
      int nameStart = ++i;
      while (i < t.length && t[i] != 0) {
        if (t[i] < 0x20 || t[i] >= 0x7f || t[i] == '/') {
          return null;
        }
        i++;
      }
      if (i == nameStart || i + 21 > t.length) {
        return null;
      }
      String name = new String(t, nameStart, i - nameStart, StandardCharsets.US_ASCII);
      String child = ObjectId.fromRaw(t, i + 1).name();
      i += 21;
      out.add(new TreeEntry(name, kind(mode), child));
    }
    return out;
  }

  /** As JGit's {@code FileMode.fromBits} sorts a mode into the kinds a tree walk reports. */
  private static TreeEntry.Kind kind(int mode) {
    return switch (mode & 0170000) {
      case 0040000 -> TreeEntry.Kind.TREE;
      case 0120000 -> TreeEntry.Kind.SYMLINK;
      case 0160000 -> TreeEntry.Kind.SUBMODULE;
      default -> TreeEntry.Kind.FILE;
    };
  }
}
