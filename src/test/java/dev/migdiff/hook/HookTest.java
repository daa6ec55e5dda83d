package dev.migdiff.hook;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-checkout hook with the real git binary: install, reinstall and uninstall in fresh
 * repositories, beside an existing hook, under core.hooksPath and from a linked worktree; then
 * real switches whose stderr is compared with {@code src/test/resources/golden-hook/}.
 */
class HookTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden-hook");
  static final boolean UPDATE = Boolean.getBoolean("migdiff.updateGoldens");

  @TempDir Path tmp;
  Path repo;
  Path migdiff;

  @BeforeEach
  void demo() throws Exception {
    repo = tmp.resolve("demo");
    exec(Path.of("."), "bash", "testrepos/demo.sh", repo.toString());
    migdiff = tmp.resolve("migdiff");
    Files.writeString(migdiff, "#!/bin/sh\nexec " + System.getProperty("java.home") + "/bin/java"
        + " -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
        + "' dev.migdiff.cli.Main \"$@\"\n");
    migdiff.toFile().setExecutable(true);
  }

  private static String exec(Path dir, String... cmd) throws Exception {
    return exec(dir, Map.of(), cmd);
  }

  /** Runs a command; returns its stderr (stdout is dropped, as a terminal user would see). */
  private static String exec(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null",
        "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com", "GIT_COMMITTER_NAME", "t",
        "GIT_COMMITTER_EMAIL", "t@example.com"));
    pb.environment().remove("MIGDIFF_HOOK");
    // A loaded CI machine must not turn a slow JVM start into a different golden output.
    pb.environment().put("MIGDIFF_HOOK_TIMEOUT", "120");
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + err);
    return err;
  }

  private int migdiff(Path dir, List<String> args, StringBuilder out) {
    List<String> all = new ArrayList<>(List.of("-C", dir.toString(), "hook"));
    all.addAll(args);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int code = Main.run(all.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(o, true, StandardCharsets.UTF_8));
    out.append(o.toString(StandardCharsets.UTF_8).replace(tmp.toString(), "<tmp>"));
    return code;
  }

  private String install(Path dir) {
    StringBuilder out = new StringBuilder();
    assertEquals(0, migdiff(dir, List.of("install", "--migdiff", migdiff.toString()), out), out.toString());
    return out.toString();
  }

  private void golden(String name, String command, String stderr) throws IOException {
    String actual = "$ " + command + "\n" + stderr.replace(tmp.toString(), "<tmp>");
    Path file = GOLDEN.resolve(name + ".txt");
    if (UPDATE) {
      Files.writeString(file, actual);
      return;
    }
    assertEquals(Files.readString(file), actual, "golden " + file);
  }

  private String git(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    return exec(repo, cmd.toArray(String[]::new));
  }

  @Test
  void freshRepositorySwitchesAndSilentCases() throws Exception {
    assertEquals("installed <tmp>/demo/.git/hooks/post-checkout\n", install(repo));
    Path hook = repo.resolve(".git/hooks/post-checkout");
    assertTrue(Files.isExecutable(hook));
    golden("switch-main-to-feature", "git switch feature-x", git("switch", "feature-x"));
    golden("switch-feature-to-main", "git switch main", git("switch", "main"));
    golden("file-checkout", "git checkout feature-x -- manage.py",
        git("checkout", "feature-x", "--", "manage.py"));
    git("checkout", "HEAD", "--", "manage.py");
    golden("same-commit", "git switch -c copy-of-main", git("switch", "-c", "copy-of-main"));
    Files.writeString(repo.resolve("README.md"), "docs only\n");
    git("add", "README.md");
    git("commit", "-q", "-m", "docs");
    golden("no-migration-change", "git switch main", git("switch", "main"));
    golden("turned-off", "MIGDIFF_HOOK=off git switch feature-x",
        exec(repo, Map.of("MIGDIFF_HOOK", "off"), "git", "switch", "feature-x"));
    git("switch", "-q", "feature-x");
    String rebase = git("rebase", "main");
    assertTrue(rebase.contains("Successfully rebased"), rebase);
    assertFalse(rebase.contains("migdiff"), "the hook spoke during a rebase: " + rebase);
  }

  /** With db.sqlite3 migrated by real Django, the hook tells only what is really applied. */
  @Test
  void withTheLocalDatabaseItReportsWhatIsReallyApplied() throws Exception {
    if (!dev.migdiff.testing.DjangoOracle.available()) {
      return;
    }
    install(repo);
    String python = dev.migdiff.testing.DjangoOracle.PYTHON;
    // main is migrated except its last blog migration: the switch leaves nothing behind.
    exec(repo, python, "manage.py", "migrate", "-v", "0", "blog", "0002_post_slug");
    exec(repo, python, "manage.py", "migrate", "-v", "0", "shop");
    golden("db-nothing-applied-left-behind", "git switch feature-x (database without "
        + "blog.0003_remove_post_slug)", git("switch", "feature-x"));
    git("switch", "-q", "main");
    exec(repo, python, "manage.py", "migrate", "-v", "0");
    golden("db-switch-main-to-feature", "git switch feature-x (database fully migrated at main)",
        git("switch", "feature-x"));
    // An unreadable database never blocks the switch: one line, then the plan without it.
    git("switch", "-q", "main");
    Files.writeString(repo.resolve("db.sqlite3"), "not a database\n");
    golden("db-unreadable", "git switch feature-x (db.sqlite3 is not a database)",
        git("switch", "feature-x"));
  }

  @Test
  void reinstallIsIdempotentAndUninstallRemovesOnlyItsBlock() throws Exception {
    Path hook = repo.resolve(".git/hooks/post-checkout");
    String existing = "#!/bin/sh\necho \"existing hook ran\" >&2\n";
    Files.writeString(hook, existing);
    install(repo);
    String once = Files.readString(hook);
    install(repo);
    assertEquals(once, Files.readString(hook));
    assertTrue(once.startsWith(existing));
    golden("existing-hook-kept", "git switch feature-x", git("switch", "feature-x"));
    StringBuilder out = new StringBuilder();
    migdiff(repo, List.of("status"), out);
    assertTrue(out.toString().startsWith("installed in <tmp>/demo/.git/hooks/post-checkout\nruns: '"));
    migdiff(repo, List.of("uninstall"), new StringBuilder());
    assertEquals(existing, Files.readString(hook));
    StringBuilder after = new StringBuilder();
    migdiff(repo, List.of("status"), after);
    assertEquals("not installed in <tmp>/demo/.git/hooks/post-checkout\n", after.toString());
  }

  @Test
  void hooksPathAndLinkedWorktree() throws Exception {
    git("config", "core.hooksPath", ".githooks");
    assertEquals("installed <tmp>/demo/.githooks/post-checkout\n", install(repo));
    git("config", "--unset", "core.hooksPath");
    git("worktree", "add", "-q", tmp.resolve("wt").toString(), "feature-x");
    assertEquals("installed <tmp>/demo/.git/hooks/post-checkout\n", install(tmp.resolve("wt")));
    golden("worktree-switch", "git switch main (in a linked worktree)",
        exec(tmp.resolve("wt"), "git", "switch", "--ignore-other-worktrees", "main"));
  }

  @Test
  void preCommitFrameworkRunsTheHookFromPreCommitHooksYaml() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/pre-commit")) && Boolean.getBoolean("migdiff.allowNoPreCommit")) {
      return;
    }
    assertTrue(Files.isExecutable(Path.of("/usr/bin/pre-commit")),
        "the real pre-commit is needed: apt-get install pre-commit");
    Path hooksRepo = tmp.resolve("hooks-repo");
    Files.createDirectories(hooksRepo);
    Files.copy(Path.of(".pre-commit-hooks.yaml"), hooksRepo.resolve(".pre-commit-hooks.yaml"));
    exec(hooksRepo, "git", "init", "-q", "-b", "main", ".");
    exec(hooksRepo, "git", "add", ".");
    exec(hooksRepo, "git", "commit", "-q", "-m", "hooks");
    String rev = new String(new ProcessBuilder("git", "-C", hooksRepo.toString(), "rev-parse", "HEAD")
        .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    Files.writeString(repo.resolve(".pre-commit-config.yaml"), "repos:\n  - repo: " + hooksRepo
        + "\n    rev: " + rev + "\n    hooks:\n      - id: migdiff-post-checkout-system\n");
    Path bin = tmp.resolve("bin");
    Files.createDirectories(bin);
    Files.copy(migdiff, bin.resolve("migdiff"));
    bin.resolve("migdiff").toFile().setExecutable(true);
    Map<String, String> env = Map.of("PRE_COMMIT_HOME", tmp.resolve("pre-commit-home").toString(),
        "PATH", bin + ":" + System.getenv("PATH"));
    exec(repo, env, "pre-commit", "install", "--hook-type", "post-checkout");
    String out = execBoth(repo, env, "git", "switch", "feature-x");
    assertTrue(out.contains("migdiff (migrations left applied by a branch switch)"), out);
    assertTrue(out.contains("your database may still have migrations of main that feature-x does not have"), out);
    assertTrue(out.contains("python manage.py migrate blog 0002_post_slug"), out);
    String fileCheckout = execBoth(repo, env, "git", "checkout", "main", "--", "manage.py");
    assertFalse(fileCheckout.contains("your database"), fileCheckout);
  }

  private static String execBoth(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(Map.of("GIT_CONFIG_NOSYSTEM", "1", "GIT_CONFIG_GLOBAL", "/dev/null",
        "MIGDIFF_HOOK_TIMEOUT", "120"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return out;
  }

  @Test
  void theTimeBoundHoldsAndStillExitsZero() throws Exception {
    // Enough migrations that reading them takes longer than the bound even in a warm JVM.
    git("switch", "-q", "-c", "big", "feature-x");
    for (int i = 0; i < 300; i++) {
      Files.writeString(repo.resolve(String.format("shop/migrations/%04d_bulk.py", 100 + i)),
          "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
              + "    dependencies = [(\"shop\", \"" + (i == 0 ? "0002_product_post"
                  : String.format("%04d_bulk", 99 + i)) + "\")]\n    operations = []\n");
    }
    git("add", "-A");
    git("commit", "-q", "-m", "bulk");
    git("switch", "-q", "main");
    StringBuilder out = new StringBuilder();
    String main = revParse("main");
    String feature = revParse("big");
    assertEquals(0, migdiff(repo, List.of("post-checkout", "--timeout", "0.001", main, feature, "1"), out));
    assertTrue(out.toString().startsWith("migdiff: gave up after 0.001 s; run 'migdiff "
        + main.substring(0, 12) + " " + feature.substring(0, 12) + "'"), out.toString());
  }

  private String revParse(String rev) throws Exception {
    Process p = new ProcessBuilder("git", "-C", repo.toString(), "rev-parse", rev).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  @Test
  void aHookInAnotherLanguageIsNotTouched() throws Exception {
    Path hook = repo.resolve(".git/hooks/post-checkout");
    Files.writeString(hook, "#!/usr/bin/env python3\nprint('hi')\n");
    StringBuilder out = new StringBuilder();
    assertEquals(2, migdiff(repo, List.of("install", "--migdiff", migdiff.toString()), out));
    assertTrue(out.toString().contains("is not a sh script"), out.toString());
    assertEquals("#!/usr/bin/env python3\nprint('hi')\n", Files.readString(hook));
  }

  @Test
  void postCheckoutNeverFailsAndNeverWrites() throws Exception {
    String before = git("status", "--porcelain");
    StringBuilder out = new StringBuilder();
    assertEquals(0, migdiff(repo, List.of("post-checkout", "deadbeef", "cafebabe", "1"), out));
    assertTrue(out.toString().startsWith("migdiff: hook skipped: unknown revision 'deadbeef'"), out.toString());
    assertEquals(before, git("status", "--porcelain"));
    assertFalse(Files.exists(repo.resolve(".git/hooks/post-checkout")));
  }
}
