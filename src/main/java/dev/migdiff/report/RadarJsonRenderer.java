package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.analysis.Radar;
import dev.migdiff.analysis.RadarReport;
import java.io.IOException;
import java.io.Writer;

/** {@code migdiff radar --format json}: schema version 1, fixed key order (docs/radar.md). */
public final class RadarJsonRenderer {
  public void render(RadarReport r, Writer out) throws IOException {
    try (JsonGenerator g = JsonOutput.open(out)) {
      g.writeStartObject();
      g.writeNumberField("schemaVersion", 1);
      g.writeObjectFieldStart("base");
      g.writeStringField("ref", r.base().ref());
      g.writeStringField("commit", r.base().commit());
      g.writeEndObject();
      g.writeArrayFieldStart("branches");
      for (RadarReport.Branch b : r.branches()) {
        g.writeStartObject();
        head(g, b.head());
        JsonOutput.strings(g, "aliases", b.aliases());
        g.writeStringField("commit", b.commit());
        g.writeStringField("mergeBase", b.mergeBase());
        g.writeArrayFieldStart("apps");
        for (RadarReport.AppChange a : b.apps()) {
          g.writeStartObject();
          g.writeStringField("app", a.app());
          JsonOutput.strings(g, "added", a.added());
          JsonOutput.strings(g, "edited", a.edited());
          JsonOutput.strings(g, "removed", a.removed());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("againstBase");
        for (RadarReport.BaseConflict c : b.againstBase()) {
          g.writeStartObject();
          g.writeStringField("app", c.app());
          JsonOutput.strings(g, "leaves", c.leaves());
          g.writeStringField("action", c.action());
          g.writeEndObject();
        }
        g.writeEndArray();
        JsonOutput.strings(g, "textConflicts", b.textConflicts());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("skippedMerged", r.skippedMerged());
      g.writeArrayFieldStart("pairs");
      for (RadarReport.Pair p : r.pairs()) {
        g.writeStartObject();
        g.writeStringField("first", p.first().label());
        g.writeStringField("second", p.second().label());
        g.writeArrayFieldStart("collisions");
        for (RadarReport.Collision c : p.collisions()) {
          collision(g, c);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("hotApps");
      for (RadarReport.HotApp h : r.hotApps()) {
        g.writeStartObject();
        g.writeStringField("app", h.app());
        JsonOutput.strings(g, "branches", h.branches());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (r.order() == null) {
        g.writeNullField("order");
      } else {
        g.writeObjectFieldStart("order");
        JsonOutput.strings(g, "branches", r.order().branches());
        g.writeNumberField("mergeMigrations", r.order().mergeMigrations());
        g.writeNumberField("worst", r.order().worst());
        g.writeEndObject();
      }
      g.writeArrayFieldStart("unreadable");
      for (RadarReport.Unreadable u : r.unreadable()) {
        g.writeStartObject();
        head(g, u.head());
        g.writeStringField("message", u.message());
        JsonOutput.nullable(g, "hint", u.hint());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void head(JsonGenerator g, Radar.Head h) throws IOException {
    g.writeStringField("label", h.label());
    g.writeStringField("revision", h.revision());
    JsonOutput.nullable(g, "number", h.number());
    JsonOutput.nullable(g, "title", h.title());
  }

  private static void collision(JsonGenerator g, RadarReport.Collision c) throws IOException {
    g.writeStartObject();
    g.writeStringField("app", c.app());
    g.writeStringField("kind", c.kind().code());
    JsonOutput.strings(g, "first", c.ours());
    JsonOutput.strings(g, "second", c.theirs());
    JsonOutput.nullable(g, "path", c.path());
    g.writeBooleanField("gitStops", c.gitStops());
    g.writeStringField("action", c.action());
    g.writeEndObject();
  }
}
