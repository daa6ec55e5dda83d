package dev.migdiff.report;

import dev.migdiff.analysis.OtherHeads;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The comment's "Also touching these apps" section: other open requests whose migrations
 * collide with this one's, who must act, the heads that could not be read, and how the list was
 * bounded. Titles and branch names come from the forge and go through {@link Markdown}.
 */
final class OtherHeadsMarkdown {
  /** A forge reference migdiff built itself from a number: safe, and left to auto-link. */
  private static final Pattern REFERENCE = Pattern.compile("[#!]\\d{1,12}");

  private OtherHeadsMarkdown() {}

  static void add(OtherHeads o, MarkdownParts body) {
    String base = Markdown.code(o.base());
    String noun = o.bound() > 0 ? "request" : "head";
    String others = o.bound() > 0 ? "other open request" : "other head";
    StringBuilder head = new StringBuilder("#### Also touching these apps\n\n");
    if (o.listingFailure() != null) {
      body.add(head + "Could not list the other open requests into " + base + ": "
          + Markdown.text(o.listingFailure()) + "\n\n");
      return;
    }
    if (o.collisions().isEmpty()) {
      head.append(o.checked() == 0 && o.unread().isEmpty()
          ? "No " + others + " into " + base + ".\n\n"
          : o.checked() == 0 ? "Could not read the " + ProblemLines.plural(o.unread().size(),
              others) + " into " + base + ".\n\n"
          : "No collision with the " + ProblemLines.plural(o.checked(), others) + " into "
              + base + (o.unread().isEmpty() ? "" : " that could be read") + ".\n\n");
      body.add(head.toString());
    } else {
      List<String> rows = new ArrayList<>();
      for (OtherHeads.Collision c : o.collisions()) {
        rows.add("| " + name(c.other(), true) + " | " + Markdown.cell(c.app()) + " | "
            + leaves(c.ours()) + " | " + leaves(c.theirs()) + " | " + action(c, base) + " |\n");
      }
      body.add(new MarkdownParts.Part(2, head + "Each merges into " + base + " cleanly alone; "
          + "merged together, they collide (checked " + ProblemLines.plural(
          o.checked(), others) + "):\n\n",
          "| " + noun + " | app | this " + noun + "'s leaf | their leaf | who must act |\n"
              + "|---|---|---|---|---|\n", rows, "collisions", "\n"));
    }
    List<String> unread = o.unread().stream().map(u -> "- could not read " + name(u.other(),
        false) + ": " + Markdown.text(u.reason()) + "\n").toList();
    if (!unread.isEmpty()) {
      body.add(new MarkdownParts.Part(6, "", "", unread, "unreadable " + noun + "s", "\n"));
    }
    if (o.truncated()) {
      body.add("_Only the " + o.bound() + " most recently updated open requests into " + base
          + " were checked; more are open._\n\n");
    }
  }

  private static String name(OtherHeads.Head h, boolean cell) {
    String name = REFERENCE.matcher(h.name()).matches() ? h.name() : Markdown.text(h.name());
    StringBuilder b = new StringBuilder(name);
    if (h.title() != null && !h.title().isBlank()) {
      b.append(' ').append(Markdown.text(h.title()));
    }
    List<String> about = new ArrayList<>();
    if (h.branch() != null && !h.branch().isBlank()) {
      about.add(cell ? Markdown.cell(h.branch()) : Markdown.code(h.branch()));
    }
    if (h.fromFork()) {
      about.add("from a fork");
    }
    if (!about.isEmpty()) {
      b.append(" (").append(String.join(", ", about)).append(')');
    }
    return b.toString();
  }

  /** Who must act, per kind of collision (the wording of {@code RadarPairs}). */
  private static String action(OtherHeads.Collision c, String base) {
    String merge = Markdown.cell(c.command());
    String path = Markdown.cell(c.path() == null ? "" : c.path());
    return switch (c.kind()) {
      case "same-name" -> "both add " + path + (c.gitStops() ? " and git merge stops on it" : "")
          + ": whichever merges second renames its migration (and the dependencies on it), "
          + "then runs " + merge + " if the app still has two leaves";
      case "same-edit" -> "both edit " + path + ", which " + base + " has" + (c.gitStops()
          ? "; git merge stops on it: whichever merges second resolves it by hand"
          : ": whichever merges second checks that the edits agree (databases that applied it "
              + "never run it again)");
      default -> "whichever merges second runs " + merge;
    };
  }

  private static String leaves(List<String> names) {
    return String.join(", ", names.stream().map(Markdown::cell).toList());
  }
}
