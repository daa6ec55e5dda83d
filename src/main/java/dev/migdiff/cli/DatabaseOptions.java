package dev.migdiff.cli;

import dev.migdiff.analysis.AppliedSource;
import dev.migdiff.analysis.Databases;
import dev.migdiff.git.GitRepository;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which database tells what is applied. */
final class DatabaseOptions {
  @Option(names = "--database", paramLabel = "URL",
      description = "Read django_migrations from this database, read-only: sqlite:///path or "
          + "postgres://user:password@host:port/name (default: $DATABASE_URL, else DATABASE_URL "
          + "in .env, else db.sqlite3 next to manage.py when it exists).")
  String url;

  @Option(names = "--no-database",
      description = "Use no database: assume everything at FROM is applied.")
  boolean none;

  AppliedSource source(GitRepository git, Map<String, String> env, Duration timeout) {
    if (none) {
      return AppliedSource.NONE;
    }
    return Databases.source(url, env, git.workTree(), timeout);
  }
}
