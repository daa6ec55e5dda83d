package dev.migdiff.report;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.django.DeployFinding;
import dev.migdiff.django.Problem;
import java.io.PrintWriter;

/**
 * {@code migdiff FROM TO --format github}: GitHub Actions workflow commands
 * ({@code ::error file=…,line=…,title=…::message}), which GitHub shows as annotations on the
 * pull request's files without a token. Values are escaped as the runner expects, so a name
 * cannot end the command or start another.
 */
public final class GithubAnnotationsRenderer {
  public void render(CompareReport r, PrintWriter out) {
    for (CompareReport.Conflict c : r.merge().conflicts()) {
      String leaves = String.join(", ", c.leaves().stream().map(CompareReport.Leaf::name).toList());
      for (CompareReport.Leaf l : c.leaves()) {
        line(out, "error", l.path(), 1, 1, "divergent-leaves", c.app()
            + " has divergent leaves after merging " + r.to().ref() + " into " + r.from().ref()
            + " (" + leaves + "): run " + r.merge().command());
      }
    }
    for (CompareReport.Deploy d : r.deploy()) {
      for (DeployFinding f : d.findings()) {
        line(out, f.level() == DeployFinding.Level.UNSAFE ? "error" : "warning", d.path(),
            f.pos() == null ? 0 : f.pos().line(), f.pos() == null ? 0 : f.pos().column(),
            f.code(), d.key() + ": " + f.message() + ". Instead: " + f.help());
      }
    }
    for (Problem p : r.problems()) {
      line(out, switch (p.severity()) {
        case ERROR -> "error";
        case WARNING -> "warning";
        case INFO -> "notice";
      }, p.file(), p.pos() == null ? 0 : p.pos().line(), p.pos() == null ? 0 : p.pos().column(),
          p.code(), p.message() + (p.hint() == null ? "" : " (" + p.hint() + ")"));
    }
    out.flush();
  }

  private static void line(PrintWriter out, String level, String file, int line, int col,
      String code, String message) {
    StringBuilder b = new StringBuilder("::").append(level).append(' ');
    if (file != null) {
      b.append("file=").append(property(file)).append(',');
      if (line > 0) {
        b.append("line=").append(line).append(',');
      }
      if (col > 0) {
        b.append("col=").append(col).append(',');
      }
    }
    b.append("title=").append(property("migdiff " + code)).append("::").append(data(message));
    out.println(b);
  }

  /** Escapes workflow-command data (actions/toolkit, command.ts {@code escapeData}). */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escapes workflow-command properties (command.ts {@code escapeProperty}). */
  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }
}
