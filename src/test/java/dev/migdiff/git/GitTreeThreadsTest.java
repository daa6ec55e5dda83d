package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitTree} read from several threads at once (the switch plan reads blobs on a second core
 * while the merge's trees are listed on the first): every listing, entry and blob is what one
 * thread alone reads. The trees share one JGit reader, which is for one thread at a time; before
 * every walk held it, a listing beside a blob read failed ("Unexpected end of ZLIB input stream")
 * or returned wrong entries.
 */
class GitTreeThreadsTest {
  @TempDir Path tmp;

  @Test
  void listingsEntriesAndBlobsReadAtOnceAreThoseReadAlone() throws Exception {
    Path r = tmp.resolve("repo");
    Files.createDirectories(r);
    git(r, "init", "-q", "-b", "main");
    // deltified blobs and trees in one pack: reading one inflates through the reader's state
    for (int commit = 0; commit < 6; commit++) {
      for (int d = 0; d < 24; d++) {
        Path dir = Files.createDirectories(r.resolve("app" + d).resolve("migrations"));
        for (int f = 0; f <= commit; f++) {
          StringBuilder text = new StringBuilder();
          for (int line = 0; line < 200; line++) {
            text.append("line ").append(line).append(" of ").append(d).append('/').append(f)
                .append(line % 50 == commit ? " changed " + commit : "").append('\n');
          }
          Files.writeString(dir.resolve(String.format("%04d_m.py", f)), text);
        }
      }
      git(r, "add", "-A");
      git(r, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "c" + commit);
    }
    git(r, "repack", "-adfq", "--depth=50", "--window=50");

    try (GitRepository g = GitRepository.discover(r)) {
      GitTree tree = g.tree(g.resolve("main"));
      Map<String, String> alone = readAll(tree);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Map<String, String>>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          Callable<Map<String, String>> read = () -> readAll(tree);
          runs.add(pool.submit(read));
        }
        for (Future<Map<String, String>> run : runs) {
          assertEquals(alone, run.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Every directory's listing, entry and file contents, by path. */
  private static Map<String, String> readAll(GitTree tree) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (String dir : tree.findDirectories("migrations")) {
      List<TreeEntry> entries = tree.list(dir);
      out.put(dir + " (listing)", entries.toString());
      out.put(dir + " (entry)", tree.entry(dir).toString());
      String id = tree.entry(dir).orElseThrow().id();
      out.put(dir + " (tree)", tree.listTree(id).toString());
      for (TreeEntry e : entries) {
        out.put(dir + "/" + e.name(), new String(tree.read(e.id()),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String git(Path r, String... args) throws Exception {
    return FastRefsTest.git(r, args).trim();
  }
}
