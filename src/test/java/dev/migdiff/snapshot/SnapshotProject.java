package dev.migdiff.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.migdiff.cli.Main;
import dev.migdiff.testing.Django;
import dev.migdiff.testing.DjangoOracle;
import dev.migdiff.testing.RepoBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A small real Django project for the snapshot tests: blog 0001 (Post) and 0002 (Post.body) on
 * both branches; main adds 0003_main (removes Post.body, with a RunPython without reverse), and
 * feature adds 0003_feature (Tag). Run with real Django (/usr/bin/python3).
 */
final class SnapshotProject {
  static final String POST = "    operations = [migrations.CreateModel(name=\"Post\", fields=["
      + "(\"id\", models.AutoField(primary_key=True)), "
      + "(\"title\", models.CharField(max_length=50))])]\n";
  static final String BODY = "    operations = [migrations.AddField(\"post\", \"body\", "
      + "models.TextField(default=\"\"))]\n";
  static final String REMOVE_BODY = "    operations = [migrations.RemoveField(\"post\", \"body\"), "
      + "migrations.RunPython(lambda apps, schema_editor: None)]\n";
  static final String TAG = "    operations = [migrations.CreateModel(name=\"Tag\", fields=["
      + "(\"id\", models.AutoField(primary_key=True))])]\n";

  final Path dir;
  final String mainCommit;
  final String featureCommit;

  private SnapshotProject(Path dir, String mainCommit, String featureCommit) {
    this.dir = dir;
    this.mainCommit = mainCommit;
    this.featureCommit = featureCommit;
  }

  /** The project, on main; {@code databases} is the DATABASES setting's Python text. */
  static SnapshotProject create(Path dir, String databases) {
    String settings = "import os\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath("
        + "__file__)))\nUSE_TZ = True\nDEFAULT_AUTO_FIELD = \"django.db.models.AutoField\"\n"
        + "DATABASES = " + databases + "\n";
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog"), settings);
      r.file(".gitignore", "db.sqlite3\n*.db\n__pycache__/\n");
      r.file("blog/migrations/0001_initial.py", Django.migration("", POST));
      r.file("blog/migrations/0002_post_body.py",
          Django.migration("(\"blog\", \"0001_initial\")", BODY));
      r.commit("base");
      r.branch("feature");
      r.file("blog/migrations/0003_feature.py",
          Django.migration("(\"blog\", \"0002_post_body\")", TAG));
      String feature = r.commit("feature: tags");
      r.checkout("main");
      r.file("blog/migrations/0003_main.py",
          Django.migration("(\"blog\", \"0002_post_body\")", REMOVE_BODY));
      String main = r.commit("main: no body");
      return new SnapshotProject(dir, main, feature);
    }
  }

  static final String SQLITE = "{\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\", "
      + "\"NAME\": os.path.join(BASE_DIR, \"db.sqlite3\")}}";

  Path sqlite() {
    return dir.resolve("db.sqlite3");
  }

  void checkout(String branch) {
    try (var git = org.eclipse.jgit.api.Git.open(dir.toFile())) {
      git.checkout().setName(branch).call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code python manage.py ARGS} with real Django; returns its stdout. */
  String manage(String... args) {
    List<String> cmd = new ArrayList<>(List.of(DjangoOracle.PYTHON, "manage.py"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("manage.py " + String.join(" ", args) + " failed:\n" + out);
      }
      return out;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The applied migrations Django's showmigrations marks [X], as app.name. */
  TreeSet<String> showmigrations() {
    TreeSet<String> out = new TreeSet<>();
    String app = null;
    for (String line : manage("showmigrations", "--list").split("\n")) {
      if (!line.startsWith(" ")) {
        app = line.strip();
      } else if (line.strip().startsWith("[X]")) {
        out.add(app + "." + line.strip().substring(4).strip());
      }
    }
    return out;
  }

  /** Runs migdiff in the project with an empty environment: exit code, stdout, stderr. */
  List<String> migdiff(String... args) {
    return migdiff(Map.of(), args);
  }

  List<String> migdiff(Map<String, String> env, String... args) {
    List<String> full = new ArrayList<>(List.of("-C", dir.toString()));
    full.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(full.toArray(String[]::new), new PrintStream(out, true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return List.of(Integer.toString(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  List<String> ok(String... args) {
    List<String> r = migdiff(args);
    assertEquals("0", r.get(0), String.join(" ", args) + " -> " + r);
    return r;
  }

  /** Rows of a SQLite file's django_migrations as app.name, in order. */
  static List<String> rows(Path file) {
    return query(file, "SELECT app || '.' || name FROM django_migrations ORDER BY id");
  }

  static List<String> query(Path file, String sql) {
    try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new Properties());
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  static void execute(Path file, String sql) {
    try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new Properties());
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
