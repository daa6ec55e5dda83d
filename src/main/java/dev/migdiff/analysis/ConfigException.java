package dev.migdiff.analysis;

/** The project's configuration cannot be used: a user error, exit 2. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
