package dev.migdiff.django;

/**
 * An installed Django app as the loader sees it.
 *
 * @param label the app label (what dependencies use)
 * @param name the app's dotted module name ({@code AppConfig.name})
 * @param migrationsModule the dotted migrations module, or null when unmigrated by setting
 * @param migrationsPath the migrations directory in the repository, or null
 * @param state whether Django loads migrations for it from this repository
 */
public record App(String label, String name, String migrationsModule, String migrationsPath,
    State state) {

  /** Where the app's migrations come from. */
  public enum State {
    /** A migrations package in the repository. */
    MIGRATED,
    /** Installed, but no migrations package (Django's {@code unmigrated_apps}). */
    UNMIGRATED,
    /** Installed, but its code is not in the repository (django.contrib, third-party). */
    EXTERNAL
  }
}
