package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.analysis.CompareReport;
import dev.migdiff.django.DeployFinding;
import dev.migdiff.django.Problem;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code migdiff FROM TO --format gitlab-codequality}: GitLab's Code Quality report (a JSON
 * array of Code Climate issues) with divergent leaves, deploy-safety findings and problems, so
 * GitLab shows them in the merge request without a token. Fingerprints leave out line numbers,
 * so a finding keeps its identity when lines move.
 */
public final class CodeQualityRenderer {
  public void render(CompareReport r, Writer out) throws IOException {
    try (JsonGenerator g = JsonOutput.open(out)) {
      g.writeStartArray();
      for (CompareReport.Conflict c : r.merge().conflicts()) {
        String leaves = String.join(", ", c.leaves().stream().map(CompareReport.Leaf::name).toList());
        for (CompareReport.Leaf l : c.leaves()) {
          issue(g, "divergent-leaves", "critical", c.app() + " has divergent leaves after merging "
              + r.to().ref() + " into " + r.from().ref() + " (" + leaves + "): run "
              + r.merge().command(), l.path() != null ? l.path() : c.app(), 1);
        }
      }
      for (CompareReport.Deploy d : r.deploy()) {
        for (DeployFinding f : d.findings()) {
          issue(g, f.code(), f.level() == DeployFinding.Level.UNSAFE ? "major" : "minor",
              d.key() + ": " + f.message() + ". Instead: " + f.help(), d.path(),
              f.pos() == null ? 1 : f.pos().line());
        }
      }
      for (Problem p : r.problems()) {
        issue(g, p.code(), switch (p.severity()) {
          case ERROR -> "major";
          case WARNING -> "minor";
          case INFO -> "info";
        }, p.message() + (p.hint() == null ? "" : " (" + p.hint() + ")"),
            p.file() == null ? "." : p.file(), p.pos() == null ? 1 : p.pos().line());
      }
      g.writeEndArray();
    }
    out.write('\n');
    out.flush();
  }

  private static void issue(JsonGenerator g, String check, String severity, String description,
      String path, int line) throws IOException {
    g.writeStartObject();
    g.writeStringField("description", description);
    g.writeStringField("check_name", "migdiff/" + check);
    g.writeStringField("fingerprint", fingerprint(check + "\0" + path + "\0" + description));
    g.writeStringField("severity", severity);
    g.writeObjectFieldStart("location");
    g.writeStringField("path", path);
    g.writeObjectFieldStart("lines");
    g.writeNumberField("begin", line);
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String fingerprint(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
