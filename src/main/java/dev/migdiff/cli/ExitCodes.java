package dev.migdiff.cli;

/** The exit codes, a contract shown in {@code --help}. */
final class ExitCodes {
  static final int OK = 0;
  static final int CONFLICT = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 3;

  private ExitCodes() {}
}
