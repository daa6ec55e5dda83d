package dev.migdiff.analysis;

import static dev.migdiff.testing.Django.migration;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.django.Problem;
import dev.migdiff.git.GitRepository;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files changed on both sides merge line by line, as git merges them. Found by the saleor sweep:
 * settings.py changed on both sides kept FROM's version, so an app added by TO was missing "after
 * the merge" and its dependants dangled.
 */
class MergedSourceTreeTest {
  @TempDir Path tmp;

  @Test
  void settingsAndMigrationsChangedOnBothSidesMergeLineByLine() throws Exception {
    String settings = Django.settings(List.of("blog"), "\n".repeat(10) + "DEBUG = False\n");
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      Django.project(r, List.of("blog", "shop"), "");
      r.file("mysite/settings.py", settings);
      r.file("blog/migrations/0001_initial.py", migration("") + "\n".repeat(10) + "# end\n");
      r.commit("base");
      r.branch("feature");
      r.file("mysite/settings.py", settings.replace("\"blog\",\n", "\"blog\",\n    \"shop\",\n"));
      r.file("shop/migrations/0001_initial.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0001_initial.py", migration("") + "\n".repeat(10) + "# feature\n");
      r.commit("feature installs shop");
      r.checkout("main");
      r.file("mysite/settings.py", settings.replace("DEBUG = False", "DEBUG = True"));
      r.file("blog/migrations/0001_initial.py",
          "# main\n" + migration("") + "\n".repeat(10) + "# end\n");
      r.commit("main changes DEBUG");
    }
    try (GitRepository git = GitRepository.discover(tmp)) {
      CompareReport report = new Comparison(git, MigdiffConfig.EMPTY).compare("main", "feature");
      assertEquals(List.of(), report.problems().stream().map(Problem::toString).toList());
      assertEquals(List.of("blog", "shop"),
          report.apps().stream().map(CompareReport.AppDiff::app).toList());
    }
  }

  /**
   * Radar's trees merge a non-migration file when it is read: the same content as merging it at
   * once, named by a content id, and its conflict recorded when read; migration files still merge
   * (and report their conflicts) when their directory is listed.
   */
  @Test
  void filesMergedWhenReadReadAsMergedAtOnce() throws Exception {
    String settings = "A = 1\n" + "\n".repeat(10) + "B = 2\n";
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      r.file("mysite/settings.py", settings);
      r.file("mysite/urls.py", "X = 1\n");
      r.file("blog/migrations/0001_initial.py", "# base\n");
      r.commit("base");
      r.branch("feature");
      r.file("mysite/settings.py", settings.replace("B = 2", "B = 3"));
      r.file("mysite/urls.py", "X = 2\n");
      r.file("blog/migrations/0001_initial.py", "# feature\n");
      r.commit("feature");
      r.checkout("main");
      r.file("mysite/settings.py", settings.replace("A = 1", "A = 0"));
      r.file("mysite/urls.py", "X = 3\n");
      r.file("blog/migrations/0001_initial.py", "# main\n");
      r.commit("main");
    }
    try (GitRepository git = GitRepository.discover(tmp)) {
      dev.migdiff.django.SourceTree[] sides = sides(git);
      dev.migdiff.django.SourceTree b = sides[0];
      dev.migdiff.django.SourceTree o = sides[1];
      dev.migdiff.django.SourceTree t = sides[2];
      MergedSourceTree now = new MergedSourceTree(b, o, t);
      MergedSourceTree later = new MergedSourceTree(b, o, t, RadarReading::mergeNow,
          dev.migdiff.django.ObjectCache.NONE);
      for (String path : List.of("mysite/settings.py", "mysite/urls.py",
          "blog/migrations/0001_initial.py")) {
        dev.migdiff.django.SourceTree.Entry a = now.entry(path).orElseThrow();
        dev.migdiff.django.SourceTree.Entry l = later.entry(path).orElseThrow();
        assertEquals(new String(now.read(a)), new String(later.read(l)), path);
      }
      assertEquals("A = 0\n" + "\n".repeat(10) + "B = 3\n",
          new String(later.read(later.entry("mysite/settings.py").orElseThrow())));
      // the migration's conflict is known from the listing; urls.py's once it was read
      assertEquals(List.of("blog/migrations/0001_initial.py", "mysite/urls.py"),
          later.conflicts().stream().map(MergedSourceTree.TextConflict::path).toList());
      assertEquals(List.of("blog/migrations/0001_initial.py"),
          RadarReading.migrationConflicts(later));
      dev.migdiff.django.SourceTree.Entry s = later.entry("mysite/settings.py").orElseThrow();
      assertEquals(later.contentId(s), later.contentId(s));
      assertEquals(true, later.contentId(s).startsWith("merged:"));
    }
  }

  /** The merge base's, main's and feature's trees. */
  private static dev.migdiff.django.SourceTree[] sides(GitRepository git) throws Exception {
    SnapshotLoader loader = new SnapshotLoader(git, MigdiffConfig.EMPTY);
    String base = git.mergeBase(git.resolve("main"), git.resolve("feature")).orElseThrow();
    return new dev.migdiff.django.SourceTree[] {
        loader.tree(new dev.migdiff.git.Revision(base, base)), loader.tree(git.resolve("main")),
        loader.tree(git.resolve("feature"))};
  }

  private static String sha1(String s) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
        .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * A line-by-line merge is kept in the store by its three inputs' ids, and a later process reads
   * it from there instead of merging again; a value that does not decode is merged again.
   */
  @Test
  void mergesAreKeptBetweenRunsByTheirInputs() throws Exception {
    String settings = "KEPT_A = 1\n" + "\n".repeat(10) + "KEPT_B = 2\n";
    try (RepoBuilder r = RepoBuilder.init(tmp)) {
      r.file("mysite/settings.py", settings);
      r.commit("base");
      r.branch("feature");
      r.file("mysite/settings.py", settings.replace("KEPT_B = 2", "KEPT_B = 3"));
      r.commit("feature");
      r.checkout("main");
      r.file("mysite/settings.py", settings.replace("KEPT_A = 1", "KEPT_A = 0"));
      r.commit("main");
    }
    dev.migdiff.testing.MemoryCache store = new dev.migdiff.testing.MemoryCache();
    java.util.Map<String, byte[]> kept = store.values;
    String merged = "KEPT_A = 0\n" + "\n".repeat(10) + "KEPT_B = 3\n";
    try (GitRepository git = GitRepository.discover(tmp)) {
      dev.migdiff.django.SourceTree[] sides = sides(git);
      dev.migdiff.django.SourceTree b = sides[0];
      dev.migdiff.django.SourceTree o = sides[1];
      dev.migdiff.django.SourceTree t = sides[2];
      java.util.function.Supplier<String> read = () -> {
        MergedSourceTree m = new MergedSourceTree(b, o, t, path -> true, store);
        try {
          return new String(m.read(m.entry("mysite/settings.py").orElseThrow()));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      };
      MergedSourceTree.forgetMerges();
      assertEquals(merged, read.get());
      assertEquals(1, kept.size());
      String key = kept.keySet().iterator().next();
      assertEquals(true, key.startsWith(MergedSourceTree.MERGES_KIND + "/"));
      String value = new String(kept.get(key));
      assertEquals(true, value.startsWith("merged ") && value.endsWith("\n" + merged), value);

      MergedSourceTree.forgetMerges(); // a new process: what the store says is what it reads
      String other = "KEPT_A = 42\n";
      kept.put(key, ("merged " + sha1(other) + "\n" + other).getBytes());
      assertEquals(other, read.get());
      for (String bad : List.of("merged " + sha1(other) + "\nKEPT_A = 43\n", "\u0001" + other,
          "merged x\n", "")) {
        MergedSourceTree.forgetMerges();
        kept.put(key, bad.getBytes());
        assertEquals(merged, read.get(), "not a stored merge, so merged again: " + bad);
      }
    }
  }
}
