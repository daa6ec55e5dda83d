package dev.migdiff.django;

import java.util.List;

/**
 * Everything Django's loader would load from one revision: where the project is, its apps, its
 * migrations in load order, and the findings met while reading them.
 *
 * @param projectRoot the directory of manage.py ("" for the root), or null if none was found
 * @param settingsModule the settings module read, or null when discovery fell back
 * @param closedWorld whether INSTALLED_APPS was read exactly (so unknown labels are errors)
 */
public record DjangoProject(String projectRoot, String settingsModule, List<App> apps,
    List<Migration> migrations, boolean closedWorld, List<Problem> problems) {}
