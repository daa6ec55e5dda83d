package dev.migdiff.db;

/** The database could not be read: one line for the user, and what to do about it. */
public final class DatabaseException extends Exception {
  private final String hint;

  public DatabaseException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
