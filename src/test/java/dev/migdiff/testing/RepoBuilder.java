package dev.migdiff.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * Builds real on-disk Git repositories in tests with JGit, with a fixed identity and clock so
 * commit ids are the same on every run.
 */
public final class RepoBuilder implements AutoCloseable {
  private final Path dir;
  private final Git git;
  private long time = 1_700_000_000_000L;

  private RepoBuilder(Path dir, Git git) {
    this.dir = dir;
    this.git = git;
  }

  public static RepoBuilder init(Path dir) {
    try {
      Files.createDirectories(dir);
      Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
      return new RepoBuilder(dir, git);
    } catch (IOException | GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public RepoBuilder file(String path, String content) {
    return bytes(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public RepoBuilder bytes(String path, byte[] content) {
    try {
      Path p = dir.resolve(path);
      Files.createDirectories(p.getParent());
      Files.write(p, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RepoBuilder delete(String path) {
    try {
      Path p = dir.resolve(path);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
      } else {
        Files.deleteIfExists(p);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stages everything (additions and deletions) and commits with the next fixed timestamp. */
  public String commit(String message) {
    try {
      git.add().addFilepattern(".").call();
      git.add().addFilepattern(".").setUpdate(true).call();
      time += 3_600_000L;
      PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.com",
          new java.util.Date(time), TimeZone.getTimeZone("UTC"));
      return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false)
          .setAllowEmpty(true).call().getName();
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public RepoBuilder branch(String name) {
    try {
      git.checkout().setCreateBranch(true).setName(name).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public RepoBuilder checkout(String name) {
    try {
      git.checkout().setName(name).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public RepoBuilder tag(String name) {
    try {
      git.tag().setName(name).setAnnotated(false).call();
      return this;
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    git.close();
  }
}
