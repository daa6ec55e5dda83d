package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.migdiff.report.Terminal;
import dev.migdiff.testing.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile repository cannot make migdiff do: run its code, write anywhere, or put control
 * characters and escape sequences on the terminal. (Markdown for the bot, the bot's token and
 * database passwords are covered with those features.)
 */
class SecurityTest {
  @TempDir Path tmp;

  /** Runs the real CLI; returns exit code, stdout and stderr. */
  private static List<String> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return List.of(String.valueOf(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void filesThatWouldRunCodeWhenImportedAreOnlyParsed() throws IOException {
    Path repo = tmp.resolve("would-run");
    BadInputCases.WOULD_RUN.build().accept(repo);
    for (String marker : BadInputCases.WOULD_RUN_MARKERS) {
      Files.deleteIfExists(Path.of(marker));
    }
    String r = repo.toString();
    for (String[] args : List.of(new String[] {"-C", r, "graph"},
        new String[] {"-C", r, "graph", "--format", "json"},
        new String[] {"-C", r, "graph", "--format", "dot"},
        new String[] {"-C", r, "graph", "--format", "mermaid"},
        new String[] {"-C", r, "HEAD", "HEAD"},
        new String[] {"-C", r, "diff", "--format", "json", "HEAD", "HEAD"})) {
      assertEquals("0", run(args).get(0), String.join(" ", args));
    }
    for (String marker : BadInputCases.WOULD_RUN_MARKERS) {
      assertFalse(Files.exists(Path.of(marker)), marker + " was created: repository code ran");
    }
  }

  /**
   * The static half of the argument: no main class can start a process, evaluate a script or
   * load classes, and only the hook installer, the sweep's --details file, the cache (a store
   * outside the repository, docs/cache.md) and the snapshot store write files. The snapshot
   * package writes only through {@code SnapshotStore} (inside {@code .git/migdiff/snapshots/}),
   * and starts a process only for the pg_dump/pg_restore fallback ({@code PostgresDump}). The
   * hook's resident process (docs/daemon.md) writes its lock file and mailbox in the cache's
   * version directory ({@code DaemonServer}, which starts {@code mkfifo} for the mailbox's FIFO);
   * its clients leave requests in that mailbox and take the answers ({@code DaemonClient});
   * {@code Resident} starts it, and {@code DaemonMain} registers a shutdown hook that removes
   * its mailbox.
   */
  @Test
  void noMainCodeStartsProcessesOrWritesFilesOutsideTheHookInstaller() throws IOException {
    // The cache writes its entries (a temporary file, then a rename), its running size, and
    // deletes what its size bound, a corrupt entry or 'migdiff cache clear' removes: only under
    // its own directory (cache/CacheLocation.java), never in the repository (cli/RunCache.java).
    Map<String, Set<String>> allowed = Map.ofEntries(
        Map.entry("Files.write", Set.of("hook/HookInstaller.java", "cache/ObjectStore.java")),
        // The bot appends its comment to $GITHUB_STEP_SUMMARY, the file GitHub Actions names.
        Map.entry("Files.writeString", Set.of("hook/HookInstaller.java",
            "cli/CommentCommand.java", "cache/Pruning.java")),
        Map.entry("Files.delete", Set.of("hook/HookInstaller.java")),
        Map.entry("Files.deleteIfExists", Set.of("cache/ObjectStore.java", "cache/Pruning.java",
            "snapshot/SnapshotStore.java", "daemon/DaemonServer.java")),
        Map.entry("Files.createDirectories", Set.of("hook/HookInstaller.java",
            "cache/ObjectStore.java", "snapshot/SnapshotStore.java", "daemon/DaemonServer.java")),
        Map.entry("Files.move", Set.of("cache/ObjectStore.java", "cache/Pruning.java",
            "snapshot/SnapshotStore.java", "daemon/DaemonServer.java")),
        Map.entry("Files.createTempDirectory", Set.of("daemon/DaemonServer.java")),
        Map.entry("Files.setPosixFilePermissions", Set.of("hook/HookInstaller.java",
            "daemon/DaemonServer.java")),
        Map.entry("Runtime.getRuntime", Set.of("cli/DaemonMain.java")),
        Map.entry("Files.setLastModifiedTime", Set.of("cache/ObjectStore.java")),
        Map.entry("Files.newOutputStream", Set.of("cli/SweepCommand.java")),
        Map.entry("FileChannel.open", Set.of("snapshot/SnapshotStore.java",
            "daemon/DaemonServer.java")),
        Map.entry("ProcessBuilder", Set.of("snapshot/PostgresDump.java", "cli/Resident.java",
            "daemon/DaemonServer.java")),
        Map.entry("FileOutputStream", Set.of("daemon/DaemonServer.java",
            "daemon/DaemonClient.java")),
        Map.entry("RandomAccessFile", Set.of("daemon/DaemonServer.java",
            "daemon/DaemonClient.java")),
        Map.entry("Files.createFile", Set.of("daemon/DaemonServer.java")),
        Map.entry(".delete()", Set.of("daemon/DaemonServer.java", "daemon/DaemonClient.java")),
        Map.entry(".renameTo(", Set.of("daemon/DaemonServer.java", "daemon/DaemonClient.java")),
        Map.entry(".createNewFile(", Set.of("daemon/DaemonClient.java")));
    List<String> forbidden = List.of("ProcessBuilder", "Runtime.getRuntime", "javax.script",
        "ClassLoader", "defineClass", "FileOutputStream", "FileWriter", "RandomAccessFile",
        "Files.write", "Files.writeString", "Files.delete", "Files.deleteIfExists",
        "Files.createDirectories", "Files.newOutputStream", "Files.move", "Files.copy",
        "Files.createFile", "Files.setLastModifiedTime", "FileChannel.open",
        "Files.createTempDirectory", "Files.setPosixFilePermissions", ".delete()", ".renameTo(",
        ".createNewFile(");
    List<String> found = new ArrayList<>();
    Path root = Path.of("src/main/java/dev/migdiff");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String rel = root.relativize(f).toString();
        String text = Files.readString(f);
        for (String word : forbidden) {
          if (text.contains(word + (word.startsWith("Files.") ? "(" : ""))
              && !allowed.getOrDefault(word, Set.of()).contains(rel)) {
            found.add(rel + ": " + word);
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }

  @Test
  void readingCommandsChangeNothingInTheRepository() throws Exception {
    Path repo = tmp.resolve("fork");
    CliCases.FORK.build().accept(repo);
    Map<String, String> before = snapshot(repo);
    String r = repo.toString();
    run("-C", r, "graph");
    run("-C", r, "graph", "--format", "json", "v1");
    run("-C", r, "v1", "main");
    run("-C", r, "hook", "status");
    assertEquals(before, snapshot(repo));
  }

  @Test
  void hookInstallWritesOnlyTheHookFile() throws Exception {
    Path repo = tmp.resolve("hooked");
    CliCases.FORK.build().accept(repo);
    Map<String, String> before = snapshot(repo);
    List<String> result = run("-C", repo.toString(), "hook", "install", "--migdiff", "/opt/migdiff");
    assertEquals("0", result.get(0), result.toString());
    Map<String, String> after = snapshot(repo);
    Map<String, String> changed = new TreeMap<>();
    after.forEach((path, hash) -> {
      if (!hash.equals(before.get(path))) {
        changed.put(path, hash);
      }
    });
    before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(p -> changed.put(p, "deleted"));
    assertEquals(Set.of(".git/hooks/post-checkout"), changed.keySet());
  }

  @Test
  void hostileNamesAreEscapedInJsonAndMadeVisibleInTextDotAndMermaid() {
    Path repo = tmp.resolve("hostile");
    CliCases.all().stream().filter(c -> c.name().equals("bad-hostile-names")).findFirst()
        .orElseThrow().scenario().build().accept(repo);
    String r = repo.toString();
    String name = "0002_\u001b[31mred\u0007";
    List<String> json = run("-C", r, "graph", "--format", "json");
    assertTrue(json.get(1).chars().noneMatch(ch -> ch < 0x20 && ch != '\n'), "raw control character");
    Map<String, Object> doc = Json.object(json.get(1));
    @SuppressWarnings("unchecked")
    Map<String, Object> app = (Map<String, Object>) ((List<Object>) doc.get("apps")).get(0);
    assertEquals(List.of(name), app.get("leaves"), "JSON keeps the full name");
    for (String[] args : List.of(new String[] {"-C", r, "graph"}, new String[] {"-C", r, "HEAD", "HEAD"},
        new String[] {"-C", r, "graph", "--format", "dot"},
        new String[] {"-C", r, "graph", "--format", "mermaid"},
        new String[] {"-C", r, "graph", "--color", "always"},
        new String[] {"-C", r, "graph", "v1\u001b[2J\u202e"})) {
      for (String stream : run(args).subList(1, 3)) {
        String plain = stream.replaceAll("\u001b\\[[0-9;]*m", "");  // migdiff's own colours
        assertTrue(plain.codePoints().allMatch(cp -> cp == '\n' || cp >= 0x20 && cp != 0x7f
            && Character.getType(cp) != Character.FORMAT), "unsafe character in: " + stream);
      }
    }
  }

  @Test
  void terminalSafeMakesEveryControlAndFormatCharacterVisible() {
    assertEquals("a\\x1b[31mb\\x07\\x9b\\u202ec\\u2066\\u200b\\u2028", Terminal.safe(
        "a\u001b[31mb\u0007\u009b\u202ec\u2066\u200b\u2028"));
    assertEquals("caf\u00e9 \u65e5\u672c \ud83d\ude00", Terminal.safe("caf\u00e9 \u65e5\u672c \ud83d\ude00"));
    assertEquals("\\ud800x", Terminal.safe("\ud800x"));
  }

  /** Every file under {@code dir} (the .git directory included) and a hash of its content. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))));
      }
    }
    return out;
  }
}
