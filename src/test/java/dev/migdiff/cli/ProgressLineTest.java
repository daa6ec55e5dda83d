package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void aShortRunDrawsNothing() {
    StringWriter sink = new StringWriter();
    ProgressLine p = new ProgressLine(new PrintWriter(sink), 60_000);
    p.begin();
    p.stage("reading main");
    p.files(3, 10);
    p.close();
    assertEquals("", sink.toString());
  }

  @Test
  void aLongRunDrawsOneLineAndErasesIt() throws Exception {
    StringWriter sink = new StringWriter();
    ProgressLine p = new ProgressLine(new PrintWriter(sink), 0);
    p.stage("reading main");
    p.files(3, 10);
    p.begin();
    long until = System.nanoTime() + 5_000_000_000L;
    while (!sink.toString().contains("3 of 10") && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    p.stage("reading feature\u001b[31m");
    Thread.sleep(300);
    p.close();
    String out = sink.toString();
    assertTrue(out.startsWith("\rmigdiff: reading main: 3 of 10 files\u001b[K"), out);
    // the stage names a revision the user typed: control characters are made harmless
    assertTrue(out.contains("\rmigdiff: reading feature\\e[31m\u001b[K")
        || out.contains("\rmigdiff: reading feature"), out);
    assertFalse(out.contains("\u001b[31m"), out);
    assertTrue(out.endsWith("\r\u001b[K"), out);
    assertFalse(out.contains("\n"), out);
  }

  @Test
  void neverInCiOrADumbTerminalOrWhenTurnedOff() {
    assertFalse(ProgressLine.shown(Map.of("CI", "true", "TERM", "xterm")));
    assertFalse(ProgressLine.shown(Map.of("TERM", "dumb")));
    assertFalse(ProgressLine.shown(Map.of()));
    assertFalse(ProgressLine.shown(Map.of("TERM", "xterm", "MIGDIFF_PROGRESS", "off")));
  }

  @Test
  void notWhenStandardErrorIsNotATerminal() {
    // the test runner's standard error is a file or a pipe
    assertFalse(ProgressLine.shown(Map.of("TERM", "xterm")));
  }
}
