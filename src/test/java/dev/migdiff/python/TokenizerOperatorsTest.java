package dev.migdiff.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every operator, the longest one first, and every token's column (in code points, after
 * characters outside the Basic Multilingual Plane too), as CPython's {@code tokenize} gives them:
 * each expectation below is CPython 3.11's output for its line (NAME, NUMBER, STRING and OP
 * tokens; text and 1-based column, separated by spaces; a string's text in single quotes).
 */
class TokenizerOperatorsTest {
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '"', value = {
      "a **= b //= c >>= d <<= e => a@1 **=@3 b@7 //=@9 c@13 >>=@15 d@19 <<=@21 e@25",
      "f(*a, **k) // 2 >> 1 << 3 <= 4 >= 5 == 6 != 7 => f@1 (@2 *@3 a@4 ,@5 **@7 k@9 )@10 //@12"
          + " 2@15 >>@17 1@20 <<@22 3@25 <=@27 4@30 >=@32 5@35 ==@37 6@40 !=@42 7@45",
      "def g() -> int: return (x := 1) => def@1 g@5 (@6 )@7 ->@9 int@12 :@15 return@17 (@24"
          + " x@25 :=@27 1@30 )@31",
      "a += 1; a -= 1; a *= 2; a /= 2; a %= 3; a &= 4; a |= 5; a ^= 6; a @= m => a@1 +=@3 1@6"
          + " ;@7 a@9 -=@11 1@14 ;@15 a@17 *=@19 2@22 ;@23 a@25 /=@27 2@30 ;@31 a@33 %=@35 3@38"
          + " ;@39 a@41 &=@43 4@46 ;@47 a@49 |=@51 5@54 ;@55 a@57 ^=@59 6@62 ;@63 a@65 @=@67"
          + " m@70",
      "x = ...; y = a.b.c; z = -1 ** 2 ~ 3 < 4 > 5 @ m => x@1 =@3 ...@5 ;@8 y@10 =@12 a@14 .@15"
          + " b@16 .@17 c@18 ;@19 z@21 =@23 -@25 1@26 **@28 2@31 ~@33 3@35 <@37 4@39 >@41 5@43"
          + " @@45 m@47",
      "a..b => a@1 .@2 .@3 b@4",
      "p = a<>b => p@1 =@3 a@5 <@6 >@7 b@8",
      "q = 2-->1 => q@1 =@3 2@5 -@6 ->@7 1@9",
      "s = '\uD83D\uDE00' + '\u00E9'; t = 1 => s@1 =@3 '\uD83D\uDE00'@5 +@9 '\u00E9'@11 ;@14 t@16"
          + " =@18 1@20",
      "u = '\uD83D\uDE00\uD83D\uDE00'; v = x => u@1 =@3 '\uD83D\uDE00\uD83D\uDE00'@5 ;@9 v@11"
          + " =@13 x@15",
  })
  void operatorsAndColumnsAreCPythons(String line, String expected) {
    List<String> got = new ArrayList<>();
    for (Token t : Tokenizer.tokenize(line + "\n", new ArrayList<>())) {
      switch (t.type()) {
        case NAME, NUMBER, STRING, OP -> got.add(t.text() + "@" + t.pos().column());
        default -> { }
      }
    }
    assertEquals(expected, String.join(" ", got));
  }
}
