package dev.migdiff.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: the archive unpacked where no Java is installed, the wheel in a
 * fresh virtual environment, and the pre-commit hook that installs the wheel, each running the
 * demo repository and giving the same output as migdiff run in this JVM. The archive and the
 * wheel are built once ({@link ReleaseBuild}) and reused while their inputs do not change.
 */
class ReleaseTest {
  @TempDir static Path tmp;
  static ReleaseBuild.Built built;
  static Path demo;

  @BeforeAll
  static void build() throws Exception {
    built = ReleaseBuild.get();
    demo = tmp.resolve("demo");
    run(Path.of("."), Map.of(), "bash", "testrepos/demo.sh", demo.toString());
  }

  /**
   * Waits for the class-data sharing dumps that first runs started in the background (they write
   * under {@link #tmp}, which JUnit deletes next).
   */
  @AfterAll
  static void awaitBackgroundDumps() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline && ProcessHandle.allProcesses().anyMatch(p ->
        p.info().commandLine().filter(c -> c.contains("-Xshare:dump") && c.contains(tmp.toString()))
            .isPresent())) {
      Thread.sleep(200);
    }
  }

  /**
   * A PATH with every command of /usr/bin and /bin except the Java ones (those that resolve into
   * /usr/lib/jvm), no JAVA_HOME, and nothing else from this machine's environment.
   */
  private static Map<String, String> noJava() throws IOException {
    Path bin = tmp.resolve("nojava-bin");
    if (!Files.isDirectory(bin)) {
      Files.createDirectories(bin);
      for (String dir : List.of("/usr/bin", "/bin")) {
        try (Stream<Path> tools = Files.list(Path.of(dir))) {
          for (Path tool : tools.toList()) {
            Path link = bin.resolve(tool.getFileName().toString());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                && !tool.toRealPath().startsWith("/usr/lib/jvm")) {
              Files.createSymbolicLink(link, tool);
            }
          }
        } catch (IOException e) {
          // a dangling link in /usr/bin: not a command we need
        }
      }
    }
    return Map.of("PATH", bin.toString(), "HOME", tmp.toString(), "LANG", "C.UTF-8");
  }

  @Test
  void theArchiveRunsWhereNoJavaIsInstalled() throws Exception {
    Path dir = tmp.resolve("unpacked");
    Files.createDirectories(dir);
    run(dir, Map.of(), "tar", "-xzf", built.archive().toString());
    Path home = dir.resolve(built.archive().getFileName().toString().replace(".tar.gz", ""));
    Path migdiff = home.resolve("bin/migdiff");
    Map<String, String> env = noJava();
    Result which = run(dir, env, "sh", "-c", "command -v java || echo none");
    assertEquals("none\n", which.out(), "java must not be on this PATH");

    Result version = run(dir, env, migdiff.toString(), "--version");
    assertEquals(0, version.code(), version.err());
    assertTrue(version.out().startsWith("migdiff 0.1.0-SNAPSHOT\ncommit: "), version.out());
    assertTrue(version.out().contains(", bundled at " + home.resolve("lib/migdiff/runtime")),
        version.out());
    // The first run started dumping the class-data sharing archive of the JDK's and migdiff's
    // classes into the cache directory ($HOME/.cache/migdiff here), in the background; the runs
    // after it use it, with the same output.
    assertEquals(1, awaitCdsArchives(tmp.resolve(".cache/migdiff")));
    assertSameAsInProcess(migdiff, env, "-C", demo.toString(), "main", "feature-x");
    assertSameAsInProcess(migdiff, env, "-C", demo.toString(), "graph", "--format", "json");
    Map<String, String> noCds = new HashMap<>(env);
    noCds.put("MIGDIFF_CDS", "off");
    assertSameAsInProcess(migdiff, noCds, "-C", demo.toString(), "main", "feature-x");
    // The trimmed jar's SQLite driver (Linux x86_64 natives only) reads a local database.
    Path withDb = tmp.resolve("db-demo");
    run(Path.of("."), Map.of(), "bash", "testrepos/demo.sh", withDb.toString());
    run(withDb, Map.of(), "/usr/bin/python3", "-c", "import sqlite3\n"
        + "c = sqlite3.connect('db.sqlite3')\n"
        + "c.execute('CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT,"
        + " applied TEXT)')\n"
        + "c.execute(\"INSERT INTO django_migrations (app, name, applied)"
        + " VALUES ('blog', '0001_initial', '2024-01-01 00:00:00')\")\n"
        + "c.commit()\n");
    assertSameAsInProcess(migdiff, env, "-C", withDb.toString(), "status");
    Result typo = run(dir, env, migdiff.toString(), "-C", demo.toString(), "main", "featur-x");
    assertEquals(2, typo.code());
    assertEquals("migdiff: error: unknown revision 'featur-x'; did you mean 'feature-x'?\n"
        + "hint: 'git branch -a' and 'git tag' list what exists\n", typo.err());

    // The hook installed from the archive runs the archive's launcher on a real switch.
    Path repo = tmp.resolve("hook-demo");
    run(Path.of("."), Map.of(), "bash", "testrepos/demo.sh", repo.toString());
    Result install = run(repo, env, migdiff.toString(), "hook", "install");
    assertEquals(0, install.code(), install.err());
    assertTrue(Files.readString(repo.resolve(".git/hooks/post-checkout")).contains(migdiff.toString()));
    Result hook = run(repo, env, "git", "switch", "feature-x");
    assertTrue(hook.err().contains("python manage.py migrate blog 0002_post_slug"), hook.err());

    String man = Files.readString(home.resolve("share/man/man1/migdiff.1"));
    assertTrue(man.startsWith(".TH MIGDIFF 1 \"\" \"migdiff 0.1.0-SNAPSHOT\""), man);
    for (String section : List.of(".SS \"migdiff diff\"", ".SS \"migdiff hook install\"",
        ".SS \"migdiff doctor\"", "Exit codes:", ".SH SEE ALSO")) {
      assertTrue(man.contains(section), section);
    }
    assertFalse(man.contains("generate-man-page"), "hidden commands stay out of the manual");
    assertTrue(Files.readString(home.resolve("share/bash-completion/completions/migdiff"))
        .contains("complete -F _complete_migdiff"));
    long bytes = size(home);
    System.out.printf("release archive: %.1f MB unpacked, %.1f MB packed%n", bytes / 1e6,
        Files.size(built.archive()) / 1e6);
    // The goal: under 45 MB (docs/install.md, "Size and start-up").
    assertTrue(bytes < 45_000_000L, "unpacked size " + bytes);
  }

  /** The class-data sharing archives in {@code cache}, once there is one (or a minute passed). */
  private static long awaitCdsArchives(Path cache) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      long n;
      try (Stream<Path> cached = Files.list(cache)) {
        n = cached.filter(f -> f.getFileName().toString().matches("cds-\\d+-\\d+-\\d+\\.jsa"))
            .count();
      }
      if (n > 0 || System.nanoTime() > deadline) {
        return n;
      }
      Thread.sleep(200);
    }
  }

  @Test
  void theWheelInstallsIntoAFreshVirtualEnvironmentAndUninstallsCleanly() throws Exception {
    Path venv = tmp.resolve("venv");
    Map<String, String> offline = Map.of("PIP_NO_INDEX", "1", "PIP_DISABLE_PIP_VERSION_CHECK", "1");
    run(tmp, Map.of(), "/usr/bin/python3", "-m", "venv", venv.toString());
    Result install = run(tmp, offline, venv.resolve("bin/pip").toString(), "install", "-q",
        built.wheel().toString());
    assertEquals(0, install.code(), install.err());
    Path migdiff = venv.resolve("bin/migdiff");
    assertTrue(Files.readString(migdiff).startsWith("#!/bin/sh\n"), "the launcher, not a Python shim");
    Result version = run(tmp, noJava(), migdiff.toString(), "--version");
    assertTrue(version.out().contains("bundled at " + venv.resolve("lib/migdiff/runtime")),
        version.out());
    assertSameAsInProcess(migdiff, noJava(), "-C", demo.toString(), "main", "feature-x");
    assertTrue(Files.isRegularFile(venv.resolve("share/man/man1/migdiff.1")));

    Result uninstall = run(tmp, offline, venv.resolve("bin/pip").toString(), "uninstall", "-y",
        "migdiff");
    assertEquals(0, uninstall.code(), uninstall.err());
    assertFalse(Files.exists(migdiff));
    assertFalse(Files.exists(venv.resolve("lib/migdiff")), "the runtime is removed with the wheel");
  }

  @Test
  void preCommitInstallsTheWheelForTheHookOfPreCommitHooksYaml() throws Exception {
    // The hook repository as pre-commit clones it: the files 'pip install .' needs.
    Path hooks = tmp.resolve("hooks-repo");
    for (String f : List.of(".pre-commit-hooks.yaml", "pyproject.toml", "pom.xml",
        "scripts/python/migdiff_wheel.py", "scripts/python/migdiff_pre_commit_backend.py")) {
      Files.createDirectories(hooks.resolve(f).getParent());
      Files.copy(Path.of(f), hooks.resolve(f));
    }
    run(hooks, Map.of(), "git", "init", "-q", "-b", "main", ".");
    run(hooks, Map.of(), "git", "add", ".");
    run(hooks, Map.of(), "git", "commit", "-q", "-m", "hooks");
    String rev = run(hooks, Map.of(), "git", "rev-parse", "HEAD").out().strip();
    Path repo = tmp.resolve("pre-commit-demo");
    run(Path.of("."), Map.of(), "bash", "testrepos/demo.sh", repo.toString());
    // The three lines a user adds.
    Files.writeString(repo.resolve(".pre-commit-config.yaml"), "repos:\n  - repo: " + hooks
        + "\n    rev: " + rev + "\n    hooks: [{id: migdiff-post-checkout}]\n");
    // The wheel comes from the dist folder instead of PyPI; no migdiff, no Java on PATH.
    Map<String, String> env = new HashMap<>(noJava());
    env.putAll(Map.of("PRE_COMMIT_HOME", tmp.resolve("pre-commit-home").toString(),
        "PIP_NO_INDEX", "1", "PIP_FIND_LINKS", built.wheel().getParent().toString()));
    Result install = run(repo, env, "pre-commit", "install", "--hook-type", "post-checkout");
    assertEquals(0, install.code(), install.err() + install.out());
    Result sw = run(repo, env, "git", "switch", "feature-x");
    String all = sw.out() + sw.err();
    assertTrue(all.contains("migdiff (migrations left applied by a branch switch)"), all);
    assertTrue(all.contains("python manage.py migrate blog 0002_post_slug"), all);
  }

  private static void assertSameAsInProcess(Path migdiff, Map<String, String> env, String... args)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    List<String> cmd = new ArrayList<>(List.of(migdiff.toString()));
    cmd.addAll(List.of(args));
    Result r = run(tmp, env, cmd.toArray(String[]::new));
    assertEquals(code, r.code(), r.err());
    assertEquals(out.toString(StandardCharsets.UTF_8), r.out());
    assertEquals(err.toString(StandardCharsets.UTF_8), r.err());
  }

  record Result(int code, String out, String err) {}

  /** Runs a command with exactly {@code env} (plus git's fixed identity) as its environment. */
  static Result run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> e = new HashMap<>(env.containsKey("PATH") ? Map.of() : System.getenv());
    e.remove("JAVA_HOME");
    e.remove("MIGDIFF_HOOK");
    e.putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null",
        "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com", "GIT_COMMITTER_NAME", "t",
        "GIT_COMMITTER_EMAIL", "t@example.com", "MIGDIFF_HOOK_TIMEOUT", "120"));
    e.putAll(env);
    pb.environment().clear();
    pb.environment().putAll(e);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(600, TimeUnit.SECONDS), String.join(" ", cmd));
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
