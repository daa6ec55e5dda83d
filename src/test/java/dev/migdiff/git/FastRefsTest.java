package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * migdiff's own ref lookup (one loose file or a binary search of packed-refs) must answer exactly
 * what {@code git rev-parse NAME^{commit}} answers, on a repository with loose and packed
 * branches, annotated and lightweight tags, remote branches, a tag and a branch of one name, a
 * symbolic ref, and a linked worktree.
 */
class FastRefsTest {
  @TempDir Path tmp;

  @Test
  void resolvesExactlyAsGitDoes() throws Exception {
    Path repo = tmp.resolve("r");
    Files.createDirectories(repo);
    git(repo, "init", "-q", "-b", "main");
    List<String> names = new ArrayList<>(List.of("main", "HEAD", "nope", "v1", "v2", "both",
        "origin/main", "origin/feature", "origin", "feature", "x/y", "tags/v1", "heads/main",
        "remotes/origin/main", "zz9", "a", "b"));
    for (int i = 0; i < 30; i++) {
      Files.writeString(repo.resolve("f"), "v" + i);
      git(repo, "add", "f");
      git(repo, "commit", "-q", "-m", "c" + i);
      String b = String.format("b%03d", i);
      git(repo, "branch", b);
      names.add(b);
      if (i % 3 == 0) {
        git(repo, "tag", "-a", "-m", "t", "t" + i);
        names.add("t" + i);
      }
      if (i == 5) {
        git(repo, "tag", "v1");
        git(repo, "branch", "feature");
        git(repo, "branch", "x/y");
      }
      if (i == 9) {
        git(repo, "tag", "-a", "-m", "both", "both");
        git(repo, "update-ref", "refs/remotes/origin/main", "HEAD");
        git(repo, "update-ref", "refs/remotes/origin/feature", "HEAD~3");
        git(repo, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
      }
    }
    git(repo, "branch", "both", "b002");
    git(repo, "tag", "v2", "b007");
    git(repo, "pack-refs", "--all");
    // Some loose refs beside the packed ones, one of them newer than its packed copy.
    git(repo, "branch", "-f", "b010", "b020");
    git(repo, "branch", "a", "b001");
    git(repo, "checkout", "-q", "b015");
    git(repo, "worktree", "add", "-q", tmp.resolve("wt").toString(), "b003");
    for (Path dir : List.of(repo, tmp.resolve("wt"))) {
      try (GitRepository r = GitRepository.discover(dir)) {
        int checked = 0;
        for (String n : names) {
          String expected = revParse(dir, n);
          String actual;
          try {
            actual = r.resolve(n).commit();
          } catch (GitException e) {
            actual = null;
          }
          assertEquals(expected, actual, dir.getFileName() + ": " + n);
          checked++;
        }
        assertTrue(checked > 40);
        assertEquals("b015", r.describe(revParse(repo, "b015")));
        // the branches radar lists: read from the ref files, as JGit lists them
        List<GitRepository.Branch> fast = r.fastBranches();
        assertTrue(fast != null && fast.size() > 30, String.valueOf(fast));
        assertEquals(r.jgitBranches(), fast);
        assertEquals(r.jgitBranches(), r.branches());
      }
    }
    // A stale lock file is no branch; a loose branch naming an annotated tag is peeled, by JGit.
    Files.writeString(repo.resolve(".git/refs/heads/b001.lock"), revParse(repo, "b002") + "\n");
    // (git refuses to write one; another tool may)
    Files.writeString(repo.resolve(".git/refs/heads/tagged"),
        git(repo, "rev-parse", "refs/tags/t3").trim() + "\n");
    try (GitRepository r = GitRepository.discover(repo)) {
      assertEquals(null, r.fastBranches(), "a tag to peel: JGit decides");
      List<GitRepository.Branch> all = r.branches();
      assertEquals(r.jgitBranches(), all);
      String t3 = revParse(repo, "t3");
      assertTrue(all.stream().anyMatch(b -> b.name().equals("tagged")
          && b.commit().equals(t3)), String.valueOf(all));
      assertTrue(all.stream().noneMatch(b -> b.name().endsWith(".lock")), String.valueOf(all));
    }
    // packed refs that do not say they are fully peeled: JGit decides
    Files.delete(repo.resolve(".git/refs/heads/tagged"));
    Path packed = repo.resolve(".git/packed-refs");
    String text = Files.readString(packed);
    Files.writeString(packed, text.replace(" fully-peeled", ""));
    try (GitRepository r = GitRepository.discover(repo)) {
      assertEquals(null, r.fastBranches());
      assertEquals(r.jgitBranches(), r.branches());
    }
  }

  private static String revParse(Path dir, String name) throws Exception {
    Process p = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "-q", "--verify",
        name + "^{commit}").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return p.waitFor() == 0 ? out : null;
  }

  /** Runs git in {@code dir} without the user's configuration; its output (it must succeed). */
  static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null",
        "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com", "GIT_COMMITTER_NAME", "t",
        "GIT_COMMITTER_EMAIL", "t@example.com"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", args) + ": " + out);
    }
    return out;
  }
}
