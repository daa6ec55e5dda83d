package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitLayout} finds what JGit's builder finds, or nothing: on repositories the real git
 * binary made (work trees, subdirectories, bare repositories with and without a configuration,
 * linked worktrees, a separate git directory) and on ones it must leave to JGit (a configuration
 * outside the plain subset, an unknown repository format, {@code GIT_DIR}, a broken HEAD).
 */
class GitLayoutTest {
  @TempDir Path tmp;

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c",
        "init.defaultBranch=main", "-c", "user.name=t", "-c", "user.email=t@t"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git timed out");
    assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + out);
  }

  /** A work tree with one commit, made by git. */
  private Path workTree(String name) throws Exception {
    Path w = tmp.resolve(name);
    Files.createDirectories(w.resolve("app/migrations"));
    git(w, "init", "-q");
    Files.writeString(w.resolve("app/migrations/0001_initial.py"), "x = 1\n");
    git(w, "add", ".");
    git(w, "commit", "-q", "-m", "one");
    return w;
  }

  /** JGit's answer: git directory, common directory, work tree (null for bare); null if none. */
  private static List<File> jgit(Path start) throws Exception {
    FileRepositoryBuilder b = new FileRepositoryBuilder();
    b.setMustExist(true).findGitDir(start.toAbsolutePath().normalize().toFile());
    if (b.getGitDir() == null) {
      return null;
    }
    try (Repository r = b.build()) {
      return java.util.Arrays.asList(r.getDirectory(), r.getCommonDirectory(),
          r.isBare() ? null : r.getWorkTree());
    }
  }

  private static Optional<GitLayout> ours(Path start, Map<String, String> env) {
    return GitLayout.find(start.toAbsolutePath().normalize().toFile(), env);
  }

  /** Ours, which must be found, equals JGit's. */
  private static void same(Path start) throws Exception {
    Optional<GitLayout> l = ours(start, Map.of());
    assertTrue(l.isPresent(), "found without JGit: " + start);
    assertEquals(jgit(start), java.util.Arrays.asList(l.get().gitDir(), l.get().commonDir(),
        l.get().workTree()), start.toString());
  }

  /** Ours gives way to JGit (which still opens it or reports why not). */
  private static void leftToJgit(Path start, Map<String, String> env) {
    assertEquals(Optional.empty(), ours(start, env), start.toString());
  }

  @Test
  void aWorkTreeFromItsRootAndBelow() throws Exception {
    Path w = workTree("plain");
    same(w);
    same(w.resolve("app"));
    same(w.resolve("app/migrations"));
    same(w.resolve(".git")); // (inside the git directory: JGit takes it as a bare one)
    same(w.resolve(".git/refs/heads"));
  }

  @Test
  void bareRepositoriesWithAndWithoutAConfiguration() throws Exception {
    Path w = workTree("origin");
    Path bare = tmp.resolve("bare.git");
    git(tmp, "clone", "-q", "--bare", w.toString(), bare.toString());
    same(bare);
    same(bare.resolve("refs"));
    Files.delete(bare.resolve("config")); // (as a mirror made by copying objects and refs)
    same(bare);
    Path declared = workTree("declared-bare");
    git(declared, "config", "core.bare", "true");
    same(declared);
    same(declared.resolve("app"));
  }

  @Test
  void linkedWorktreesFromTheirRootAndBelow() throws Exception {
    Path w = workTree("main-tree");
    Path linked = tmp.resolve("linked");
    git(w, "worktree", "add", "-q", "-b", "side", linked.toString());
    same(linked);
    same(linked.resolve("app/migrations"));
    same(w); // the main work tree is still itself
  }

  @Test
  void aSeparateGitDirectoryIsLeftToJgit() throws Exception {
    Path w = tmp.resolve("separate");
    Files.createDirectories(w);
    git(w, "init", "-q", "--separate-git-dir", tmp.resolve("elsewhere.git").toString());
    // the .git file names a directory whose configuration says bare = false: JGit takes the
    // directory above the git directory as the work tree, git the one with the .git file
    leftToJgit(w, Map.of());
  }

  @Test
  void configurationsOutsideThePlainSubsetAreLeftToJgit() throws Exception {
    String[] extras = {
        "[include]\n\tpath = other.config\n",
        "[includeIf \"gitdir:~/\"]\n\tpath = other.config\n",
        "[extensions]\n\tworktreeConfig = true\n",
        "[alias]\n\tlg = \"log --graph\"\n",
        "[alias]\n\tx = a\\\n b\n",
        "[core]\n\tworktree = /elsewhere\n",
        "[core]\n\tbare\n",
        "[core]\n\tbare = yes\n",
        "[core]\n\trepositoryformatversion = 2\n",
        "[core] # a comment after a header\n",
        "^key = before any section\n",
        "[broken\n",
    };
    for (int i = 0; i < extras.length; i++) {
      Path w = workTree("config-" + i);
      Path config = w.resolve(".git/config");
      Files.writeString(config, extras[i].startsWith("^")
          ? extras[i].substring(1) + Files.readString(config) : Files.readString(config) + extras[i]);
      leftToJgit(w, Map.of());
      leftToJgit(w.resolve("app"), Map.of());
    }
    Path w = workTree("plain-extras");
    Files.writeString(w.resolve(".git/config"), Files.readString(w.resolve(".git/config"))
        + "; a comment\n# another\n\n[remote \"origin\"]\n\turl = https://example.com/x.git\n"
        + "\tfetch = +refs/heads/*:refs/remotes/origin/*\n[core]\n\tbare = false # said twice\n");
    same(w);
  }

  @Test
  void variablesThatMoveTheRepositoryAndBrokenHeadsAreLeftToJgit() throws Exception {
    Path w = workTree("moved");
    for (String name : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
        "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES", "GIT_INDEX_FILE")) {
      leftToJgit(w, Map.of(name, w.resolve(".git").toString()));
    }
    Files.writeString(w.resolve(".git/HEAD"), "nonsense\n");
    leftToJgit(w, Map.of());
    Path half = workTree("half");
    Files.createDirectories(half.resolve("app/objects"));
    Files.createDirectories(half.resolve("app/refs"));
    Files.writeString(half.resolve("app/HEAD"), "not a head\n");
    leftToJgit(half.resolve("app"), Map.of()); // JGit walks on; ours does not guess
    same(half);
  }

  @Test
  void noRepositoryIsLeftToJgitToReport() throws Exception {
    Path none = tmp.resolve("nothing-here");
    Files.createDirectories(none);
    if (jgit(none) == null) {
      leftToJgit(none, Map.of());
    }
  }
}
