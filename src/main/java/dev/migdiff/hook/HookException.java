package dev.migdiff.hook;

/** The hook cannot be installed as asked: a user-fixable error, exit 2. */
public final class HookException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  public HookException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
