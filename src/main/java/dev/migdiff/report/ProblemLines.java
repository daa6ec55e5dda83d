package dev.migdiff.report;

import dev.migdiff.django.Problem;
import java.io.PrintWriter;
import java.util.List;

/** Findings as text: {@code path:line:col: severity[code]: message}, then the hint. */
final class ProblemLines {
  private ProblemLines() {}

  static void print(PrintWriter out, List<Problem> problems, Terminal t) {
    for (Problem p : problems) {
      String where = p.location().isEmpty() ? "" : Terminal.safe(p.location()) + ": ";
      String sev = switch (p.severity()) {
        case ERROR -> t.red("error");
        case WARNING -> t.yellow("warning");
        case INFO -> "info";
      };
      out.println(where + sev + "[" + p.code() + "]: " + Terminal.safe(p.message()));
      if (p.hint() != null) {
        out.println("  hint: " + Terminal.safe(p.hint()));
      }
    }
  }

  static String counts(List<Problem> problems) {
    long errors = problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
    long warnings = problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).count();
    return plural(errors, "error") + ", " + plural(warnings, "warning");
  }

  static String plural(long n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
