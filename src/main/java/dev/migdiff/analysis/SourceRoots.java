package dev.migdiff.analysis;

import dev.migdiff.django.SourceTree;
import dev.migdiff.python.Expr;
import dev.migdiff.python.PythonParser;
import dev.migdiff.python.Stmt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The directories that installing the repository's own package puts on {@code sys.path}, read
 * from its packaging files at the repository root: {@code package_dir} and {@code find_packages}
 * in setup.py and setup.cfg, and pyproject.toml for setuptools, hatch, poetry and pdm. A project
 * such as django-oscar keeps its apps in {@code src/oscar/...} and Django finds them only because
 * the package is installed; without any declaration a plain {@code src/} directory counts, as
 * setuptools' automatic discovery, flit and pdm treat it.
 */
public final class SourceRoots {
  private SourceRoots() {}

  /** The declared source roots that exist as directories, in declaration order. */
  public static List<String> detect(SourceTree tree) throws IOException {
    return existing(tree, declared(tree));
  }

  /**
   * As {@link #detect(SourceTree)}, with the declarations kept by the blob ids of the three
   * packaging files ({@code run} for this run, {@code store} between runs): parsing a
   * pyproject.toml is a tenth of a short run, and most revisions share their packaging files.
   */
  static List<String> detect(SourceTree tree, dev.migdiff.django.ObjectCache store,
      Map<String, List<String>> run) throws IOException {
    StringBuilder ids = new StringBuilder("1");
    for (String file : FILES) {
      Optional<SourceTree.Entry> e = tree.entry(file);
      String id = e.isPresent() && e.get().kind() == SourceTree.Kind.FILE ? e.get().id() : "-";
      if (!id.equals("-") && !dev.migdiff.django.ObjectCache.isObjectId(id)) {
        return detect(tree); // a merged file: no object id to key it by
      }
      ids.append(' ').append(id);
    }
    String key = ids.toString();
    List<String> declared = run.get(key);
    if (declared == null) {
      String storeKey = dev.migdiff.django.ObjectCache.key(key);
      byte[] stored = store.get(KIND, storeKey);
      declared = stored == null ? null : decode(stored);
      if (declared == null) {
        declared = declared(tree);
        store.put(KIND, storeKey, (HEADER + String.join("\n", declared))
            .getBytes(StandardCharsets.UTF_8));
      }
      run.put(key, declared);
    }
    return existing(tree, declared);
  }

  private static final String KIND = "sourceroots";
  private static final String HEADER = "source-roots 1\n";

  /**
   * The roots a stored value declares: null unless it has the header and every root is a
   * directory inside the repository as {@link #normalize} writes it (anything else is not what
   * this class stored: read the files again).
   */
  private static List<String> decode(byte[] stored) {
    String text = new String(stored, StandardCharsets.UTF_8);
    if (!text.startsWith(HEADER)) {
      return null;
    }
    text = text.substring(HEADER.length());
    List<String> roots = text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    for (String r : roots) {
      if (!r.equals(normalize(r))) {
        return null;
      }
    }
    return roots;
  }

  private static final List<String> FILES = List.of("pyproject.toml", "setup.cfg", "setup.py");

