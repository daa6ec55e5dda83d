package dev.migdiff.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code radar --since}: the approxidate subset, and {@code --branches} globs. */
class SinceTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void relativeAndIsoDates() {
    assertEquals(Instant.parse("2026-01-30T12:00:00Z"), Since.parse("30.days", NOW));
    assertEquals(Instant.parse("2026-01-30T12:00:00Z"), Since.parse("30 days ago", NOW));
    assertEquals(Instant.parse("2026-02-15T12:00:00Z"), Since.parse("2.weeks.ago", NOW));
    assertEquals(Instant.parse("2025-12-01T12:00:00Z"), Since.parse("3.months", NOW));
    assertEquals(Instant.parse("2025-03-01T12:00:00Z"), Since.parse("1.year", NOW));
    assertEquals(Instant.parse("2026-01-31T00:00:00Z"), Since.parse("2026-01-31", NOW));
    assertEquals(Instant.parse("2026-01-31T10:00:00Z"), Since.parse("2026-01-31T12:00:00+02:00", NOW));
    assertThrows(IllegalArgumentException.class, () -> Since.parse("last.tuesday", NOW));
    assertThrows(IllegalArgumentException.class, () -> Since.parse("", NOW));
  }

  @Test
  void globs() {
    assertTrue(Since.glob("feature/*", "feature/a/b"));
    assertTrue(Since.glob("origin/fix-?", "origin/fix-1"));
    assertFalse(Since.glob("feature/*", "origin/feature/a"));
    assertTrue(Since.glob("feat/(x)+[y]", "feat/(x)+[y]"));
  }
}
