package dev.migdiff.analysis;

import dev.migdiff.db.DatabaseException;
import dev.migdiff.db.DatabaseUrl;
import dev.migdiff.db.MigrationTable;
import dev.migdiff.django.DjangoProject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the local database the way a Django developer expects: {@code --database URL}, else
 * {@code DATABASE_URL} in the environment, else {@code DATABASE_URL} in a {@code .env} file next
 * to manage.py or at the top of the work tree, else Django's default {@code db.sqlite3} next to
 * manage.py when it exists.
 */
public final class Databases {
  private Databases() {}

  /** A database, and how it was found. */
  public record Choice(DatabaseUrl url, String source) {}

  /**
   * The source for a command: {@code option} is {@code --database} (null if not given),
   * {@code workTree} null for a bare repository.
   */
  public static AppliedSource source(String option, Map<String, String> env, Path workTree,
      Duration timeout) {
    return snapshot -> {
      Optional<Choice> c = locate(option, env, workTree, snapshot.project().projectRoot());
      if (c.isEmpty()) {
        return Optional.empty();
      }
      ZoneId zone = naiveZone(snapshot);
      DatabaseUrl url = c.get().url();
      String linkAs = null;
      if (url.engine() == DatabaseUrl.Engine.SQLITE && workTree != null) {
        Path manageDir = manageDir(workTree, snapshot.project().projectRoot());
        Path file = url.path().toAbsolutePath().normalize();
        if (file.startsWith(manageDir)) {
          linkAs = manageDir.relativize(file).toString();
        }
      }
      return Optional.of(new DatabaseState(url.toString(), c.get().source(),
          MigrationTable.read(url, timeout, zone), linkAs));
    };
  }

  /**
   * The database of revision {@code spelling}'s project (found next to its manage.py), without
   * reading it: for the commands that copy it ({@code migdiff snapshot}).
   */
  public static Optional<Choice> locate(dev.migdiff.git.GitRepository repo,
      MigdiffConfig overrides, String option, Map<String, String> env, String spelling)
      throws DatabaseException, dev.migdiff.git.GitException, ConfigException, IOException {
    String root = null;
    if (repo.hasCommits()) {
      root = new SnapshotLoader(repo, overrides).load(spelling).project().projectRoot();
    }
    return locate(option, env, repo.workTree(), root);
  }

  /** The database for a project whose manage.py is at {@code projectRoot} of {@code workTree}. */
  public static Optional<Choice> locate(String option, Map<String, String> env, Path workTree,
      String projectRoot) throws DatabaseException {
    Path manageDir = workTree == null ? Path.of("").toAbsolutePath()
        : manageDir(workTree, projectRoot);
    if (option != null) {
      return Optional.of(new Choice(DatabaseUrl.parse(option, manageDir), "--database"));
    }
    String fromEnv = env.get("DATABASE_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Choice(DatabaseUrl.parse(fromEnv.trim(), manageDir),
          "DATABASE_URL"));
    }
    if (workTree == null) {
      return Optional.empty();
    }
    for (Path dotenv : List.of(manageDir.resolve(".env"), workTree.resolve(".env"))) {
      Optional<String> url = dotenvUrl(dotenv);
      if (url.isPresent()) {
        return Optional.of(new Choice(DatabaseUrl.parse(url.get(), manageDir),
            "DATABASE_URL in " + workTree.relativize(dotenv)));
      }
    }
    Path sqlite = manageDir.resolve("db.sqlite3");
    if (Files.isRegularFile(sqlite)) {
      return Optional.of(new Choice(DatabaseUrl.sqlite(sqlite), "db.sqlite3 next to manage.py"));
    }
    return Optional.empty();
  }

  private static Path manageDir(Path workTree, String projectRoot) {
    Path w = workTree.toAbsolutePath().normalize();
    return projectRoot == null || projectRoot.isEmpty() ? w : w.resolve(projectRoot).normalize();
  }

  /** {@code DATABASE_URL=...} in a dotenv file (quotes and {@code export} allowed). */
  static Optional<String> dotenvUrl(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.startsWith("export ")) {
          l = l.substring(7).strip();
        }
        if (l.startsWith("DATABASE_URL")) {
          String rest = l.substring("DATABASE_URL".length()).strip();
          if (rest.startsWith("=")) {
            String v = rest.substring(1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"")
                || v.startsWith("'") && v.endsWith("'"))) {
              v = v.substring(1, v.length() - 1);
            }
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The zone of times stored without one: UTC when USE_TZ (Django's default since 5.0), else
   * TIME_ZONE (Django's default "America/Chicago").
   */
  static ZoneId naiveZone(Snapshot s) {
    DjangoProject.Clock clock = s.project().clock();
    boolean useTz = clock.useTz() != null ? clock.useTz()
        : s.config().django().djangoAtLeast(5, 0);
    if (useTz) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(clock.timeZone() != null ? clock.timeZone() : "America/Chicago");
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
