package dev.migdiff.db;

import java.time.Instant;

/**
 * One row of Django's {@code django_migrations} table.
 *
 * @param applied when it was applied, or null when the stored value cannot be read
 */
public record AppliedRow(String app, String name, Instant applied) {}
