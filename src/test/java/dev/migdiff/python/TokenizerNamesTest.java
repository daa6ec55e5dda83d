package dev.migdiff.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer's ASCII shortcut for names answers as the general rule does (Python's, by
 * Unicode's identifier properties) for every ASCII character, at a name's start and inside it.
 */
class TokenizerNamesTest {
  @Test
  void everyAsciiCharacterStartsOrContinuesANameAsTheUnicodeRuleSays() {
    for (char c = 0; c < 128; c++) {
      boolean part = c == '_' || Character.isUnicodeIdentifierPart(c)
          && !Character.isIdentifierIgnorable(c);
      boolean start = c == '_' || Character.isUnicodeIdentifierStart(c);
      List<Token> inside = Tokenizer.tokenize("a" + c + "b\n", new ArrayList<>());
      assertEquals(part, inside.get(0).type() == Token.Type.NAME
          && inside.get(0).text().equals("a" + c + "b"), "inside a name: " + (int) c);
      if (c != '\n' && c != '\r') {
        List<Token> first = Tokenizer.tokenize(c + "b\n", new ArrayList<>());
        assertEquals(start, first.get(0).type() == Token.Type.NAME
            && first.get(0).text().equals(c + "b"), "starting a name: " + (int) c);
      }
    }
  }
}
