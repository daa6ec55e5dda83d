package dev.migdiff.testing;

import dev.migdiff.django.SourceTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** A {@link SourceTree} over a map of path to content, for tests of the Django layer. */
public final class MapSourceTree implements SourceTree {
  private final Map<String, byte[]> files = new TreeMap<>();

  public MapSourceTree(Map<String, byte[]> files) {
    this.files.putAll(files);
  }

  public static MapSourceTree of(Map<String, String> files) {
    Map<String, byte[]> m = new TreeMap<>();
    files.forEach((k, v) -> m.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return new MapSourceTree(m);
  }

  @Override
  public List<Entry> list(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    TreeSet<String> names = new TreeSet<>();
    List<Entry> out = new ArrayList<>();
    for (String path : files.keySet()) {
      if (path.startsWith(prefix)) {
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        if (names.add(name)) {
          out.add(new Entry(name, slash < 0 ? Kind.FILE : Kind.DIR, prefix + name));
        }
      }
    }
    return out;
  }

  @Override
  public Optional<Entry> entry(String path) {
    if (files.containsKey(path)) {
      return Optional.of(new Entry(path.substring(path.lastIndexOf('/') + 1), Kind.FILE, path));
    }
    String prefix = path + "/";
    for (String p : files.keySet()) {
      if (p.startsWith(prefix)) {
        return Optional.of(new Entry(path.substring(path.lastIndexOf('/') + 1), Kind.DIR, path));
      }
    }
    return Optional.empty();
  }

  @Override
  public byte[] read(Entry file) {
    return files.get(file.id());
  }

  @Override
  public List<String> findDirectories(String name) {
    TreeSet<String> out = new TreeSet<>();
    for (String p : files.keySet()) {
      String[] parts = p.split("/");
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < parts.length - 1; i++) {
        b.append(i == 0 ? "" : "/").append(parts[i]);
        if (parts[i].equals(name)) {
          out.add(b.toString());
        }
      }
    }
    return new ArrayList<>(out);
  }
}