  private static List<String> existing(SourceTree tree, List<String> declared)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String d : declared) {
      Optional<SourceTree.Entry> e = d.isEmpty() ? Optional.empty() : tree.entry(d);
      if (d.isEmpty() || e.isPresent() && e.get().kind() == SourceTree.Kind.DIR) {
        out.add(d);
      }
    }
    return List.copyOf(out);
  }

  /** What the packaging files declare (a plain {@code src} when nothing), in order. */
  private static List<String> declared(SourceTree tree) throws IOException {
    Set<String> declared = new LinkedHashSet<>();
    String pyproject = text(tree, "pyproject.toml");
    if (pyproject != null) {
      fromPyproject(pyproject, declared);
    }
    String cfg = text(tree, "setup.cfg");
    if (cfg != null) {
      fromSetupCfg(cfg, declared);
    }
    String setupPy = text(tree, "setup.py");
    if (setupPy != null) {
      fromSetupPy(setupPy, declared);
    }
    if (declared.isEmpty()) {
      declared.add("src");
    }
    return List.copyOf(declared);
  }

  /** A relative directory without {@code ./} or trailing slashes; null when it leaves the tree. */
  static String normalize(String dir) {
    String d = dir.strip().replace('\\', '/');
    while (d.startsWith("./")) {
      d = d.substring(2);
    }
    while (d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.equals(".")) {
      return "";
    }
    if (d.startsWith("/") || d.contains(":") || List.of(d.split("/")).contains("..")) {
      return null;
    }
    return d;
  }

  private static void add(Set<String> out, String dir) {
    String d = dir == null ? null : normalize(dir);
    if (d != null) {
      out.add(d);
    }
  }

  /** {@code {"": "src"}} gives {@code src}; {@code {"pkg": "src/pkg"}} gives {@code src} too. */
  private static void packageDir(String pkg, String dir, Set<String> out) {
    String d = normalize(dir);
    if (d == null) {
      return;
    }
    if (pkg.isEmpty()) {
      out.add(d);
      return;
    }
    String tail = pkg.replace('.', '/');
    if (d.equals(tail)) {
      out.add("");
    } else if (d.endsWith("/" + tail)) {
      out.add(d.substring(0, d.length() - tail.length() - 1));
    }
  }

  private static void fromPyproject(String text, Set<String> out) {
    // (the keys read below: without one of them, the file declares no root and is not parsed)
    if (!PyprojectConfig.mayName(text, "package-dir", "where", "packages", "sources")) {
      return;
    }
    TomlParseResult toml = Toml.parse(text);
    if (toml.hasErrors()) {
      return;
    }
    TomlTable setuptools = table(toml, "tool.setuptools");
    if (setuptools != null) {
      TomlTable pd = setuptools.getTable(List.of("package-dir"));
      if (pd != null) {
        for (String k : pd.keySet()) {
          if (pd.get(List.of(k)) instanceof String v) {
            packageDir(k, v, out);
          }
        }
      }
      strings(setuptools.get(List.of("packages", "find", "where")), out::add);
    }
    for (String path : List.of("tool.hatch.build.targets.wheel", "tool.hatch.build")) {
      TomlTable hatch = table(toml, path);
      if (hatch == null) {
        continue;
      }
      // packages = ["src/foo"]: the package directory's parent becomes the root.
      strings(hatch.get(List.of("packages")), p -> add(out, parent(p)));
      Object sources = hatch.get(List.of("sources"));
      strings(sources, p -> add(out, p));
      if (sources instanceof TomlTable rewrite) {
        for (String k : rewrite.keySet()) {
          if ("".equals(rewrite.get(List.of(k)))) {
            add(out, k);
          }
        }
      }
    }
    TomlTable poetry = table(toml, "tool.poetry");
    if (poetry != null && poetry.get(List.of("packages")) instanceof TomlArray pkgs) {
      for (int i = 0; i < pkgs.size(); i++) {
        if (pkgs.get(i) instanceof TomlTable p && p.get(List.of("from")) instanceof String from) {
          add(out, from);
        }
      }
    }
    TomlTable pdm = table(toml, "tool.pdm.build");
    if (pdm != null && pdm.get(List.of("package-dir")) instanceof String dir) {
      add(out, dir);
    }
  }

  private static TomlTable table(TomlParseResult toml, String dotted) {
    try {
      return toml.getTable(dotted);
    } catch (IllegalArgumentException | org.tomlj.TomlInvalidTypeException e) {
      return null;
    }
  }

  private static void strings(Object v, java.util.function.Consumer<String> sink) {
    if (v instanceof TomlArray a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) instanceof String s) {
          sink.accept(s);
        }
      }
    }
  }

  private static String parent(String path) {
    String d = normalize(path);
    return d == null ? null : SourceTree.parent(d);
  }

  /** setup.cfg: {@code [options] package_dir = =src} and {@code [options.packages.find] where}. */
  private static void fromSetupCfg(String text, Set<String> out) {
    Map<String, String> options = IniSection.read(text, "options");
    String pd = options.get("package_dir");
    if (pd != null) {
      for (String line : pd.split("\n")) {
        int eq = line.indexOf('=');
        if (eq >= 0) {
          packageDir(line.substring(0, eq).strip(), line.substring(eq + 1).strip(), out);
        }
      }
    }
    String where = IniSection.read(text, "options.packages.find").get("where");
    if (where != null) {
      for (String line : where.split("\n")) {
        if (!line.isBlank()) {
          add(out, line);
        }
      }
    }
  }

  /** setup.py, parsed (never run): {@code package_dir={...}} and {@code find_packages("src")}. */
  private static void fromSetupPy(String text, Set<String> out) {
    List<Expr.Call> calls = new ArrayList<>();
    for (Stmt s : PythonParser.parse(text.getBytes(StandardCharsets.UTF_8)).body()) {
      collectCalls(s, calls);
    }
    for (Expr.Call c : calls) {
      String func = c.func() instanceof Expr.Name n ? n.id()
          : c.func() instanceof Expr.Attribute a ? a.attr() : "";
      if (func.equals("find_packages") || func.equals("find_namespace_packages")) {
        if (!c.args().isEmpty() && c.args().get(0) instanceof Expr.Str s) {
          add(out, s.value());
        }
        for (Expr.Keyword k : c.keywords()) {
          if ("where".equals(k.name()) && k.value() instanceof Expr.Str s) {
            add(out, s.value());
          }
        }
      }
      for (Expr.Keyword k : c.keywords()) {
        if ("package_dir".equals(k.name()) && k.value() instanceof Expr.Dict d) {
          for (Expr.DictEntry e : d.entries()) {
            if (e.key() instanceof Expr.Str key && e.value() instanceof Expr.Str value) {
              packageDir(key.value(), value.value(), out);
            }
          }
        }
      }
    }
  }

  private static void collectCalls(Stmt s, List<Expr.Call> out) {
    if (s instanceof Stmt.ExprStmt e) {
      collectCalls(e.value(), out);
    } else if (s instanceof Stmt.Assign a) {
      collectCalls(a.value(), out);
    } else if (s instanceof Stmt.Compound c) {
      for (Stmt b : c.body()) {
        collectCalls(b, out);
      }
    }
  }

  private static void collectCalls(Expr e, List<Expr.Call> out) {
    if (e instanceof Expr.Call c) {
      out.add(c);
      c.args().forEach(x -> collectCalls(x, out));
      c.keywords().forEach(k -> collectCalls(k.value(), out));
    } else if (e instanceof Expr.BinOp b) {
      collectCalls(b.left(), out);
      collectCalls(b.right(), out);
    } else if (e instanceof Expr.ListExpr l) {
      l.elements().forEach(x -> collectCalls(x, out));
    } else if (e instanceof Expr.Tuple t) {
      t.elements().forEach(x -> collectCalls(x, out));
    }
  }

  private static String text(SourceTree tree, String path) throws IOException {
    Optional<SourceTree.Entry> e = tree.entry(path);
    if (e.isEmpty() || e.get().kind() != SourceTree.Kind.FILE) {
      return null;
    }
    byte[] content = tree.read(e.get());
    return content.length > 1024 * 1024 ? null : new String(content, StandardCharsets.UTF_8);
  }
}
