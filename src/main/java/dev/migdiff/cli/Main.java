package dev.migdiff.cli;

import java.io.PrintStream;

/** Entry point: wires {@code main(args)} to {@link #run}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs migdiff with the given arguments and streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("migdiff: error: not implemented yet");
    return 3;
  }
}
