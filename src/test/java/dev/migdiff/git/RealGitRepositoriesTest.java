package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories made by the real git binary (testrepos/revisions.sh): packed refs after gc, an
 * annotated tag, remote branches, a reflog, a linked worktree and a bare clone.
 */
class RealGitRepositoriesTest {
  @TempDir static Path tmp;
  static Path root;

  @BeforeAll
  static void build() throws Exception {
    root = tmp.resolve("revs");
    Process p = new ProcessBuilder("bash", "testrepos/revisions.sh", root.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "revisions.sh timed out");
    assertEquals(0, p.exitValue(), out);
  }

  private static Map<String, Object> graph(Path dir, String ref) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"-C", dir.toString(), "graph", "--format", "json", ref},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertTrue(code == 0 || code == 1, ref + ": " + err.toString(StandardCharsets.UTF_8));
    return Json.object(out.toString(StandardCharsets.UTF_8));
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  @Test
  void everyRevisionFormResolvesLikeGit() throws Exception {
    Path work = root.resolve("work");
    String shortSha = git(work, "rev-parse", "--short", "side");
    for (String rev : List.of("main", "side", "origin/main", "origin/upstream-only", "v1",
        "HEAD~1", "@{-1}", "side~1", shortSha, "refs/tags/t7", "main^{commit}")) {
      assertEquals(git(work, "rev-parse", rev + "^{commit}"), graph(work, rev).get("commit"), rev);
    }
  }

  @Test
  void bareRepositoryLinkedWorktreeAndSubdirectoryAreFound() throws Exception {
    assertEquals(git(root.resolve("bare.git"), "rev-parse", "HEAD"),
        graph(root.resolve("bare.git"), "HEAD").get("commit"));
    assertEquals(git(root.resolve("linked"), "rev-parse", "HEAD"),
        graph(root.resolve("linked"), "HEAD").get("commit"));
    assertEquals(git(root.resolve("work"), "rev-parse", "HEAD"),
        graph(root.resolve("work/blog/migrations"), "HEAD").get("commit"));
  }

  @Test
  void leavesAtEachRevision() {
    Path work = root.resolve("work");
    assertEquals("[{app=blog, leaves=[0002_a], migrations=2}]", summary(graph(work, "main")));
    assertEquals("[{app=blog, leaves=[0002_a, 0003_c], migrations=4}]", summary(graph(work, "side")));
  }

  /**
   * Read-only: a run in a process of its own, on a machine where JGit has never run (an empty
   * home), changes nothing in the repository (not even a directory's time stamp: JGit measures a
   * file store by writing probe files into it) and writes nothing outside its cache (JGit saves
   * that measurement into ~/.config/jgit/config).
   */
  @Test
  void aRunWritesNothingOutsideItsCache() throws Exception {
    Path home = java.nio.file.Files.createDirectories(tmp.resolve("home"));
    Map<String, String> before = files(root);
    for (List<String> args : List.of(
        List.of("-C", root.resolve("work").toString(), "main", "side", "--format", "json",
            "--no-database"),
        List.of("-C", root.resolve("bare.git").toString(), "graph", "HEAD"))) {
      List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty(
          "java.home"), "bin", "java").toString(), "-Duser.home=" + home, "-cp",
          System.getProperty("java.class.path"), Main.class.getName()));
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("XDG_") || k.startsWith("GIT_"));
      pb.environment().putAll(Map.of("HOME", home.toString(), "MIGDIFF_DAEMON", "off",
          "MIGDIFF_CACHE_DIR", tmp.resolve("cache").toString()));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out");
      assertTrue(p.exitValue() == 0 || p.exitValue() == 1, out);
    }
    assertEquals(before, files(root));
    assertEquals(Map.of(), files(home));
  }

  /** Every file and directory under {@code dir}: its kind, size and time stamp. */
  private static Map<String, String> files(Path dir) throws java.io.IOException {
    Map<String, String> out = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(dir)) {
      for (Path f : (Iterable<Path>) all::iterator) {
        if (!f.equals(dir)) {
          java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(f,
              java.nio.file.attribute.BasicFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
          out.put(dir.relativize(f).toString(), (a.isDirectory() ? "dir " : "file ") + a.size()
              + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String summary(Map<String, Object> g) {
    return ((List<Map<String, Object>>) g.get("apps")).stream()
        .map(a -> Map.of("app", a.get("app"), "leaves", a.get("leaves"),
            "migrations", ((List<?>) a.get("migrations")).size()))
        .map(m -> new java.util.TreeMap<>(m).toString()).toList().toString();
  }
}
