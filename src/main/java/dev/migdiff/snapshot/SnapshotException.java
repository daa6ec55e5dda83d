package dev.migdiff.snapshot;

/** A snapshot could not be saved, restored or dropped: one line for the user, and a hint. */
public final class SnapshotException extends Exception {
  private final String hint;

  public SnapshotException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public SnapshotException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
