package dev.migdiff.analysis;

import dev.migdiff.db.AppliedRow;
import dev.migdiff.django.MigrationKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a database has applied: its rows of {@code django_migrations}.
 *
 * @param url the database, without its password
 * @param source how it was found ("--database", "DATABASE_URL", ".env", "db.sqlite3 next to
 *     manage.py")
 * @param linkAs for a SQLite file inside the work tree, its path relative to manage.py's
 *     directory (a worktree of another revision needs a link there to reach the same file);
 *     else null
 */
public record DatabaseState(String url, String source, List<AppliedRow> rows, String linkAs) {

  public Set<MigrationKey> keys() {
    Set<MigrationKey> out = new LinkedHashSet<>();
    for (AppliedRow r : rows) {
      out.add(new MigrationKey(r.app(), r.name()));
    }
    return out;
  }
}
