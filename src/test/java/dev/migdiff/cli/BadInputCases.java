package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.cli.CliCases.Case;
import dev.migdiff.cli.CliCases.Scenario;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The catalogue of hostile and broken input (golden files {@code bad-*.txt}): each kind of bad
 * file, project, reference or repository with migdiff's exact answer and exit code. Repositories
 * that JGit cannot build (symlinks, submodules, shallow and partial clones, corrupt objects) are
 * made with the real git, with fixed identities and dates.
 */
final class BadInputCases {
  private BadInputCases() {}

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    // Bytes and text of one migration file.
    c.add(one("bad-non-utf8", "0002_latin1.py", bytes(migration("(\"blog\", \"0001_initial\")",
        "    # caf\u00e9\n"), StandardCharsets.ISO_8859_1)));
    c.add(one("bad-bom", "0002_bom.py", utf8("\ufeff" + migration("(\"blog\", \"0001_initial\")"))));
    c.add(one("bad-crlf", "0002_crlf.py",
        utf8(migration("(\"blog\", \"0001_initial\")").replace("\n", "\r\n"))));
    c.add(one("bad-mixed-tabs", "0002_tabs.py", utf8("from django.db import migrations\n\n\n"
        + "class Migration(migrations.Migration):\n    dependencies = [(\"blog\", \"0001_initial\")]\n"
        + "\toperations = []\n")));
    c.add(one("bad-coding-declaration", "0002_coding.py",
        utf8("# -*- coding: klingon -*-\n" + migration("(\"blog\", \"0001_initial\")"))));
    c.add(one("bad-nul-bytes", "0002_nul.py",
        utf8(migration("(\"blog\", \"0001_initial\")").replace("operations", "oper\0ations"))));
    c.add(one("bad-binary", "0002_binary.py", binary()));
    c.add(one("bad-empty-file", "0002_empty.py", new byte[0]));
    c.add(one("bad-deep-brackets", "0002_deep.py", utf8(migration("(\"blog\", \"0001_initial\")",
        "    x = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n"))));
    c.add(one("bad-long-chain", "0002_chain.py", utf8(migration("(\"blog\", \"0001_initial\")",
        "    x = 1" + " + 1".repeat(100_000) + "\n"))));
    c.add(one("bad-lfs-pointer", "0002_lfs.py", utf8("version https://git-lfs.github.com/spec/v1\n"
        + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        + "size 12345\n")));
    // The Migration class and its values.
    c.add(one("bad-two-migration-classes", "0002_twice.py",
        utf8(migration("(\"blog\", \"0001_initial\")") + "\n\n" + migration("(\"blog\", \"0001_initial\")"))));
    c.add(one("bad-dynamic-migration", "0002_dynamic.py", utf8("from django.db import migrations\n\n"
        + "Migration = type(\"Migration\", (migrations.Migration,), {\"dependencies\": []})\n")));
    c.add(one("bad-computed-dependencies", "0002_computed.py", utf8("from django.db import migrations\n"
        + "import glob\n\n\nclass Migration(migrations.Migration):\n"
        + "    dependencies = [(\"blog\", sorted(glob.glob(\"*.py\"))[0][:-3])]\n    operations = []\n")));
    c.add(one("bad-dangling-dependency", "0002_dangling.py",
        utf8(migration("(\"blog\", \"0001_initial\"), (\"blog\", \"0099_missing\")"))));
    c.add(one("bad-unknown-app", "0002_unknown_app.py",
        utf8(migration("(\"blog\", \"0001_initial\"), (\"nope\", \"__first__\")"))));
    c.add(one("bad-dependency-not-a-tuple", "0002_list.py",
        utf8(migration("[\"blog\", \"0001_initial\"], \"blog.0001_initial\""))));
    c.add(one("bad-hostile-names", "0002_\u001b[31mred\u0007.py",
        utf8(migration("(\"blog\", \"0001_initial\"), (\"blog\", \"0003_\u001b]0;pwned\u0007\u202eevil\")"))));
    c.add(new Case("bad-hostile-names-json", ONE.get("bad-hostile-names"), List.of("graph", "--format", "json")));
    c.add(new Case("bad-cycle", CYCLE, List.of("graph")));
    // The project around the migrations.
    c.add(new Case("bad-duplicate-app-labels", DUPLICATE_LABELS, List.of("graph")));
    c.add(new Case("bad-no-django-project", NO_PROJECT, List.of("graph")));
    c.add(new Case("bad-settings-unparsable", SETTINGS_BROKEN, List.of("graph")));
    c.add(new Case("bad-settings-computed", SETTINGS_COMPUTED, List.of("graph")));
    c.add(new Case("bad-migrations-is-a-file", MIGRATIONS_FILE, List.of("graph")));
    c.add(new Case("bad-code-that-would-run", WOULD_RUN, List.of("graph")));
    c.add(new Case("bad-huge-migration", HUGE, List.of("graph")));
    // References.
    c.add(new Case("bad-unknown-ref", CliCases.FORK, List.of("main", "nope")));
    c.add(new Case("bad-ref-with-escapes", CliCases.FORK, List.of("graph", "v1\u001b[2J\u001b]0;x\u0007")));
    c.add(new Case("bad-ref-looks-like-option", CliCases.FORK, List.of("graph", "--", "-x")));
    c.add(new Case("bad-ambiguous-ref", AMBIGUOUS, List.of("graph", "075e")));
    c.add(new Case("bad-detached-head", DETACHED, List.of("graph")));
    c.add(new Case("bad-detached-head-diff", DETACHED, List.of("HEAD", "main")));
    // Repositories.
    c.add(new Case("bad-empty-repository", EMPTY, List.of("graph")));
    c.add(new Case("bad-symlinked-migrations", SYMLINK, List.of("graph")));
    c.add(new Case("bad-submodule-migrations", SUBMODULE, List.of("graph")));
    c.add(new Case("bad-shallow-clone", SHALLOW, List.of("main", "origin/feature")));
    c.add(new Case("bad-partial-clone", PARTIAL, List.of("graph")));
    c.add(new Case("bad-corrupt-object", CORRUPT, List.of("graph")));
    return c;
  }

  private static final Map<String, Scenario> ONE = new HashMap<>();

  /** A one-app project whose second migration is {@code content}. */
  private static Case one(String name, String file, byte[] content) {
    Scenario s = new Scenario(name, dir -> {
      try (RepoBuilder r = RepoBuilder.init(dir)) {
        Django.project(r, List.of("blog"), "");
        r.file("blog/migrations/0001_initial.py", migration(""));
        r.bytes("blog/migrations/" + file, content);
        r.commit("add " + file);
      }
    });
    ONE.put(name, s);
    return new Case(name, s, List.of("graph"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s, java.nio.charset.Charset cs) {
    return s.getBytes(cs);
  }

  private static byte[] binary() {
    byte[] b = new byte[4096];
    long x = 88172645463325252L;
    for (int i = 0; i < b.length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[i] = (byte) x;
    }
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, b, 0, 8);
    return b;
  }

  private static Scenario scenario(String name, Consumer<RepoBuilder> build) {
    return new Scenario(name, dir -> {
      try (RepoBuilder r = RepoBuilder.init(dir)) {
        build.accept(r);
      }
    });
  }

  static final Scenario CYCLE = scenario("bad-cycle", r -> {
    Django.project(r, List.of("blog", "shop"), "");
    r.file("blog/migrations/0001_initial.py", migration("(\"shop\", \"0001_initial\")"));
    r.file("shop/migrations/0001_initial.py", migration("(\"blog\", \"0001_initial\")"));
    r.commit("cycle across apps");
  });

  static final Scenario DUPLICATE_LABELS = scenario("bad-duplicate-labels", r -> {
    Django.project(r, List.of("blog", "shop.blog"), "");
    r.file("shop/__init__.py", "");
    r.file("blog/migrations/0001_initial.py", migration(""));
    r.file("shop/blog/migrations/0001_initial.py", migration(""));
    r.commit("two apps labelled blog");
  });

  static final Scenario NO_PROJECT = scenario("bad-no-project", r -> {
    r.file("README.md", "# Not a Django project\n").file("src/main.py", "print('hello')\n");
    r.commit("no Django here");
  });

  static final Scenario SETTINGS_BROKEN = scenario("bad-settings-broken", r -> {
    Django.project(r, List.of("blog"), "");
    r.file("mysite/settings.py", "INSTALLED_APPS = [\n    \"blog\",\n");
    r.file("blog/migrations/0001_initial.py", migration(""));
    r.commit("settings do not parse");
  });

  static final Scenario SETTINGS_COMPUTED = scenario("bad-settings-computed", r -> {
    Django.project(r, List.of("blog"), "");
    r.file("mysite/settings.py", "import os\nINSTALLED_APPS = os.environ[\"APPS\"].split(\",\")\n");
    r.file("blog/migrations/0001_initial.py", migration(""));
    r.commit("settings need running code");
  });

  static final Scenario MIGRATIONS_FILE = scenario("bad-migrations-file", r -> {
    Django.project(r, List.of("blog"), "");
    r.delete("blog/migrations");
    r.file("blog/migrations", "not a directory\n");
    r.commit("migrations is a file");
  });

  /**
   * Files that would create a file, run a command and open a socket if Python imported them:
   * migdiff only parses them (GoldenCliTest checks that the marker files never appear).
   */
  static final Scenario WOULD_RUN = scenario("bad-would-run", r -> {
    String payload = "import os, socket, subprocess\n"
        + "open(\"/tmp/migdiff-pwned-open\", \"w\").write(\"x\")\n"
        + "os.system(\"touch /tmp/migdiff-pwned-system\")\n"
        + "subprocess.run([\"touch\", \"/tmp/migdiff-pwned-subprocess\"])\n"
        + "__import__(\"os\").system(\"touch /tmp/migdiff-pwned-import\")\n"
        + "exec(\"import os; os.system('touch /tmp/migdiff-pwned-exec')\")\n";
    Django.project(r, List.of("blog"), "");
    r.file("mysite/settings.py", payload + Django.settings(List.of("blog"), ""));
    r.file("blog/__init__.py", payload);
    r.file("blog/apps.py", payload);
    r.file("blog/migrations/__init__.py", payload);
    r.file("blog/migrations/0001_initial.py", payload + migration(""));
    r.file("manage.py", payload + Django.MANAGE_PY);
    r.commit("files that would run code when imported");
  });

  static final List<String> WOULD_RUN_MARKERS = List.of("/tmp/migdiff-pwned-open",
      "/tmp/migdiff-pwned-system", "/tmp/migdiff-pwned-subprocess", "/tmp/migdiff-pwned-import",
      "/tmp/migdiff-pwned-exec");

  /** A 50 MB migration (generated here, never committed): over the 8 MB parse limit. */
  static final Scenario HUGE = scenario("bad-huge", r -> {
    Django.project(r, List.of("blog"), "");
    r.file("blog/migrations/0001_initial.py", migration(""));
    StringBuilder b = new StringBuilder(52_000_000);
    b.append("from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        + "    dependencies = [(\"blog\", \"0001_initial\")]\n    operations = [\n");
    for (int i = 0; b.length() < 50_000_000; i++) {
        b.append("        migrations.AddField(model_name=\"post\", name=\"f").append(i)
            .append("\", field=models.CharField(max_length=100, default=\"\")),\n");
    }
    b.append("    ]\n");
    r.file("blog/migrations/0002_huge.py", b.toString());
    r.commit("a 50 MB migration");
  });

  /** Enough blobs that two share a 4-digit id prefix: "row 478" and "row 1473" both start 075e. */
  static final Scenario AMBIGUOUS = scenario("bad-ambiguous", r -> {
    Django.project(r, List.of("blog"), "");
    r.file("blog/migrations/0001_initial.py", migration(""));
    for (int i = 0; i < 1500; i++) {
      r.file("data/" + i + ".txt", "row " + i + "\n");
    }
    r.commit("many files");
  });

  static final Scenario DETACHED = scenario("bad-detached", r -> {
    Django.project(r, List.of("blog"), "");
    r.file("blog/migrations/0001_initial.py", migration(""));
    String first = r.commit("initial");
    r.file("blog/migrations/0002_main.py", migration("(\"blog\", \"0001_initial\")"));
    r.commit("main moves on");
    r.checkout(first);
    r.file("blog/migrations/0002_detached.py", migration("(\"blog\", \"0001_initial\")"));
    r.commit("a commit on a detached HEAD");
  });

  static final Scenario EMPTY = new Scenario("bad-empty", dir -> RepoBuilder.init(dir).close());

  static final Scenario SYMLINK = new Scenario("bad-symlink", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog", "shop"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.delete("shop/migrations");
      Files.createSymbolicLink(dir.resolve("shop/migrations"), Path.of("../blog/migrations"));
      r.file("blog/migrations/0002_link.py", migration("(\"blog\", \"0001_initial\")"));
      Files.createSymbolicLink(dir.resolve("blog/migrations/0003_linked.py"), Path.of("0002_link.py"));
      r.commit("shop/migrations is a symlink");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  });

  static final Scenario SUBMODULE = new Scenario("bad-submodule", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog", "shop"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.delete("shop/migrations");
      r.commit("shop has no migrations yet");
    }
    git(dir, "update-index", "--add", "--cacheinfo",
        "160000,1111111111111111111111111111111111111111,shop/migrations");
    git(dir, "commit", "-q", "-m", "shop/migrations is a submodule");
  });

  static final Scenario SHALLOW = new Scenario("bad-shallow", dir -> {
    Path src = dir.resolveSibling(dir.getFileName() + "-origin");
    try (RepoBuilder r = RepoBuilder.init(src)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0002_feature.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("feature");
      r.checkout("main");
      r.file("blog/migrations/0002_main.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("main");
    }
    git(dir.getParent(), "clone", "-q", "--depth", "1", "--no-single-branch",
        "file://" + src, dir.getFileName().toString());
  });

  static final Scenario PARTIAL = new Scenario("bad-partial", dir -> {
    Path src = dir.resolveSibling(dir.getFileName() + "-origin");
    try (RepoBuilder r = RepoBuilder.init(src)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.commit("initial");
    }
    git(src, "config", "uploadpack.allowFilter", "true");
    git(dir.getParent(), "clone", "-q", "--no-checkout", "--filter=blob:none",
        "file://" + src, dir.getFileName().toString());
  });

  static final Scenario CORRUPT = new Scenario("bad-corrupt", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog"), "");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0002_corrupt.py", migration("(\"blog\", \"0001_initial\")"));
      r.commit("initial");
    }
    String blob = git(dir, "rev-parse", "HEAD:blog/migrations/0002_corrupt.py").strip();
    Path file = dir.resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2));
    try {
      file.toFile().setWritable(true);
      Files.write(file, "this is not a zlib stream".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  });

  /** Runs the real git with a fixed identity and clock; returns its stdout. */
  static String git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("GIT_AUTHOR_NAME", "Ada Lovelace");
    env.put("GIT_AUTHOR_EMAIL", "ada@example.com");
    env.put("GIT_COMMITTER_NAME", "Ada Lovelace");
    env.put("GIT_COMMITTER_EMAIL", "ada@example.com");
    env.put("GIT_AUTHOR_DATE", "2023-11-20T00:00:00Z");
    env.put("GIT_COMMITTER_DATE", "2023-11-20T00:00:00Z");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", dir.toString());
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
