package dev.migdiff.django;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds manage.py and the settings module it names, without running it. */
final class ProjectLocator {
  private static final int MAX_DEPTH = 3;
  private static final Set<String> SKIP = Set.of("node_modules", "site-packages", "venv", "env",
      "static", "media", "docs", "tests", "test");
  private static final Pattern SETDEFAULT = Pattern.compile(
      "DJANGO_SETTINGS_MODULE['\"]\\s*,\\s*['\"]([A-Za-z_][\\w.]*)['\"]");

  /** What {@link #SETDEFAULT} takes for a module name. */
  private static final Pattern MODULE = Pattern.compile("[A-Za-z_][\\w.]*");

  private ProjectLocator() {}

  /** The directory of the shallowest manage.py (breadth first, sorted), or empty. */
  static Optional<String> findManagePy(SourceTree tree) throws IOException {
    Deque<String[]> queue = new ArrayDeque<>();
    queue.add(new String[] {"", "0"});
    while (!queue.isEmpty()) {
      String[] next = queue.poll();
      String dir = next[0];
      int depth = Integer.parseInt(next[1]);
      for (SourceTree.Entry e : tree.list(dir)) {
        if (e.kind() == SourceTree.Kind.FILE && e.name().equals("manage.py")) {
          return Optional.of(dir);
        }
      }
      if (depth < MAX_DEPTH) {
        for (SourceTree.Entry e : tree.list(dir)) {
          if (e.kind() == SourceTree.Kind.DIR && !e.name().startsWith(".")
              && !SKIP.contains(e.name())) {
            queue.add(new String[] {SourceTree.join(dir, e.name()), String.valueOf(depth + 1)});
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The default of {@code DJANGO_SETTINGS_MODULE} set in manage.py, ignoring comments; kept in
   * {@code store} by the file's blob id, so a warm run reads no blob for it.
   */
  static Optional<String> settingsFromManagePy(SourceTree tree, String projectRoot,
      ObjectCache store) throws IOException {
    Optional<SourceTree.Entry> e = tree.entry(SourceTree.join(projectRoot, "manage.py"));
    if (e.isEmpty()) {
      return Optional.empty();
    }
    String blobId = e.get().id();
    boolean keep = store != ObjectCache.NONE && ObjectCache.isObjectId(blobId);
    byte[] kept = keep ? store.get(MANAGE_PY, blobId) : null;
    if (kept != null) {
      String v = new String(kept, StandardCharsets.UTF_8);
      if (v.equals("-")) {
        return Optional.empty();
      }
      if (v.startsWith("=") && MODULE.matcher(v.substring(1)).matches()) {
        return Optional.of(v.substring(1));
      }
      // anything else is not a reading this code stored: read the file
    }
    Optional<String> found = settingsIn(new String(tree.read(e.get()), StandardCharsets.UTF_8));
    if (keep) {
      store.put(MANAGE_PY, blobId,
          found.map(m -> ("=" + m).getBytes(StandardCharsets.UTF_8)).orElse(new byte[] {'-'}));
    }
    return found;
  }

  /** The kind of stored readings of manage.py: "=MODULE", or "-" for none. */
  private static final String MANAGE_PY = "managepy";

  private static Optional<String> settingsIn(String text) {
    for (String line : text.split("\n")) {
      String code = line.strip();
      if (code.startsWith("#")) {
        continue;
      }
      Matcher m = SETDEFAULT.matcher(code);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
