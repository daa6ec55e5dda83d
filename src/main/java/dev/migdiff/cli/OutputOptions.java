package dev.migdiff.cli;

import dev.migdiff.report.Terminal;
import picocli.CommandLine.Option;

/** How to print: format and colour. */
final class OutputOptions {
  /** When to colour text output. */
  enum ColorMode { AUTO, ALWAYS, NEVER }

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour text output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; NO_COLOR is honoured).")
  ColorMode color = ColorMode.AUTO;

  @Option(names = "--stacktrace", description = "Print stack traces of internal errors and more detail.")
  boolean stacktrace;

  Terminal terminal() {
    boolean on = switch (color) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> autoColour(Resident.console(), Resident.getenv("NO_COLOR"),
          Resident.getenv("TERM"));
    };
    return new Terminal(on);
  }

  /** {@code --color auto}: on a terminal, unless NO_COLOR is set or TERM is dumb. */
  static boolean autoColour(boolean console, String noColor, String term) {
    return console && noColor == null && !"dumb".equals(term);
  }
}
