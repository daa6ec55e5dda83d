package dev.migdiff.django;

import dev.migdiff.python.Module;
import java.util.HashMap;
import java.util.Map;

/**
 * What the revisions of one run share: parsed settings and apps modules by content id, and read
 * migrations by path, content id and the settings they depend on. A migration unchanged between
 * FROM, TO, their merge base and the merged tree is read once, and only the small {@link
 * Migration} is kept, not its syntax tree.
 */
public final class ParseCache {
  final Map<String, Module> modules = new HashMap<>();
  final Map<String, MigrationReader.Result> migrations = new HashMap<>();
}
