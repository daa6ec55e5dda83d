package dev.migdiff.report;

/**
 * Makes repository-provided text inert in GitHub/GitLab Markdown: a migration, app or branch
 * name cannot open a link, an image, HTML, a table cell, a mention or a reference. Text is
 * HTML-escaped and backslash-escaped; mentions, references and bare URLs get a zero-width space
 * that stops the forge's auto-linking; control and bidi-override characters are dropped.
 */
public final class Markdown {
  static final String ZWSP = "\u200b";
  private static final String PUNCTUATION = "\\`*_{}[]()#+-.!|~=:";
  private static final String REFERENCE = "@#!~%$&";

  private Markdown() {}

  /** Plain text, safe anywhere inline (including table cells). */
  public static String text(String s) {
    String raw = clean(s);
    StringBuilder b = new StringBuilder(raw.length() + 16);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (raw.regionMatches(true, i, "www.", 0, 4)) {
        b.append(raw, i, i + 3).append(ZWSP);
        i += 2;
        continue;
      }
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (PUNCTUATION.indexOf(c) >= 0) {
            b.append('\\');
          }
          b.append(c);
        }
      }
      if (REFERENCE.indexOf(c) >= 0 && i + 1 < raw.length()
          && Character.isLetterOrDigit(raw.charAt(i + 1))
          || c == ':' && raw.startsWith("//", i + 1)) {
        b.append(ZWSP);
      }
    }
    return b.toString();
  }

  /** An inline code span holding {@code s} literally. */
  public static String code(String s) {
    return span(clean(s));
  }

  /** A code span inside a table cell: {@code |} is escaped, as GFM tables require. */
  public static String cell(String s) {
    return span(clean(s).replace("|", "\\|"));
  }

  private static String span(String raw) {
    String fence = "`".repeat(longestRun(raw, '`') + 1);
    boolean pad = raw.startsWith("`") || raw.endsWith("`")
        || raw.startsWith(" ") && raw.endsWith(" ") && !raw.isBlank();
    return raw.isEmpty() ? "` `" : fence + (pad ? " " : "") + raw + (pad ? " " : "") + fence;
  }

  /** A fenced code block of {@code lines}, its fence longer than any backtick run inside. */
  public static String block(String info, java.util.List<String> lines) {
    java.util.List<String> cleaned = lines.stream().map(Markdown::clean).toList();
    int run = cleaned.stream().mapToInt(l -> longestRun(l, '`')).max().orElse(0);
    String fence = "`".repeat(Math.max(3, run + 1));
    return fence + info + "\n" + String.join("\n", cleaned) + "\n" + fence + "\n";
  }

  /** A Mermaid node label: quoted, markup and quotes as Mermaid entity codes. */
  public static String mermaidLabel(String s) {
    return GraphMermaidRenderer.label(clean(s));
  }

  /** Drops control characters, line breaks and bidirectional overrides. */
  static String clean(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      boolean control = cp < 0x20 || cp == 0x7f || cp >= 0x80 && cp < 0xa0;
      boolean bidi = cp >= 0x202a && cp <= 0x202e || cp >= 0x2066 && cp <= 0x2069
          || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff;
      if (!control && !bidi) {
        b.appendCodePoint(cp);
      }
    });
    return b.toString();
  }

  private static int longestRun(String s, char c) {
    int best = 0;
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      run = s.charAt(i) == c ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  }
}
