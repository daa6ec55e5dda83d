package dev.migdiff.analysis;

import dev.migdiff.django.ObjectCache;
import dev.migdiff.django.SourceTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Django version a project pins, from its lock or requirements files: lock files first
 * (exact), then {@code django==X.Y}, {@code ~=}, {@code >=} specifiers.
 */
final class DjangoVersionDetector {
  static final Pattern LOCK = Pattern.compile(
      "(?im)^name\\s*=\\s*\"django\"\\s*\\R+version\\s*=\\s*\"(\\d+\\.\\d+)");
  static final Pattern PIPFILE_LOCK = Pattern.compile(
      "(?is)\"django\"\\s*:\\s*\\{[^}]*?\"version\"\\s*:\\s*\"==(\\d+\\.\\d+)");
  static final Pattern REQUIREMENT = Pattern.compile(
      "(?im)^\\s*[\"']?django\\s*(?:\\[[^]]*])?\\s*(?:==|~=|>=|===)\\s*(\\d+\\.\\d+)");
  private static final List<String> LOCKS = List.of("uv.lock", "poetry.lock", "pdm.lock");
  private static final List<String> REQUIREMENTS = List.of("requirements.txt",
      "requirements/base.txt", "requirements/production.txt", "requirements/prod.txt",
      "requirements/common.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile");

  private DjangoVersionDetector() {}

  static Optional<String> detect(SourceTree tree, String projectRoot) throws IOException {
    return detect(tree, projectRoot, ObjectCache.NONE);
  }

  /** Like {@link #detect}, keeping what each file said in {@code store}, by its blob id. */
  static Optional<String> detect(SourceTree tree, String projectRoot, ObjectCache store)
      throws IOException {
    return detectWhere(tree, projectRoot, store).map(Found::version);
  }

  /** A version and the file it was read from. */
  record Found(String version, String path) {}

  /** Like {@link #detect}, also naming the file (what {@code migdiff doctor} shows). */
  static Optional<Found> detectWhere(SourceTree tree, String projectRoot) throws IOException {
    return detectWhere(tree, projectRoot, ObjectCache.NONE);
  }

  private static Optional<Found> detectWhere(SourceTree tree, String projectRoot,
      ObjectCache store) throws IOException {
    List<String> dirs = projectRoot == null || projectRoot.isEmpty() ? List.of("")
        : List.of(projectRoot, "");
    for (String dir : dirs) {
      for (String name : LOCKS) {
        String path = SourceTree.join(dir, name);
        Optional<String> v = find(tree, path, LOCK, store);
        if (v.isPresent()) {
          return Optional.of(new Found(v.get(), path));
        }
      }
      String lock = SourceTree.join(dir, "Pipfile.lock");
      Optional<String> v = find(tree, lock, PIPFILE_LOCK, store);
      if (v.isPresent()) {
        return Optional.of(new Found(v.get(), lock));
      }
      for (String name : REQUIREMENTS) {
        String path = SourceTree.join(dir, name);
        v = find(tree, path, REQUIREMENT, store);
        if (v.isPresent()) {
          return Optional.of(new Found(v.get(), path));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> find(SourceTree tree, String path, Pattern p,
      ObjectCache store) throws IOException {
    Optional<SourceTree.Entry> e = tree.entry(path);
    if (e.isEmpty() || e.get().kind() != SourceTree.Kind.FILE) {
      return Optional.empty();
    }
    // Only a Git object id names the content for sure (a test tree's ids are its paths).
    String id = e.get().id();
    String key = ObjectCache.isObjectId(id) ? id + "\0" + p.pattern() : null;
    if (key == null) {
      return search(tree.read(e.get()), p);
    }
    synchronized (FOUND) {
      Optional<String> known = FOUND.get(key);
      if (known != null) {
        return known;
      }
    }
    // Radar reads a lock file of half a megabyte in each of a hundred revisions, most of them
    // with a lock file of their own: what each said is kept between runs too.
    String storeKey = ObjectCache.key(STORED + " " + key);
    Optional<String> found = stored(store.get(KIND, storeKey));
    if (found == null) {
      found = search(tree.read(e.get()), p);
      byte[] value = (STORED + " " + found.orElse("-") + "\n").getBytes(StandardCharsets.US_ASCII);
      store.putLater(KIND, storeKey, () -> value);
    }
    synchronized (FOUND) {
      FOUND.put(key, found);
    }
    return found;
  }

  private static final String KIND = "versions";
  private static final String STORED = "django-version 1";

  /** A value {@link #find} stored, or null when it is not one (then the file is read again). */
  private static Optional<String> stored(byte[] value) {
    if (value == null) {
      return null;
    }
    Matcher m = STORED_VALUE.matcher(new String(value, StandardCharsets.ISO_8859_1));
    return !m.matches() ? null : m.group(1).equals("-") ? Optional.empty() : Optional.of(m.group(1));
  }

  private static final Pattern STORED_VALUE =
      Pattern.compile(Pattern.quote(STORED) + " (\\d{1,4}\\.\\d{1,4}|-)\n");

  /**
   * The pattern's first match in a file. A file with none of the bytes of the line terminators
   * beyond ASCII (U+0085, U+2028, U+2029) is matched as Latin-1, without decoding: the patterns
   * match ASCII only, apart from classes of "any but" under a repetition, so each other
   * character, however many units it decodes to, matches and fails alike.
   */
  static Optional<String> search(byte[] content, Pattern p) {
    boolean plain = true;
    for (byte b : content) {
      if (b == (byte) 0x85 || b == (byte) 0xA8 || b == (byte) 0xA9) {
        plain = false;
        break;
      }
    }
    Matcher m = p.matcher(new String(content,
        plain ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * What each file said, by its blob id and the pattern, for the process: radar reads the same
   * lock file in hundreds of trees. Bounded, least recently used first.
   */
  private static final java.util.Map<String, Optional<String>> FOUND =
      new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Optional<String>> e) {
          return size() > 1024;
        }
      };

  /** Forgets what files said in this process (for tests: a new process). */
  static void forget() {
    synchronized (FOUND) {
      FOUND.clear();
    }
  }
}
