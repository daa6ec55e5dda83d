package dev.migdiff.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Repository text made inert in Markdown, code spans, code blocks and Mermaid labels. */
class MarkdownTest {
  private static final String Z = Markdown.ZWSP;

  @Test
  void textCannotOpenLinksHtmlMentionsOrReferences() {
    assertEquals("\\[x\\]\\(http\\:" + Z + "//evil\\.com\\)", Markdown.text("[x](http://evil.com)"));
    assertEquals("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;", Markdown.text("<img src=x onerror=alert(1)>"));
    assertEquals("@" + Z + "everyone \\#" + Z + "12 \\!" + Z + "3", Markdown.text("@everyone #12 !3"));
    assertEquals("www" + Z + "\\.evil\\.com", Markdown.text("www.evil.com"));
    assertEquals("a\\|b \\`c\\` \\*d\\* \\_e\\_ &amp; &quot;&#39;", Markdown.text("a|b `c` *d* _e_ & \"'"));
    assertEquals("ab", Markdown.text("a\n\u001b\u202eb"));
  }

  @Test
  void codeSpansUseALongerFenceThanAnyBacktickRun() {
    assertEquals("`0001_initial`", Markdown.code("0001_initial"));
    assertEquals("``a`b``", Markdown.code("a`b"));
    assertEquals("````x```y````", Markdown.code("x```y"));
    assertEquals("`` `x ``", Markdown.code("`x"));
    assertEquals("`a\\|b`", Markdown.cell("a|b"));
    assertEquals("`a|b`", Markdown.code("a|b"));
    assertEquals("`ab`", Markdown.code("a\nb"));
  }

  @Test
  void codeBlocksCannotBeClosedFromInside() {
    String block = Markdown.block("sh", List.of("echo ```", "x"));
    assertTrue(block.startsWith("````sh\n") && block.endsWith("\n````\n"), block);
  }

  @Test
  void mermaidLabelsAreQuotedWithEntities() {
    assertEquals("\"a#quot; #lt;b#gt; #96;c#96; #35;1\"", Markdown.mermaidLabel("a\" <b> `c` #1\n"));
    assertFalse(Markdown.mermaidLabel("x\"]-->y").contains("\"]"));
  }

  @Test
  void aHugeCommentStaysUnderTheLimitByDroppingWholeRows() {
    MarkdownParts parts = new MarkdownParts(1_000);
    List<String> rows = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "| `r" + i + "` |\n")
        .toList();
    parts.add("head\n\n").add(new MarkdownParts.Part(1, "", "| a |\n|---|\n", rows, "rows", "\n"));
    String out = parts.render();
    assertTrue(out.length() <= 1_000, String.valueOf(out.length()));
    assertTrue(out.contains("more rows not shown"), out);
    for (String line : out.split("\n")) {
      assertTrue(!line.startsWith("|") || line.endsWith("|"), "a cut row: " + line);
    }
  }
}
