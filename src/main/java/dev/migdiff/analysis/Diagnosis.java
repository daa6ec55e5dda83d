package dev.migdiff.analysis;

import dev.migdiff.db.DatabaseException;
import dev.migdiff.django.App;
import dev.migdiff.django.SourceTree;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.git.Revision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What migdiff would use here, and where each choice came from: the repository, the Django
 * project at HEAD (manage.py, settings module, Django version), the database and the cache.
 * The first thing to paste into a bug report. Reads only: it connects to no database and runs
 * nothing.
 *
 * @param facts name and value pairs, in the order they are shown
 */
public record Diagnosis(List<Map.Entry<String, String>> facts) {

  /** The facts for the repository {@code git}, with the command line's settings. */
  public static Diagnosis of(GitRepository git, MigdiffConfig overrides, String databaseOption,
      Map<String, String> env, String cache) {
    List<Map.Entry<String, String>> f = new ArrayList<>();
    Path workTree = git.workTree();
    f.add(Map.entry("repository", workTree != null ? workTree.toString()
        : git.gitDirectory() + " (bare)"));
    if (!git.hasCommits()) {
      f.add(Map.entry("HEAD", "no commits yet"));
      f.add(Map.entry("cache", cache));
      return new Diagnosis(List.copyOf(f));
    }
    String projectRoot = null;
    try {
      Revision head = git.resolve("HEAD");
      f.add(Map.entry("HEAD", git.describe(head.commit()) + " " + head.commit().substring(0, 12)
          + (git.isShallow() ? " (shallow clone)" : "")
          + (git.operationInProgress() != null ? " (" + git.operationInProgress() + " in progress)"
              : "")));
      SnapshotLoader loader = new SnapshotLoader(git, overrides);
      SourceTree tree = loader.tree(head);
      MigdiffConfig pyproject = pyproject(tree);
      Snapshot s = loader.load(head, tree);
      projectRoot = s.project().projectRoot();
      f.add(Map.entry("manage.py", projectRoot == null ? "not found (apps found by their migrations)"
          : (projectRoot.isEmpty() ? "" : projectRoot + "/") + "manage.py"
              + (overrides.projectRoot() != null ? " (--project-root)"
                  : pyproject.projectRoot() != null ? " ([tool.migdiff] in pyproject.toml)" : "")));
      f.add(Map.entry("settings", settings(s, overrides, pyproject)));
      f.add(Map.entry("Django rules", djangoVersion(tree, projectRoot, overrides, pyproject)));
      f.add(Map.entry("apps", apps(s)));
    } catch (GitException | ConfigException | IOException | RuntimeException e) {
      f.add(Map.entry("project", "error: " + e.getMessage()));
    }
    f.add(Map.entry("database", database(databaseOption, env, workTree, projectRoot)));
    f.add(Map.entry("cache", cache));
    return new Diagnosis(List.copyOf(f));
  }

  private static String settings(Snapshot s, MigdiffConfig overrides, MigdiffConfig pyproject) {
    String module = s.project().settingsModule();
    String source = overrides.settingsModule() != null ? " (--settings)"
        : pyproject.settingsModule() != null ? " ([tool.migdiff] in pyproject.toml)"
        : " (DJANGO_SETTINGS_MODULE in manage.py)";
    String unknown = "INSTALLED_APPS unknown: every app with migrations counts";
    if (module == null) {
      String asked = overrides.settingsModule() != null ? overrides.settingsModule()
          : pyproject.settingsModule();
      return asked != null ? asked + source + ", not found at HEAD (" + unknown + ")"
          : "not found (" + unknown + ")";
    }
    return module + source;
  }

  private static String djangoVersion(SourceTree tree, String projectRoot, MigdiffConfig overrides,
      MigdiffConfig pyproject) throws IOException {
    if (overrides.djangoVersion() != null) {
      return overrides.djangoVersion() + " (--django-version)";
    }
    if (pyproject.djangoVersion() != null) {
      return pyproject.djangoVersion() + " ([tool.migdiff] in pyproject.toml)";
    }
    Optional<DjangoVersionDetector.Found> found = DjangoVersionDetector.detectWhere(tree,
        projectRoot);
    return found.map(v -> v.version() + " (from " + v.path() + ")")
        .orElse("the newest (no Django version pinned in lock or requirements files)");
  }

  private static String apps(Snapshot s) {
    int migrated = 0;
    int migrations = s.project().migrations().size();
    for (App app : s.project().apps()) {
      if (app.state() == App.State.MIGRATED) {
        migrated++;
      }
    }
    int findings = s.problems().size();
    return migrated + " with migrations, " + migrations + " migrations, " + findings
        + (findings == 1 ? " finding" : " findings");
  }

  private static String database(String option, Map<String, String> env, Path workTree,
      String projectRoot) {
    try {
      return Databases.locate(option, env, workTree, projectRoot)
          .map(c -> c.url() + " (" + c.source() + "; not connected)")
          .orElse("none found (no --database, no DATABASE_URL, no .env, no db.sqlite3 next to "
              + "manage.py)");
    } catch (DatabaseException e) {
      return "error: " + e.getMessage();
    }
  }

  private static MigdiffConfig pyproject(SourceTree tree) throws IOException, ConfigException {
    Optional<SourceTree.Entry> e = tree.entry("pyproject.toml");
    if (e.isEmpty() || e.get().kind() != SourceTree.Kind.FILE) {
      return MigdiffConfig.EMPTY;
    }
    return PyprojectConfig.parse(new String(tree.read(e.get()), StandardCharsets.UTF_8),
        "pyproject.toml");
  }
}
