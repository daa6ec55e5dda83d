package dev.migdiff.analysis;

import dev.migdiff.db.AppliedRow;
import dev.migdiff.django.MigrationKey;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a database has applied: its rows of {@code django_migrations}, and their keys (made once:
 * a large project has a hundred thousand rows, asked about for every migration).
 */
public final class DatabaseState {
  private final String url;
  private final String source;
  private final List<AppliedRow> rows;
  private final String linkAs;
  private final Set<MigrationKey> keys;

  /**
   * @param url the database, without its password
   * @param source how it was found ("--database", "DATABASE_URL", ".env", "db.sqlite3 next to
   *     manage.py")
   * @param linkAs for a SQLite file inside the work tree, its path relative to manage.py's
   *     directory (a worktree of another revision needs a link there to reach the same file);
   *     else null
   */
  public DatabaseState(String url, String source, List<AppliedRow> rows, String linkAs) {
    this.url = url;
    this.source = source;
    this.rows = List.copyOf(rows);
    this.linkAs = linkAs;
    Set<MigrationKey> k = new LinkedHashSet<>();
    for (AppliedRow r : rows) {
      k.add(new MigrationKey(r.app(), r.name()));
    }
    this.keys = Collections.unmodifiableSet(k);
  }

  public String url() {
    return url;
  }

  public String source() {
    return source;
  }

  public List<AppliedRow> rows() {
    return rows;
  }

  public String linkAs() {
    return linkAs;
  }

  /** The applied migrations, in the order Django applied them. */
  public Set<MigrationKey> keys() {
    return keys;
  }
}
