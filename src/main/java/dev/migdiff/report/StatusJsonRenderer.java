package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.analysis.StatusReport;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

/** {@code migdiff status --format json}: schema version 1, fixed key order. */
public final class StatusJsonRenderer {
  public void render(StatusReport r, Writer out) throws IOException {
    try (JsonGenerator g = JsonOutput.open(out)) {
      g.writeStartObject();
      g.writeNumberField("schemaVersion", 1);
      CompareJsonRenderer.side(g, "ref", r.ref());
      CompareJsonRenderer.database(g, r.database());
      g.writeBooleanField("inLine", r.inLine());
      g.writeArrayFieldStart("phantoms");
      for (StatusReport.Applied p : r.phantoms()) {
        g.writeStartObject();
        g.writeStringField("app", p.key().app());
        g.writeStringField("name", p.key().name());
        time(g, p.applied());
        if (p.foundIn() == null) {
          g.writeNullField("foundIn");
        } else {
          CompareJsonRenderer.side(g, "foundIn", p.foundIn());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("edited");
      for (StatusReport.Edited e : r.edited()) {
        g.writeStartObject();
        g.writeStringField("app", e.key().app());
        g.writeStringField("name", e.key().name());
        g.writeStringField("path", e.path());
        time(g, e.applied());
        CompareJsonRenderer.side(g, "appliedAt", e.appliedAt());
        g.writeEndObject();
      }
      g.writeEndArray();
      CompareJsonRenderer.keys(g, "unapplied", r.unapplied());
      g.writeArrayFieldStart("inconsistent");
      for (StatusReport.Inconsistent i : r.inconsistent()) {
        g.writeStartObject();
        g.writeStringField("app", i.migration().app());
        g.writeStringField("name", i.migration().name());
        g.writeArrayFieldStart("missingDependency");
        g.writeString(i.parent().app());
        g.writeString(i.parent().name());
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("outsideRows", r.outside());
      g.writeArrayFieldStart("fixes");
      for (StatusReport.Fix f : r.fixes()) {
        g.writeStartObject();
        CompareJsonRenderer.side(g, "at", f.at());
        CompareJsonRenderer.switchPlan(g, f.plan());
        g.writeEndObject();
      }
      g.writeEndArray();
      SnapshotRecipe.json(g, r.snapshot());
      JsonOutput.problems(g, r.problems());
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void time(JsonGenerator g, Instant when) throws IOException {
    JsonOutput.nullable(g, "applied", when == null ? null : when.toString());
  }
}
