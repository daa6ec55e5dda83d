package dev.migdiff.git;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a repository's files are (its git directory, the common directory linked worktrees share,
 * its work tree or none), found from a directory in it without JGit: starting JGit and building
 * its repository take 100-150 ms, more than a warm run's whole answer needs of the repository
 * when every object fact is kept (see {@link ObjectFacts}).
 *
 * <p>It finds exactly what JGit's {@code FileRepositoryBuilder.findGitDir().setup()} finds, or
 * nothing: anything it is not sure of (a {@code GIT_*} variable that moves the repository,
 * {@code core.worktree}, an {@code [extensions]} or {@code [include]} section, a configuration
 * line outside the plain subset of git's syntax, a directory that looks half like a repository,
 * a repository format other than 0 or 1) answers empty, and the caller opens the repository with
 * JGit as before. The plain subset is one that JGit always reads without error, so a repository
 * found here is one JGit opens. {@code GitLayoutTest} compares the two on many layouts.
 */
record GitLayout(File gitDir, File commonDir, File workTree) {

  /** The variables JGit's {@code readEnvironment()} reads to place the repository. */
  private static final Set<String> MOVES_THE_REPOSITORY = Set.of("GIT_DIR", "GIT_WORK_TREE",
      "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
      "GIT_CEILING_DIRECTORIES", "GIT_INDEX_FILE");

