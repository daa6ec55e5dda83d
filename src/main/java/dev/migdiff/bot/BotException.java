package dev.migdiff.bot;

/** A forge or CI problem the user can fix (missing variable, rejected token, rate limit). */
public final class BotException extends Exception {
  private final String hint;

  public BotException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
