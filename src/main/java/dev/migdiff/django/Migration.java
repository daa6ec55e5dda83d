package dev.migdiff.django;

import dev.migdiff.python.Expr;
import dev.migdiff.python.Position;
import java.util.List;
import java.util.function.Supplier;

/**
 * What migdiff knows of one migration file, read statically: the attributes of its
 * {@code class Migration}. {@code operations} are the parsed call trees, for reversibility and
 * deploy-safety analysis, parsed when first asked for.
 */
public record Migration(MigrationKey key, String path, String blobId, Position classPos,
    List<Dependency> dependencies, List<Dependency> runBefore, List<Dependency> replaces,
    Boolean initial, boolean atomic, Supplier<List<Expr>> operationsSource) {

  public Migration {
    operationsSource = OperationSource.of(operationsSource);
  }

  /** A migration whose operations are already parsed. */
  public Migration(MigrationKey key, String path, String blobId, Position classPos,
      List<Dependency> dependencies, List<Dependency> runBefore, List<Dependency> replaces,
      Boolean initial, boolean atomic, List<Expr> operations) {
    this(key, path, blobId, classPos, dependencies, runBefore, replaces, initial, atomic,
        () -> operations);
  }

  /**
   * The operations' call trees. Graph building never needs them, so migration files are first
   * read without them, and they are parsed on first use (for reversibility, say).
   */
  public List<Expr> operations() {
    return operationsSource.get();
  }

  /** What the operations do to model fields, decoded once (see {@link OperationSource}). */
  List<FieldState.Effect> fieldEffects() {
    return ((OperationSource) operationsSource).effects();
  }

  /** Whether the operations change a field of one of {@code models} (lower-case names). */
  boolean touchesFields(java.util.Set<String> models) {
    return ((OperationSource) operationsSource).touches(models);
  }

  /** One {@code (app_label, name)} entry of dependencies, run_before or replaces. */
  public record Dependency(MigrationKey key, Position pos, String swappableSetting) {
    public static Dependency of(String app, String name) {
      return new Dependency(new MigrationKey(app, name), null, null);
    }
  }

  public List<MigrationKey> replacedKeys() {
    return keysOf(replaces);
  }

  /** The keys of {@code deps}, in order (a loop, not a stream: asked of every migration). */
  public static List<MigrationKey> keysOf(List<Dependency> deps) {
    if (deps.isEmpty()) {
      return List.of();
    }
    MigrationKey[] out = new MigrationKey[deps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = deps.get(i).key();
    }
    return java.util.Collections.unmodifiableList(java.util.Arrays.asList(out));
  }
}