  /** The layout around {@code start}, or empty when JGit should find it. */
  static Optional<GitLayout> find(File start, Map<String, String> env) {
    for (String name : MOVES_THE_REPOSITORY) {
      if (env.get(name) != null) {
        return Optional.empty();
      }
    }
    try {
      for (File dir = start; dir != null; dir = dir.getParentFile()) {
        File dotGit = new File(dir, ".git");
        Path p = dotGit.toPath();
        if (Files.isDirectory(p)) {
          return looksLikeRepository(p) == Boolean.TRUE ? layout(dotGit, null) : Optional.empty();
        }
        if (Files.isRegularFile(p)) {
          File target = gitFileTarget(dir, dotGit);
          return target == null || looksLikeRepository(target.toPath()) != Boolean.TRUE
              ? Optional.empty() : layout(target, dir);
        }
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          return Optional.empty(); // a dangling link or something stranger
        }
        Boolean bare = looksLikeRepository(dir.toPath());
        if (bare == null) {
          return Optional.empty();
        }
        if (bare) {
          return layout(dir, null);
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Whether {@code dir} is a git directory as JGit's {@code FileKey.isGitRepository} decides
   * (it has {@code objects}, {@code refs} and a valid {@code HEAD}), but only where that is plain:
   * true for a git directory whose common directory holds the objects and refs, false for a
   * directory with none of {@code objects}, {@code refs}, {@code HEAD}, {@code commondir}; null
   * for anything between.
   */
  private static Boolean looksLikeRepository(Path dir) throws IOException {
    Path head = dir.resolve("HEAD");
    Path commondir = dir.resolve("commondir");
    boolean objects = Files.exists(dir.resolve("objects"));
    boolean refs = Files.exists(dir.resolve("refs"));
    boolean linked = Files.exists(commondir);
    if (!Files.exists(head) && !objects && !refs && !linked) {
      return false;
    }
    if (!Files.isRegularFile(head) || !validHead(Files.readAllBytes(head))) {
      return null;
    }
    Path common = linked ? commonDir(dir) : dir;
    if (common == null || !Files.isDirectory(common.resolve("objects"))
        || !Files.isDirectory(common.resolve("refs")) || Files.exists(common.resolve("reftable"))
        || linked && (objects || refs)) {
      return null;
    }
    return true;
  }

  /** JGit's {@code isValidHead}, on the file's first line: a symbolic ref or a full id. */
  private static boolean validHead(byte[] b) {
    int n = b.length;
    if (n == 0 || n > 4096) {
      return false;
    }
    String s = new String(b, 0, b[n - 1] == '\n' ? n - 1 : n, StandardCharsets.UTF_8);
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return false; // (more than one line: not what git writes)
    }
    return s.startsWith("ref: refs/") && s.length() > "ref: refs/".length()
        || s.matches("[0-9a-f]{40}");
  }

  /** The common directory a linked worktree's git directory names; null when unclear. */
  private static Path commonDir(Path gitDir) throws IOException {
    String text = Files.readString(gitDir.resolve("commondir"), StandardCharsets.UTF_8);
    String path = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (path.isEmpty() || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0
        || !path.equals(path.trim())) {
      return null;
    }
    return gitDir.resolve(path);
  }

  /** The git directory a {@code .git} file names ({@code gitdir: PATH}); null when unclear. */
  private static File gitFileTarget(File dir, File dotGit) throws IOException {
    String text = Files.readString(dotGit.toPath(), StandardCharsets.UTF_8);
    if (!text.startsWith("gitdir: ")) {
      return null;
    }
    String path = text.substring("gitdir: ".length());
    if (path.endsWith("\n")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty() || path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0
        || !path.equals(path.trim())) {
      return null;
    }
    File f = new File(path);
    return f.isAbsolute() ? f : new File(dir, path).getCanonicalFile();
  }

  /**
   * The layout of git directory {@code gitDir} (found in {@code dotGitFileDir}'s {@code .git}
   * file, or null): its common directory and work tree, as JGit's builder sets them up.
   */
  private static Optional<GitLayout> layout(File gitDir, File dotGitFileDir) throws IOException {
    Path common = Files.exists(gitDir.toPath().resolve("commondir"))
        ? commonDir(gitDir.toPath()) : gitDir.toPath();
    File commonFile = common == gitDir.toPath() ? gitDir : common.toFile().getCanonicalFile();
    Optional<Map<String, String>> core = plainCore(common.resolve("config"));
    if (core.isEmpty()) {
      return Optional.empty();
    }
    String version = core.get().getOrDefault("repositoryformatversion", "0");
    if (!version.equals("0") && !version.equals("1") || core.get().containsKey("worktree")) {
      return Optional.empty();
    }
    File work;
    Path gitdirFile = gitDir.toPath().resolve("gitdir");
    String bare = core.get().get("bare");
    if (Files.isRegularFile(gitdirFile)) {
      // a linked worktree's git directory names the worktree's .git file
      String text = Files.readString(gitdirFile, StandardCharsets.UTF_8).trim();
      if (text.isEmpty() || text.indexOf('\n') >= 0) {
        return Optional.empty();
      }
      File named = new File(text);
      File dotGit = named.isAbsolute() ? named : new File(gitDir, text).getCanonicalFile();
      work = dotGit.getParentFile();
      if (work == null) {
        return Optional.empty();
      }
    } else if (Files.exists(gitdirFile)) {
      return Optional.empty();
    } else if (bare != null) {
      String b = bare.toLowerCase(Locale.ROOT);
      if (!b.equals("true") && !b.equals("false")) {
        return Optional.empty();
      }
      work = b.equals("true") ? null : gitDir.getParentFile();
    } else {
      work = gitDir.getName().equals(".git") ? gitDir.getParentFile() : null;
    }
    if (dotGitFileDir != null && (work == null || !work.equals(dotGitFileDir))) {
      return Optional.empty(); // a .git file whose repository says otherwise: JGit decides
    }
    return Optional.of(new GitLayout(gitDir, commonFile, work));
  }

  private static final Pattern SECTION =
      Pattern.compile("\\s*\\[([A-Za-z0-9.-]+)(?: \"([^\"\\\\]*)\")?\\]\\s*");
  private static final Pattern ENTRY =
      Pattern.compile("\\s*([A-Za-z][A-Za-z0-9-]*)\\s*=([^\"\\\\]*)");
  private static final Pattern COMMENT = Pattern.compile("\\s*([#;].*)?");

  /**
   * The {@code [core]} entries of a repository's configuration (keys in lower case, values
   * trimmed, comments cut), when the whole file is in the plain subset of git's syntax: section
   * headers, {@code key = value} lines without quotes or backslashes, comments, blank lines; no
   * {@code include}, {@code includeIf} or {@code extensions} section. Empty otherwise. A missing
   * file is an empty configuration (JGit's too).
   */
  static Optional<Map<String, String>> plainCore(Path config) throws IOException {
    if (!Files.exists(config)) {
      return Optional.of(Map.of());
    }
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    String text = Files.readString(config, StandardCharsets.UTF_8);
    Map<String, String> core = new java.util.HashMap<>();
    String section = null;
    for (String line : text.split("\n", -1)) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c < 0x20 && c != '\t' || c == 0x7f || c == '\uFEFF') {
          return Optional.empty();
        }
      }
      if (COMMENT.matcher(line).matches()) {
        continue;
      }
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        section = s.group(1).toLowerCase(Locale.ROOT);
        if (section.equals("include") || section.equals("includeif")
            || section.equals("extensions")) {
          return Optional.empty();
        }
        if (section.equals("core") && s.group(2) != null) {
          section = "core \"" + s.group(2) + "\"";
        }
        continue;
      }
      Matcher e = ENTRY.matcher(line);
      if (!e.matches() || section == null) {
        return Optional.empty();
      }
      if (section.equals("core")) {
        String value = e.group(2);
        int cut = value.length();
        for (int i = 0; i < value.length(); i++) {
          if (value.charAt(i) == '#' || value.charAt(i) == ';') {
            cut = i;
            break;
          }
        }
        String key = e.group(1).toLowerCase(Locale.ROOT);
        core.put(key, value.substring(0, cut).trim());
      }
    }
    return Optional.of(core);
  }
}
