package dev.migdiff.git;

import java.io.IOException;

/**
 * A Git object that a revision needs is missing (a partial or damaged clone) or corrupt: the
 * message names the path and the object, the hint says how to get it back.
 */
public final class UnreadableObjectException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String hint;

  UnreadableObjectException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** What the user can do about it. */
  public String hint() {
    return hint;
  }
}
