package dev.migdiff.graph;

import dev.migdiff.django.MigrationKey;
import java.util.List;

/**
 * The {@code migrate} commands that unapply a set of migrations, in order, and what they unapply.
 *
 * @param commands one per {@code migrate app target} call, in the order to run them
 * @param unapply every migration unapplied, in Django's execution order
 * @param collateral unapplied migrations that were not asked for (Django's rule forced them)
 * @param unreachable migrations no command can unapply (e.g. only ambiguous targets)
 */
public record SwitchPlan(List<Command> commands, List<MigrationKey> unapply,
    List<MigrationKey> collateral, List<MigrationKey> unreachable) {

  /** {@code migrate app target}; target null means {@code zero}. */
  public record Command(String app, String target, List<MigrationKey> unapplies) {}
}
