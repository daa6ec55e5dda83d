package dev.migdiff.django;

import dev.migdiff.python.Position;

/** A value that cannot be known without running the code, with where and why. */
public final class NotStaticException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Position pos;

  public NotStaticException(Position pos, String message) {
    super(message, null, false, false);
    this.pos = pos;
  }

  public Position pos() {
    return pos;
  }
}
