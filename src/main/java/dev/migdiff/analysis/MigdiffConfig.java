package dev.migdiff.analysis;

import dev.migdiff.django.DjangoConfig;
import java.util.Map;

/**
 * migdiff's configuration: what {@code [tool.migdiff]} in pyproject.toml and the command line
 * say. Null fields are unset; {@link #over} layers one on another.
 *
 * @param manage the command users type for manage.py, e.g. {@code uv run manage.py}
 * @param sourceRoots directories on {@code sys.path} besides the project root ({@code src}); null
 *     means "as the packaging files of the revision declare"
 * @param environment the environment variables the settings module is read with (others unset)
 */
public record MigdiffConfig(String projectRoot, String settingsModule, Map<String, String> labels,
    Map<String, String> migrationModules, String authUserModel, String djangoVersion,
    String manage, java.util.List<String> sourceRoots, Map<String, String> environment) {

  public MigdiffConfig {
    environment = environment == null ? Map.of() : environment;
  }

  /** A configuration that sets no environment variable. */
  public MigdiffConfig(String projectRoot, String settingsModule, Map<String, String> labels,
      Map<String, String> migrationModules, String authUserModel, String djangoVersion,
      String manage, java.util.List<String> sourceRoots) {
    this(projectRoot, settingsModule, labels, migrationModules, authUserModel, djangoVersion,
        manage, sourceRoots, Map.of());
  }

  /** A configuration that leaves the source roots to the packaging files. */
  public MigdiffConfig(String projectRoot, String settingsModule, Map<String, String> labels,
      Map<String, String> migrationModules, String authUserModel, String djangoVersion,
      String manage) {
    this(projectRoot, settingsModule, labels, migrationModules, authUserModel, djangoVersion,
        manage, null);
  }

  public static final MigdiffConfig EMPTY = new MigdiffConfig(null, null, Map.of(), Map.of(), null, null,
      null);

  /** These settings, with unset fields taken from {@code base}. */
  public MigdiffConfig over(MigdiffConfig base) {
    Map<String, String> l = new java.util.LinkedHashMap<>(base.labels);
    l.putAll(labels);
    Map<String, String> m = new java.util.LinkedHashMap<>(base.migrationModules);
    m.putAll(migrationModules);
    Map<String, String> env = new java.util.TreeMap<>(base.environment);
    env.putAll(environment);
    return new MigdiffConfig(or(projectRoot, base.projectRoot), or(settingsModule, base.settingsModule),
        l, m, or(authUserModel, base.authUserModel), or(djangoVersion, base.djangoVersion),
        or(manage, base.manage), sourceRoots != null ? sourceRoots : base.sourceRoots,
        java.util.Collections.unmodifiableMap(env));
  }

  /** These settings with the source roots set (as detected from packaging files). */
  public MigdiffConfig withSourceRoots(java.util.List<String> roots) {
    return new MigdiffConfig(projectRoot, settingsModule, labels, migrationModules, authUserModel,
        djangoVersion, manage, roots, environment);
  }

  public DjangoConfig django() {
    return new DjangoConfig(projectRoot, settingsModule, labels, migrationModules, authUserModel,
        djangoVersion, sourceRoots, environment);
  }

  /** The manage.py command prefix, {@code python manage.py} unless configured. */
  public String manageCommand() {
    return manage != null ? manage : "python manage.py";
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }
}
