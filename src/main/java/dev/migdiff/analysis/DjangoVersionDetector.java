package dev.migdiff.analysis;

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
  private static final Pattern LOCK = Pattern.compile(
      "(?im)^name\\s*=\\s*\"django\"\\s*\\R+version\\s*=\\s*\"(\\d+\\.\\d+)");
  private static final Pattern PIPFILE_LOCK = Pattern.compile(
      "(?is)\"django\"\\s*:\\s*\\{[^}]*?\"version\"\\s*:\\s*\"==(\\d+\\.\\d+)");
  private static final Pattern REQUIREMENT = Pattern.compile(
      "(?im)^\\s*[\"']?django\\s*(?:\\[[^]]*])?\\s*(?:==|~=|>=|===)\\s*(\\d+\\.\\d+)");
  private static final List<String> LOCKS = List.of("uv.lock", "poetry.lock", "pdm.lock");
  private static final List<String> REQUIREMENTS = List.of("requirements.txt",
      "requirements/base.txt", "requirements/production.txt", "requirements/prod.txt",
      "requirements/common.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile");

  private DjangoVersionDetector() {}

  static Optional<String> detect(SourceTree tree, String projectRoot) throws IOException {
    return detectWhere(tree, projectRoot).map(Found::version);
  }

  /** A version and the file it was read from. */
  record Found(String version, String path) {}

  /** Like {@link #detect}, also naming the file (what {@code migdiff doctor} shows). */
  static Optional<Found> detectWhere(SourceTree tree, String projectRoot) throws IOException {
    List<String> dirs = projectRoot == null || projectRoot.isEmpty() ? List.of("")
        : List.of(projectRoot, "");
    for (String dir : dirs) {
      for (String name : LOCKS) {
        String path = SourceTree.join(dir, name);
        Optional<String> v = find(tree, path, LOCK);
        if (v.isPresent()) {
          return Optional.of(new Found(v.get(), path));
        }
      }
      String lock = SourceTree.join(dir, "Pipfile.lock");
      Optional<String> v = find(tree, lock, PIPFILE_LOCK);
      if (v.isPresent()) {
        return Optional.of(new Found(v.get(), lock));
      }
      for (String name : REQUIREMENTS) {
        String path = SourceTree.join(dir, name);
        v = find(tree, path, REQUIREMENT);
        if (v.isPresent()) {
          return Optional.of(new Found(v.get(), path));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> find(SourceTree tree, String path, Pattern p) throws IOException {
    Optional<SourceTree.Entry> e = tree.entry(path);
    if (e.isEmpty() || e.get().kind() != SourceTree.Kind.FILE) {
      return Optional.empty();
    }
    // Only a Git object id names the content for sure (a test tree's ids are its paths).
    String key = dev.migdiff.django.ObjectCache.isObjectId(e.get().id())
        ? e.get().id() + "\0" + p.pattern() : null;
    if (key != null) {
      synchronized (FOUND) {
        Optional<String> known = FOUND.get(key);
        if (known != null) {
          return known;
        }
      }
    }
    Matcher m = p.matcher(new String(tree.read(e.get()), StandardCharsets.UTF_8));
    Optional<String> found = m.find() ? Optional.of(m.group(1)) : Optional.empty();
    if (key != null) {
      synchronized (FOUND) {
        FOUND.put(key, found);
      }
    }
    return found;
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
}
