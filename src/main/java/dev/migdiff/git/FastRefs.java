package dev.migdiff.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Looks up plain ref names as git's rules do ({@code refs/NAME}, {@code refs/tags/NAME},
 * {@code refs/heads/NAME}, {@code refs/remotes/NAME}, {@code refs/remotes/NAME/HEAD}), reading one
 * loose ref file or binary-searching the sorted {@code packed-refs}, instead of loading (and
 * hashing) every packed ref as JGit's ref database does. Anything it is not sure about (other
 * spellings, reftables, unsorted packed refs, odd files) returns empty, and the caller asks JGit.
 */
final class FastRefs {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._/-]*");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{4,64}");
  private static final String[] RULES = {"refs/%s", "refs/tags/%s", "refs/heads/%s",
      "refs/remotes/%s", "refs/remotes/%s/HEAD"};

  private final Path gitDir;
  private final Path commonDir;
  private byte[] packed;
  private boolean packedRead;
  private java.util.Map<String, List<String>> branches;

  private FastRefs(Path gitDir, Path commonDir) {
    this.gitDir = gitDir;
    this.commonDir = commonDir;
  }

  static Optional<FastRefs> of(java.io.File gitDir, java.io.File commonDir) {
    if (gitDir == null || commonDir == null) {
      return Optional.empty();
    }
    Path common = commonDir.toPath();
    if (Files.exists(common.resolve("reftable"))) {
      return Optional.empty();
    }
    return Optional.of(new FastRefs(gitDir.toPath(), common));
  }

  /** The object a plain name or {@code HEAD} points at; empty when JGit should decide. */
  Optional<ObjectId> resolve(String name) {
    try {
      if (name.equals("HEAD")) {
        return ref("HEAD", 0);
      }
      if (!PLAIN.matcher(name).matches() || HEX.matcher(name).matches() || name.contains("..")
          || name.matches("[A-Z_]+")
          || name.endsWith(".lock") || name.endsWith("/") || name.contains("//")
          || name.startsWith("refs/")) {
        return Optional.empty();
      }
      for (String rule : RULES) {
        Optional<ObjectId> id = ref(String.format(rule, name), 0);
        if (id.isPresent()) {
          return id;
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The branch HEAD points at ({@code main}), or empty when detached or unknown. */
  Optional<String> headBranch() {
    try {
      String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).trim();
      if (head.startsWith("ref: refs/heads/")) {
        return Optional.of(head.substring("ref: refs/heads/".length()));
      }
    } catch (IOException e) {
      // unknown
    }
    return Optional.empty();
  }

  /** Local branch names pointing at {@code commit}, sorted (loose and packed). */
  List<String> branchesAt(String commit) throws IOException {
    return branchIndex().getOrDefault(commit, List.of());
  }

  /** Every local branch by the commit it points at; read once (a loose ref wins over packed). */
  private java.util.Map<String, List<String>> branchIndex() throws IOException {
    if (branches != null) {
      return branches;
    }
    java.util.Map<String, String> tips = new java.util.TreeMap<>();
    byte[] p = packed();
    if (p != null) {
      for (String line : new String(p, StandardCharsets.ISO_8859_1).split("\n")) {
        if (line.length() > 41 && line.startsWith("refs/heads/", 41)) {
          tips.put(line.substring(41 + "refs/heads/".length()).trim(), line.substring(0, 40));
        }
      }
    }
    Path heads = commonDir.resolve("refs/heads");
    if (Files.isDirectory(heads)) {
      try (var files = Files.walk(heads)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          tips.put(heads.relativize(f).toString().replace('\\', '/'),
              Files.readString(f, StandardCharsets.UTF_8).trim());
        }
      }
    }
    java.util.Map<String, List<String>> out = new java.util.HashMap<>();
    tips.forEach((name, id) -> out.computeIfAbsent(id, x -> new ArrayList<>()).add(name));
    branches = out;
    return out;
  }

  /** A ref under a prefix: its name after the prefix, the object it names, peeled when known. */
  record Listed(String name, String id, boolean loose) {}

  /**
   * The refs under {@code prefix} ({@code refs/heads/}), symbolic ones left out, a loose one
   * winning over a packed one; a packed ref's id is its peeled id when it has one. Empty when
   * JGit should decide: packed refs that do not say they are fully peeled, or a file that is not
   * a ref. A loose ref is not peeled ({@code loose}: the caller checks what it names).
   */
  Optional<List<Listed>> refsUnder(String prefix) {
    try {
      java.util.Map<String, Listed> out = new java.util.TreeMap<>();
      String[] lines = packedLines();
      if (lines != null) {
        if (lines.length > 0 && !lines[0].isEmpty()
            && (!lines[0].startsWith("# pack-refs with:") || !lines[0].contains(" fully-peeled"))) {
          return Optional.empty();
        }
        String last = null;
        for (int i = 1; i < lines.length; i++) {
          String line = lines[i];
          if (line.isEmpty()) {
            continue;
          }
          if (line.charAt(0) == '^') {
            if (last != null) {
              String peeled = line.substring(1).trim();
              if (!ObjectId.isId(peeled)) {
                return Optional.empty();
              }
              out.put(last, new Listed(last, peeled, false));
            }
            continue;
          }
          int space = line.indexOf(' ');
          if (space != 40 && space != 64) {
            return Optional.empty();
          }
          last = null;
          if (line.startsWith(prefix, space + 1)) {
            String id = line.substring(0, space);
            if (!ObjectId.isId(id)) {
              return Optional.empty();
            }
            last = line.substring(space + 1 + prefix.length());
            out.put(last, new Listed(last, id, false));
          }
        }
      }
      Path dir = commonDir.resolve(prefix);
      if (Files.isDirectory(dir)) {
        try (var files = Files.walk(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            if (Files.isDirectory(f)) {
              continue;
            }
            if (!Files.isRegularFile(f)) {
              return Optional.empty();
            }
            String name = dir.relativize(f).toString().replace('\\', '/');
            if (name.endsWith(".lock")) {
              continue; // another git's update in progress, as JGit and git skip it
            }
            String text = Files.readString(f, StandardCharsets.UTF_8).trim();
            if (text.startsWith("ref: ")) {
              out.remove(name);
            } else if (ObjectId.isId(text)) {
              out.put(name, new Listed(name, text, true));
            } else {
              return Optional.empty();
            }
          }
        }
      }
      return Optional.of(List.copyOf(out.values()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code packed-refs} as lines, decoded once for every prefix asked; null when absent. */
  private String[] packedLines() throws IOException {
    byte[] p = packed();
    if (packedLines == null && p != null) {
      packedLines = new String(p, StandardCharsets.UTF_8).split("\n", -1);
    }
    return packedLines;
  }

  private String[] packedLines;

  private Optional<ObjectId> ref(String name, int depth) throws IOException {
    if (depth > 5) {
      throw new IOException("symbolic ref loop at " + name);
    }
    boolean perWorktree = !name.startsWith("refs/") || name.startsWith("refs/bisect/")
        || name.startsWith("refs/worktree/") || name.startsWith("refs/rewritten/");
    Path loose = (perWorktree ? gitDir : commonDir).resolve(name);
    if (Files.isRegularFile(loose)) {
      String text = Files.readString(loose, StandardCharsets.UTF_8).trim();
      if (text.startsWith("ref: ")) {
        return ref(text.substring(5).trim(), depth + 1);
      }
      if (ObjectId.isId(text)) {
        return Optional.of(ObjectId.fromString(text));
      }
      throw new IOException("not a ref file: " + loose);
    }
    if (Files.isDirectory(loose) || perWorktree) {
      return Optional.empty();
    }
    return packedLookup(name);
  }

  private byte[] packed() throws IOException {
    if (!packedRead) {
      packedRead = true;
      try {
        packed = Files.readAllBytes(commonDir.resolve("packed-refs"));
      } catch (NoSuchFileException e) {
        packed = null;
      }
    }
    return packed;
  }

  /** Binary search of a sorted packed-refs file: lines {@code <id> <name>}, peeled lines {@code ^<id>}. */
  private Optional<ObjectId> packedLookup(String name) throws IOException {
    byte[] p = packed();
    if (p == null) {
      return Optional.empty();
    }
    int firstLine = 0;
    if (p.length > 0 && p[0] == '#') {
      int nl = indexOf(p, 0);
      String header = new String(p, 0, nl < 0 ? p.length : nl, StandardCharsets.US_ASCII);
      if (!header.contains(" sorted")) {
        throw new IOException("packed-refs is not sorted");
      }
      firstLine = nl + 1;
    } else if (p.length > 0) {
      throw new IOException("packed-refs without a header");
    }
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    int lo = firstLine;
    int hi = p.length;
    while (lo < hi) {
      int mid = lineStart(p, (lo + hi) >>> 1, lo);
      int line = mid;
      while (line < hi && p[line] == '^') {
        line = indexOf(p, line) + 1;
      }
      if (line >= hi) {
        hi = mid;
        continue;
      }
      int nameStart = line + 41;
      int end = indexOf(p, line);
      if (end < 0) {
        end = p.length;
      }
      int cmp = compare(p, nameStart, end, want);
      if (cmp == 0) {
        return Optional.of(ObjectId.fromString(new String(p, line, 40, StandardCharsets.US_ASCII)));
      }
      if (cmp < 0) {
        lo = end + 1;
      } else {
        hi = mid;
      }
    }
    return Optional.empty();
  }

  /** The start of the line containing {@code at}, not before {@code floor}. */
  private static int lineStart(byte[] p, int at, int floor) {
    int i = at;
    while (i > floor && p[i - 1] != '\n') {
      i--;
    }
    return i;
  }

  private static int indexOf(byte[] p, int from) {
    for (int i = from; i < p.length; i++) {
      if (p[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int compare(byte[] p, int start, int end, byte[] want) {
    int n = Math.min(end - start, want.length);
    for (int i = 0; i < n; i++) {
      int a = p[start + i] & 0xff;
      int b = want[i] & 0xff;
      if (a != b) {
        return a - b;
      }
    }
    return (end - start) - want.length;
  }
}
