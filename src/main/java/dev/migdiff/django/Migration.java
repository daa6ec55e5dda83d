package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Position;
import java.util.List;

/**
 * What migdiff knows of one migration file, read statically: the attributes of its
 * {@code class Migration}. {@code operations} are the parsed call trees, kept for
 * reversibility and deploy-safety analysis.
 */
public record Migration(MigrationKey key, String path, String blobId, Position classPos,
    List<Dependency> dependencies, List<Dependency> runBefore, List<Dependency> replaces,
    Boolean initial, boolean atomic, List<Expr> operations) {

  /** One {@code (app_label, name)} entry of dependencies, run_before or replaces. */
  public record Dependency(MigrationKey key, Position pos, String swappableSetting) {
    public static Dependency of(String app, String name) {
      return new Dependency(new MigrationKey(app, name), null, null);
    }
  }

  public List<MigrationKey> replacedKeys() {
    return replaces.stream().map(Dependency::key).toList();
  }
}
