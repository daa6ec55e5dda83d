package dev.migdiff.analysis;

import dev.migdiff.django.DjangoConfig;
import java.util.Map;

/**
 * migdiff's configuration: what {@code [tool.migdiff]} in pyproject.toml and the command line
 * say. Null fields are unset; {@link #over} layers one on another.
 *
 * @param manage the command users type for manage.py, e.g. {@code uv run manage.py}
 */
public record MigdiffConfig(String projectRoot, String settingsModule, Map<String, String> labels,
    Map<String, String> migrationModules, String authUserModel, String djangoVersion,
    String manage) {

  public static final MigdiffConfig EMPTY = new MigdiffConfig(null, null, Map.of(), Map.of(), null, null,
      null);

  /** These settings, with unset fields taken from {@code base}. */
  public MigdiffConfig over(MigdiffConfig base) {
    Map<String, String> l = new java.util.LinkedHashMap<>(base.labels);
    l.putAll(labels);
    Map<String, String> m = new java.util.LinkedHashMap<>(base.migrationModules);
    m.putAll(migrationModules);
    return new MigdiffConfig(or(projectRoot, base.projectRoot), or(settingsModule, base.settingsModule),
        l, m, or(authUserModel, base.authUserModel), or(djangoVersion, base.djangoVersion),
        or(manage, base.manage));
  }

  public DjangoConfig django() {
    return new DjangoConfig(projectRoot, settingsModule, labels, migrationModules, authUserModel,
        djangoVersion);
  }

  /** The manage.py command prefix, {@code python manage.py} unless configured. */
  public String manageCommand() {
    return manage != null ? manage : "python manage.py";
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }
}
