package dev.migdiff.python;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.migdiff.testing.Bounded;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the decoder, the tokenizer and the parser on arbitrary
 * bytes: they must return tokens, a module and syntax problems, never throw, hang or overflow the
 * stack (a hang is an input that takes over 5 s). Without {@code JAZZER_FUZZ} each method replays its saved corpus
 * ({@code src/test/resources/dev/migdiff/python/ParserFuzzTestInputs/METHOD/}) as a normal test.
 */
class ParserFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void tokenize(byte[] source) {
    Bounded.run(() -> tokenizeOnce(source));
  }

  private static void tokenizeOnce(byte[] source) {
    SourceDecoder.Decoded d = SourceDecoder.decode(source);
    List<SyntaxProblem> problems = new ArrayList<>(d.problems());
    List<Token> tokens = Tokenizer.tokenize(d.text(), problems);
    assertNotNull(tokens);
    int lines = (int) d.text().chars().filter(c -> c == '\n' || c == '\r').count() + 2;
    for (SyntaxProblem p : problems) {
      assertTrue(p.pos().line() >= 1 && p.pos().line() <= lines, () -> "line out of range: " + p);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void parse(byte[] source) {
    Bounded.run(() -> parseOnce(source));
  }

  private static void parseOnce(byte[] source) {
    Module m = PythonParser.parse(source);
    assertNotNull(m.body());
    for (SyntaxProblem p : m.problems()) {
      assertNotNull(p.message());
      assertTrue(p.pos().line() >= 1 && p.pos().column() >= 1, () -> "bad position: " + p);
    }
  }
}
