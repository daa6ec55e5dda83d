package dev.migdiff.git;

/** A user-fixable problem with the repository or a revision: printed as one line, exit 2. */
public class GitException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  public GitException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public GitException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** A suggestion for the user, or null. */
  public String hint() {
    return hint;
  }
}
