package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.analysis.GraphReport;
import java.io.IOException;
import java.io.Writer;

/** {@code migdiff graph --format json}: schema version 1, fixed key order. */
public final class GraphJsonRenderer {
  public void render(GraphReport r, Writer out) throws IOException {
    try (JsonGenerator g = JsonOutput.open(out)) {
      g.writeStartObject();
      g.writeNumberField("schemaVersion", 1);
      g.writeStringField("ref", r.ref());
      g.writeStringField("commit", r.commit());
      JsonOutput.nullable(g, "settings", r.settingsModule());
      g.writeArrayFieldStart("apps");
      for (GraphReport.AppGraph app : r.apps()) {
        g.writeStartObject();
        g.writeStringField("app", app.app());
        JsonOutput.strings(g, "leaves", app.leaves());
        g.writeArrayFieldStart("migrations");
        for (GraphReport.Node n : app.migrations()) {
          g.writeStartObject();
          g.writeStringField("name", n.name());
          g.writeStringField("path", n.path());
          JsonOutput.keys(g, "dependencies", n.dependencies());
          JsonOutput.keys(g, "parents", n.parents());
          JsonOutput.keys(g, "replaces", n.replaces());
          JsonOutput.keys(g, "runBefore", n.runBefore());
          JsonOutput.nullable(g, "replacedBy", n.replacedBy());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("conflicts");
      for (GraphReport.Conflict c : r.conflicts()) {
        g.writeStartObject();
        g.writeStringField("app", c.app());
        JsonOutput.strings(g, "leaves", c.leaves());
        g.writeEndObject();
      }
      g.writeEndArray();
      JsonOutput.problems(g, r.problems());
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }
}
