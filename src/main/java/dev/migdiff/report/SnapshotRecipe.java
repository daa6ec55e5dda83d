package dev.migdiff.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.migdiff.analysis.SnapshotAdvice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The recommendation of a snapshot that fits the target revision: the same lines everywhere. */
final class SnapshotRecipe {
  private SnapshotRecipe() {}

  /** "restore the snapshot ... with:", the command, and migrate when the snapshot lacks some. */
  static List<String> lines(SnapshotAdvice a, String manage) {
    List<String> out = new ArrayList<>();
    String name = Terminal.safe(a.name());
    out.add("restore the snapshot " + name
        + (a.label().equals(a.name()) ? "" : " (" + Terminal.safe(a.label()) + ")")
        + " taken " + SnapshotListRenderer.time(a.taken()) + "; it matches "
        + Terminal.safe(a.target()) + ": 0 phantoms, consistent history"
        + (a.notApplied() == 0 ? "" : ", " + ProblemLines.plural(a.notApplied(), "migration")
            + " to apply") + ":");
    out.add("  " + Terminal.safe(a.command()));
    if (a.notApplied() > 0) {
      out.add("  " + Terminal.safe(manage) + " migrate");
    }
    return out;
  }

  static void json(JsonGenerator g, SnapshotAdvice a)
      throws IOException {
    if (a == null) {
      return; // only present when recommended (schema version 1 stays as it was otherwise)
    }
    g.writeObjectFieldStart("snapshot");
    g.writeStringField("name", a.name());
    g.writeStringField("label", a.label());
    g.writeStringField("taken", a.taken().toString());
    g.writeStringField("matches", a.target());
    g.writeNumberField("notApplied", a.notApplied());
    g.writeStringField("command", a.command());
    g.writeEndObject();
  }
}
