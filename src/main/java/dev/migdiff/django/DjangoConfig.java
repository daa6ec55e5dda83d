package dev.migdiff.django;

import java.util.Map;

/**
 * What the user tells migdiff about the project where static reading cannot know it: each field
 * null (or empty) means "find out from the repository".
 *
 * @param projectRoot the directory holding manage.py, relative to the repository root
 * @param settingsModule the dotted settings module, e.g. {@code mysite.settings}
 * @param labels app module (dotted) to app label overrides
 * @param migrationModules app label to migrations module; a null value means unmigrated
 * @param authUserModel the {@code AUTH_USER_MODEL} value, e.g. {@code accounts.User}
 * @param djangoVersion the Django version whose rules apply, e.g. {@code 5.2}
 * @param sourceRoots directories (relative to the repository root) that are on {@code sys.path}
 *     besides the project root, as an installed package puts them there (e.g. {@code src});
 *     null when unknown
 * @param environment the environment variables set when the settings module is read (as
 *     {@code os.environ.get} sees them); every other variable is unset
 */
public record DjangoConfig(String projectRoot, String settingsModule, Map<String, String> labels,
    Map<String, String> migrationModules, String authUserModel, String djangoVersion,
    java.util.List<String> sourceRoots, Map<String, String> environment) {

  public static final DjangoConfig DEFAULT = new DjangoConfig(null, null, Map.of(), Map.of(),
      null, null);

  /**
   * The project root as a path inside the tree: {@code "."}, {@code "./backend/"} and
   * {@code "backend//"}, as people write them in pyproject.toml or on the command line, are
   * {@code ""} and {@code "backend"} (a root of "." made every module of the project unfindable).
   */
  public DjangoConfig {
    projectRoot = treePath(projectRoot);
    environment = environment == null ? Map.of() : environment;
  }

  /** A configuration that sets no environment variable. */
  public DjangoConfig(String projectRoot, String settingsModule, Map<String, String> labels,
      Map<String, String> migrationModules, String authUserModel, String djangoVersion,
      java.util.List<String> sourceRoots) {
    this(projectRoot, settingsModule, labels, migrationModules, authUserModel, djangoVersion,
        sourceRoots, Map.of());
  }

  static String treePath(String dir) {
    if (dir == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (String part : dir.replace('\\', '/').split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        out.append(out.length() == 0 ? "" : "/").append(part);
      }
    }
    return out.toString();
  }

  /** A configuration without source roots beside the project root. */
  public DjangoConfig(String projectRoot, String settingsModule, Map<String, String> labels,
      Map<String, String> migrationModules, String authUserModel, String djangoVersion) {
    this(projectRoot, settingsModule, labels, migrationModules, authUserModel, djangoVersion,
        null);
  }

  /** The source roots, empty when none are known. */
  public java.util.List<String> roots() {
    return sourceRoots == null ? java.util.List.of() : sourceRoots;
  }

  /** Whether the configured (or default, latest) Django version is at least major.minor. */
  public boolean djangoAtLeast(int major, int minor) {
    if (djangoVersion == null) {
      return true;
    }
    String[] parts = djangoVersion.split("\\.");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma != major ? ma > major : mi >= minor;
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
