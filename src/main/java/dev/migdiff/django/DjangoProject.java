package dev.migdiff.django;

import java.util.List;
import java.util.Map;

/**
 * Everything Django's loader would load from one revision: where the project is, its apps, its
 * migrations in load order, and the findings met while reading them.
 *
 * @param projectRoot the directory of manage.py ("" for the root), or null if none was found
 * @param settingsModule the settings module read, or null when discovery fell back
 * @param closedWorld whether INSTALLED_APPS was read exactly (so unknown labels are errors)
 * @param clock USE_TZ and TIME_ZONE as the settings give them (how applied times are stored)
 * @param migrationsByApp each app label's migrations, in load order: the very same list object
 *     in two readings of one run that read the app's migrations directory alike, so comparing
 *     revisions passes over the apps they share without looking inside
 */
public record DjangoProject(String projectRoot, String settingsModule, List<App> apps,
    List<Migration> migrations, boolean closedWorld, List<Problem> problems, Clock clock,
    Map<String, List<Migration>> migrationsByApp) {

  /**
   * The settings that decide how Django stores times: null where the settings do not say
   * (Django's default then applies: USE_TZ is False before 5.0 and True since; TIME_ZONE is
   * "America/Chicago").
   */
  public record Clock(Boolean useTz, String timeZone) {
    public static final Clock UNKNOWN = new Clock(null, null);
  }
}
