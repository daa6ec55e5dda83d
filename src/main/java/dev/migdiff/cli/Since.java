package dev.migdiff.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of git's approxidate radar accepts ({@code 30.days}, {@code 2.weeks.ago},
 * {@code 3 months}, {@code 2026-01-31}, an ISO instant), and shell-like globs for branch names.
 */
final class Since {
  private static final Pattern RELATIVE = Pattern.compile(
      "(\\d{1,6})[. ]+(day|week|month|year)s?([. ]+ago)?", Pattern.CASE_INSENSITIVE);

  private Since() {}

  static Instant parse(String text, Instant now) {
    String s = text.trim();
    Matcher m = RELATIVE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      long days = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
        case "day" -> n;
        case "week" -> 7 * n;
        case "month" -> 30 * n;
        default -> 365 * n;
      };
      return now.minus(days, ChronoUnit.DAYS);
    }
    try {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      // try a full timestamp
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Invalid value for option '--since': '" + text + "' (expected N.days, N.weeks, "
              + "N.months, N.years or an ISO date such as 2026-01-31)");
    }
  }

  /** Whether {@code name} matches {@code glob}: {@code *} any run (including '/'), {@code ?} one. */
  static boolean glob(String glob, String name) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return name.matches(re.toString());
  }
}
