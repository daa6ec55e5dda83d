package dev.migdiff.cli;

import dev.migdiff.analysis.ConfigException;
import dev.migdiff.analysis.MigdiffConfig;
import dev.migdiff.analysis.PyprojectConfig;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the repository is and what to assume about the Django project in it. */
final class RepoOptions {
  @Option(names = "-C", paramLabel = "DIR", description = "Run as if started in DIR.")
  Path directory;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Read [tool.migdiff] from this pyproject.toml instead of the revision's.")
  Path config;

  @Option(names = "--settings", paramLabel = "MODULE",
      description = "The Django settings module (default: from manage.py).")
  String settings;

  @Option(names = "--project-root", paramLabel = "DIR",
      description = "The directory of manage.py in the repository (default: found).")
  String projectRoot;

  @Option(names = "--auth-user-model", paramLabel = "APP.MODEL",
      description = "AUTH_USER_MODEL, for swappable dependencies (default: from settings, else auth.User).")
  String authUserModel;

  @Option(names = "--django-version", paramLabel = "X.Y",
      description = "Django version whose rules apply (default: from lock/requirements files, else latest).")
  String djangoVersion;

  @Option(names = "--manage", paramLabel = "COMMAND",
      description = "How you run manage.py (default: 'python manage.py').")
  String manage;

  @Option(names = "--label", paramLabel = "MODULE=LABEL",
      description = "Override an app's label.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(names = "--migration-module", paramLabel = "LABEL=MODULE",
      description = "Override MIGRATION_MODULES for an app ('none' for unmigrated).")
  Map<String, String> migrationModules = new LinkedHashMap<>();

  @Option(names = "--env", paramLabel = "NAME=VALUE",
      description = "Read the settings with this environment variable set (default: all unset).")
  Map<String, String> environment = new LinkedHashMap<>();

  @Option(names = "--no-cache",
      description = "Neither read nor write the cache of parsed migrations (also MIGDIFF_CACHE=off).")
  boolean noCache;

  /** The cache of this run (see docs/cache.md); close it when done. */
  RunCache cache(java.util.Map<String, String> env, GitRepository git,
      java.io.PrintWriter err) {
    return RunCache.open(noCache, env, git, err);
  }

  /** Opens the repository at -C (given after the subcommand, else before it, else "."). */
  GitRepository open(MigdiffCommand parent) throws GitException {
    Path dir = directory != null ? directory
        : parent != null && parent.directory != null ? parent.directory : Path.of(".");
    return GitRepository.discover(dir);
  }

  /** Command-line settings layered over --config (when given). */
  MigdiffConfig overrides() throws ConfigException {
    Map<String, String> modules = new LinkedHashMap<>();
    migrationModules.forEach((k, v) -> modules.put(k, v.equalsIgnoreCase("none") ? null : v));
    MigdiffConfig cli = new MigdiffConfig(projectRoot, settings, labels, modules, authUserModel,
        djangoVersion, manage, null, environment);
    if (config == null) {
      return cli;
    }
    try {
      return cli.over(PyprojectConfig.parse(Files.readString(config, StandardCharsets.UTF_8),
          config.toString()));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file '" + config + "': "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
  }
}
