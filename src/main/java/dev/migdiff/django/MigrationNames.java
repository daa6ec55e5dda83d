package dev.migdiff.django;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The migration module names of a migrations package, as {@code pkgutil.iter_modules} filtered
 * by Django ({@code not is_pkg and name[0] not in "_~"}) yields them from a directory listing.
 */
final class MigrationNames {
  private MigrationNames() {}

  /** A module found in the directory: its name and the entry it comes from. */
  record Found(String name, SourceTree.Entry entry) {}

  /** Import suffixes, longest first, as {@code inspect.getmodulename} tries them. */
  private static final List<String> SUFFIXES = List.of(".cpython-311-x86_64-linux-gnu.so",
      ".abi3.so", ".pyc", ".so", ".py");

  static List<Found> list(SourceTree tree, String dir) throws IOException {
    List<SourceTree.Entry> entries = new ArrayList<>(tree.list(dir));
    entries.sort((a, b) -> MigrationKey.comparePython(a.name(), b.name()));
    Set<String> yielded = new HashSet<>();
    List<Found> out = new ArrayList<>();
    for (SourceTree.Entry e : entries) {
      String modname = moduleName(e.name());
      if ("__init__".equals(modname) || (modname != null && yielded.contains(modname))) {
        continue;
      }
      boolean isPkg = false;
      if (modname == null && e.kind() == SourceTree.Kind.DIR && !e.name().contains(".")) {
        modname = e.name();
        isPkg = tree.list(SourceTree.join(dir, e.name())).stream()
            .anyMatch(x -> "__init__".equals(moduleName(x.name())));
        if (!isPkg) {
          continue;
        }
      }
      if (modname != null && !modname.contains(".")) {
        yielded.add(modname);
        if (!isPkg && !modname.isEmpty() && modname.charAt(0) != '_'
            && modname.charAt(0) != '~') {
          out.add(new Found(modname, e));
        }
      }
    }
    return out;
  }

  /** {@code inspect.getmodulename}: the name without an import suffix, or null. */
  static String moduleName(String file) {
    for (String s : SUFFIXES) {
      if (file.endsWith(s)) {
        return file.substring(0, file.length() - s.length());
      }
    }
    return null;
  }
}
