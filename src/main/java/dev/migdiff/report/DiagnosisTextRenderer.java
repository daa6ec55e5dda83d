package dev.migdiff.report;

import dev.migdiff.analysis.Diagnosis;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Renders {@code migdiff doctor}: migdiff's own version lines, then one aligned line per fact. */
public final class DiagnosisTextRenderer {
  public void render(List<String> version, Diagnosis d, PrintWriter out) {
    version.forEach(out::println);
    int width = 0;
    for (Map.Entry<String, String> e : d.facts()) {
      width = Math.max(width, e.getKey().length());
    }
    for (Map.Entry<String, String> e : d.facts()) {
      out.println(e.getKey() + ":" + " ".repeat(width - e.getKey().length() + 1)
          + Terminal.safe(e.getValue()));
    }
  }
}
