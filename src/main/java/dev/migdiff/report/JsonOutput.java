package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.Problem;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Shared pieces of the JSON formats, written with jackson-core's streaming generator. */
final class JsonOutput {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonOutput() {}

  static JsonGenerator open(Writer w) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(w);
    g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    return g;
  }

  static void keys(JsonGenerator g, String field, List<MigrationKey> keys) throws IOException {
    g.writeArrayFieldStart(field);
    for (MigrationKey k : keys) {
      g.writeStartArray();
      g.writeString(k.app());
      g.writeString(k.name());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  static void problems(JsonGenerator g, List<Problem> problems) throws IOException {
    g.writeArrayFieldStart("problems");
    for (Problem p : problems) {
      g.writeStartObject();
      g.writeStringField("severity", p.severity().label());
      g.writeStringField("code", p.code());
      nullable(g, "file", p.file());
      if (p.pos() == null) {
        g.writeNullField("line");
        g.writeNullField("column");
      } else {
        g.writeNumberField("line", p.pos().line());
        g.writeNumberField("column", p.pos().column());
      }
      g.writeStringField("message", p.message());
      nullable(g, "hint", p.hint());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  static void nullable(JsonGenerator g, String field, String value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }
}
