package dev.migdiff.hook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;

/**
 * Installs, removes and inspects migdiff's block in the post-checkout hook: in
 * {@code core.hooksPath} when set (relative to the work tree, as git resolves it), else in the
 * common git directory's {@code hooks/}, so linked worktrees share it. Other content of the hook
 * is kept; only the marked block is written or removed.
 */
public final class HookInstaller {
  /** What {@code status} reports. */
  public record Status(Path hook, boolean installed, String command) {}

  private final Repository repo;

  public HookInstaller(Repository repo) {
    this.repo = repo;
  }

  /** The post-checkout hook file git runs for this repository. */
  public Path hookFile() {
    String hooksPath = repo.getConfig().getString("core", null, "hooksPath");
    Path dir;
    if (hooksPath != null && !hooksPath.isBlank()) {
      Path p = Path.of(hooksPath.startsWith("~/")
          ? System.getProperty("user.home") + hooksPath.substring(1) : hooksPath);
      dir = p.isAbsolute() ? p
          : (repo.isBare() ? repo.getDirectory().toPath() : repo.getWorkTree().toPath()).resolve(p);
    } else {
      dir = repo.getCommonDirectory().toPath().resolve("hooks");
    }
    return dir.resolve("post-checkout").normalize();
  }

  /** Writes (or rewrites in place) the block; returns the hook file. */
  public Path install(String migdiff) throws IOException, HookException {
    return install(migdiff, java.util.List.of());
  }

  /** Installs the block with options for {@code migdiff hook post-checkout}. */
  public Path install(String migdiff, java.util.List<String> options)
      throws IOException, HookException {
    Path hook = hookFile();
    String block = HookScript.block(migdiff, options);
    String text = Files.exists(hook) ? Files.readString(hook, StandardCharsets.UTF_8) : "";
    String updated;
    int begin = text.indexOf(HookScript.BEGIN);
    int end = text.indexOf(HookScript.END);
    if (begin >= 0 && end > begin) {
      updated = text.substring(0, begin) + block
          + text.substring(Math.min(text.length(), end + HookScript.END.length() + 1));
    } else if (text.isBlank()) {
      updated = "#!/bin/sh\n" + block;
    } else {
      String first = text.lines().findFirst().orElse("");
      if (first.startsWith("#!") && !first.matches("#!\\s*(/usr)?/bin/(env\\s+)?(ba|da|z|k)?sh\\b.*")) {
        throw new HookException(hook + " is not a sh script (" + first + ")",
            "call migdiff from it yourself: migdiff hook post-checkout \"$1\" \"$2\" \"$3\"");
      }
      updated = text + (text.endsWith("\n") ? "" : "\n") + "\n" + block;
    }
    Files.createDirectories(hook.getParent());
    Files.writeString(hook, updated, StandardCharsets.UTF_8);
    makeExecutable(hook);
    return hook;
  }

  /** Removes the block (and the file, when nothing but a shebang is left); true if removed. */
  public boolean uninstall() throws IOException {
    Path hook = hookFile();
    if (!Files.exists(hook)) {
      return false;
    }
    String text = Files.readString(hook, StandardCharsets.UTF_8);
    int begin = text.indexOf(HookScript.BEGIN);
    int end = text.indexOf(HookScript.END);
    if (begin < 0 || end < begin) {
      return false;
    }
    String before = text.substring(0, begin);
    if (before.endsWith("\n\n")) {
      before = before.substring(0, before.length() - 1);
    }
    String rest = before + text.substring(Math.min(text.length(), end + HookScript.END.length() + 1));
    if (rest.strip().isEmpty() || rest.strip().matches("#![^\n]*")) {
      Files.delete(hook);
    } else {
      Files.writeString(hook, rest, StandardCharsets.UTF_8);
    }
    return true;
  }

  public Status status() throws IOException {
    Path hook = hookFile();
    if (!Files.exists(hook)) {
      return new Status(hook, false, null);
    }
    String text = Files.readString(hook, StandardCharsets.UTF_8);
    int begin = text.indexOf(HookScript.BEGIN);
    if (begin < 0) {
      return new Status(hook, false, null);
    }
    String command = text.substring(begin).lines()
        .filter(l -> l.contains(" hook post-checkout ")).findFirst().map(String::strip)
        .orElse(null);
    return new Status(hook, true, command);
  }

  private static void makeExecutable(Path hook) throws IOException {
    try {
      Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(hook));
      perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
      Files.setPosixFilePermissions(hook, perms);
    } catch (UnsupportedOperationException e) {
      hook.toFile().setExecutable(true);
    }
  }
}
