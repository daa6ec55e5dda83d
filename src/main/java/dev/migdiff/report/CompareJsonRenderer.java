package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.analysis.CompareReport;
import dev.migdiff.django.DeployFinding;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Reversal;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** {@code migdiff FROM TO --format json}: schema version 1, fixed key order. */
public final class CompareJsonRenderer {
  public void render(CompareReport r, Writer out) throws IOException {
    try (JsonGenerator g = JsonOutput.open(out)) {
      g.writeStartObject();
      g.writeNumberField("schemaVersion", 1);
      side(g, "from", r.from());
      side(g, "to", r.to());
      JsonOutput.nullable(g, "mergeBase", r.mergeBase());
      g.writeArrayFieldStart("apps");
      for (CompareReport.AppDiff a : r.apps()) {
        g.writeStartObject();
        g.writeStringField("app", a.app());
        JsonOutput.strings(g, "fromOnly", a.fromOnly());
        JsonOutput.strings(g, "toOnly", a.toOnly());
        JsonOutput.strings(g, "changed", a.changed());
        JsonOutput.strings(g, "leavesAfterMerge",
            a.leavesAfterMerge().stream().map(CompareReport.Leaf::name).toList());
        g.writeBooleanField("conflict", a.conflict());
        JsonOutput.strings(g, "fromAdded", a.fromAdded());
        JsonOutput.strings(g, "toAdded", a.toAdded());
        g.writeObjectFieldStart("leafSides");
        for (CompareReport.Leaf l : a.leavesAfterMerge()) {
          g.writeStringField(l.name(), l.side());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      merge(g, r.merge());
      switchPlan(g, r.switchPlan());
      deploy(g, r.deploy());
      database(g, r.database());
      SnapshotRecipe.json(g, r.snapshot());
      JsonOutput.problems(g, r.problems());
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  static void database(JsonGenerator g, CompareReport.Database d) throws IOException {
    if (d == null) {
      g.writeNullField("database");
      return;
    }
    g.writeObjectFieldStart("database");
    g.writeStringField("url", d.url());
    g.writeStringField("source", d.source());
    g.writeNumberField("applied", d.rows());
    keys(g, "phantoms", d.phantoms());
    g.writeEndObject();
  }

  static void side(JsonGenerator g, String field, CompareReport.Side s)
      throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("ref", s.ref());
    g.writeStringField("commit", s.commit());
    g.writeEndObject();
  }

  private static void merge(JsonGenerator g, CompareReport.Merge m) throws IOException {
    g.writeObjectFieldStart("merge");
    g.writeArrayFieldStart("conflicts");
    for (CompareReport.Conflict c : m.conflicts()) {
      g.writeStartObject();
      g.writeStringField("app", c.app());
      JsonOutput.strings(g, "leaves", c.leaves().stream().map(CompareReport.Leaf::name).toList());
      g.writeEndObject();
    }
    g.writeEndArray();
    JsonOutput.nullable(g, "command", m.command());
    g.writeArrayFieldStart("mergeFiles");
    for (CompareReport.MergeFile f : m.mergeFiles()) {
      g.writeStartObject();
      g.writeStringField("app", f.app());
      g.writeStringField("name", f.name());
      JsonOutput.nullable(g, "path", f.path());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("rebase");
    for (CompareReport.Rebase rb : m.rebase()) {
      g.writeStartObject();
      g.writeStringField("app", rb.app());
      g.writeStringField("name", rb.name());
      JsonOutput.strings(g, "parents", rb.parents());
      JsonOutput.strings(g, "newParents", rb.newParents());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  static void switchPlan(JsonGenerator g, CompareReport.Switch s) throws IOException {
    g.writeObjectFieldStart("switch");
    g.writeArrayFieldStart("commands");
    for (CompareReport.Command c : s.commands()) {
      g.writeStartObject();
      g.writeStringField("app", c.app());
      g.writeStringField("target", c.target());
      g.writeStringField("command", c.command());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("unapply");
    for (CompareReport.Unapply u : s.unapply()) {
      g.writeStartObject();
      g.writeStringField("app", u.key().app());
      g.writeStringField("name", u.key().name());
      g.writeBooleanField("irreversible", u.irreversible());
      JsonOutput.strings(g, "reasons", u.reversals().stream().map(Reversal::reason).toList());
      g.writeStringField("path", u.path());
      g.writeBooleanField("collateral", u.collateral());
      g.writeArrayFieldStart("reversals");
      for (Reversal rv : u.reversals()) {
        g.writeStartObject();
        g.writeStringField("kind", rv.kind().label());
        g.writeStringField("operation", rv.operation());
        g.writeNumberField("line", rv.pos() == null ? 0 : rv.pos().line());
        g.writeNumberField("column", rv.pos() == null ? 0 : rv.pos().column());
        g.writeStringField("reason", rv.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    keys(g, "collateral", s.collateral());
    JsonOutput.nullable(g, "blocked", s.blocked());
    if (s.stopsAt() == null) {
      g.writeNullField("stopsAt");
    } else {
      g.writeObjectFieldStart("stopsAt");
      g.writeStringField("app", s.stopsAt().app());
      g.writeStringField("name", s.stopsAt().name());
      g.writeEndObject();
    }
    keys(g, "unreachable", s.unreachable());
    keys(g, "leftoverRecords", s.leftoverRecords());
    g.writeEndObject();
  }

  private static void deploy(JsonGenerator g, List<CompareReport.Deploy> deploy)
      throws IOException {
    g.writeArrayFieldStart("deploy");
    for (CompareReport.Deploy d : deploy) {
      g.writeStartObject();
      g.writeStringField("app", d.key().app());
      g.writeStringField("name", d.key().name());
      g.writeStringField("path", d.path());
      g.writeBooleanField("unsafe", d.unsafe());
      g.writeArrayFieldStart("findings");
      for (DeployFinding f : d.findings()) {
        g.writeStartObject();
        g.writeStringField("level", f.level().label());
        g.writeStringField("code", f.code());
        g.writeStringField("operation", f.operation());
        g.writeNumberField("line", f.pos() == null ? 0 : f.pos().line());
        g.writeNumberField("column", f.pos() == null ? 0 : f.pos().column());
        g.writeStringField("message", f.message());
        g.writeStringField("help", f.help());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  static void keys(JsonGenerator g, String field, List<MigrationKey> keys)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (MigrationKey k : keys) {
      g.writeStartObject();
      g.writeStringField("app", k.app());
      g.writeStringField("name", k.name());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
