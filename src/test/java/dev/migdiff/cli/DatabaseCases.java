package dev.migdiff.cli;

import static dev.migdiff.testing.Django.migration;

import dev.migdiff.testing.Django;
import dev.migdiff.testing.RepoBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Golden cases of {@code migdiff status} and of {@code migdiff FROM TO} with a database: real
 * SQLite files next to manage.py, written by the test with fixed times (the applied times are
 * in the output), and the database errors.
 */
final class DatabaseCases {
  private DatabaseCases() {}

  static List<CliCases.Case> all() {
    List<CliCases.Case> c = new ArrayList<>();
    c.add(new CliCases.Case("status-in-line", IN_LINE, List.of("status")));
    c.add(new CliCases.Case("status-phantoms", PHANTOMS, List.of("status")));
    c.add(new CliCases.Case("status-phantoms-json", PHANTOMS,
        List.of("status", "--format", "json")));
    c.add(new CliCases.Case("status-other-ref", PHANTOMS, List.of("status", "feature")));
    c.add(new CliCases.Case("diff-with-database", IN_LINE, List.of("main", "feature")));
    c.add(new CliCases.Case("diff-with-database-json", IN_LINE,
        List.of("diff", "--format", "json", "main", "feature")));
    c.add(new CliCases.Case("diff-no-database", IN_LINE,
        List.of("diff", "--no-database", "main", "feature")));
    c.add(new CliCases.Case("diff-database-phantoms", PHANTOMS, List.of("main", "feature")));
    c.add(new CliCases.Case("status-inconsistent", INCONSISTENT, List.of("status")));
    c.add(new CliCases.Case("status-squash-partial", SQUASH_PARTIAL, List.of("status")));
    c.add(new CliCases.Case("status-no-database", NO_DATABASE, List.of("status")));
    c.add(new CliCases.Case("status-missing-file", NO_DATABASE,
        List.of("status", "--database", "sqlite:///nowhere/db.sqlite3")));
    c.add(new CliCases.Case("status-not-a-database", NOT_A_DATABASE, List.of("status")));
    c.add(new CliCases.Case("status-no-table", NO_TABLE, List.of("status")));
    c.add(new CliCases.Case("status-unsupported-url", NO_DATABASE,
        List.of("status", "--database", "mysql://root:hunter2@db/app")));
    c.add(new CliCases.Case("status-not-a-url", NO_DATABASE,
        List.of("status", "--database", "db.sqlite3")));
    c.add(new CliCases.Case("status-memory", NO_DATABASE,
        List.of("status", "--database", "sqlite://:memory:")));
    c.add(new CliCases.Case("status-no-database-option", IN_LINE,
        List.of("status", "--no-database")));
    c.add(new CliCases.Case("status-dotenv", DOTENV, List.of("status")));
    return c;
  }

  /** Rows for Django's own apps, as a real migrate leaves them. */
  private static final String[][] CONTRIB = {
      {"contenttypes", "0001_initial"}, {"auth", "0001_initial"},
      {"contenttypes", "0002_remove_content_type_name"},
      {"auth", "0012_alter_user_first_name_max_length"}};

  /** blog 0001..0002 on main; feature adds blog 0003_feature and shop 0002_feature. */
  private static void twoBranches(RepoBuilder r) {
    Django.project(r, List.of("blog", "shop"), "USE_TZ = True\n");
    r.file("blog/migrations/0001_initial.py",
        migration("(\"auth\", \"0012_alter_user_first_name_max_length\")"));
    r.file("blog/migrations/0002_post_slug.py", migration("(\"blog\", \"0001_initial\")"));
    r.file("shop/migrations/0001_initial.py", migration("(\"blog\", \"0001_initial\")"));
    r.commit("initial");
    r.branch("feature");
    r.file("blog/migrations/0003_feature.py", migration("(\"blog\", \"0002_post_slug\")",
        "    operations = [migrations.RunPython(lambda apps, schema_editor: None)]\n"));
    r.file("shop/migrations/0002_feature.py", migration("(\"blog\", \"0003_feature\")"));
    r.commit("feature work");
    r.checkout("main");
    r.file("shop/migrations/0002_main.py", migration("(\"shop\", \"0001_initial\")"));
    r.commit("main work");
  }

  /** On main, everything of main applied but its newest migration. */
  static final CliCases.Scenario IN_LINE = new CliCases.Scenario("db-in-line", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
    sqlite(dir.resolve("db.sqlite3"), "blog.0001_initial", "blog.0002_post_slug",
        "shop.0001_initial");
  });

  /** On main, with feature's migrations still applied (and main's own not yet). */
  static final CliCases.Scenario PHANTOMS = new CliCases.Scenario("db-phantoms", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
    sqlite(dir.resolve("db.sqlite3"), "blog.0001_initial", "blog.0002_post_slug",
        "shop.0001_initial", "blog.0003_feature", "shop.0002_feature");
  });

  /** blog.0002 applied without blog.0001: Django raises InconsistentMigrationHistory. */
  static final CliCases.Scenario INCONSISTENT = new CliCases.Scenario("db-inconsistent", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
    sqlite(dir.resolve("db.sqlite3"), "blog.0002_post_slug");
  });

  /** A squash of blog 0001..0003 whose replaced migrations are only partly applied. */
  static final CliCases.Scenario SQUASH_PARTIAL = new CliCases.Scenario("db-squash", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      Django.project(r, List.of("blog"), "USE_TZ = True\n");
      r.file("blog/migrations/0001_initial.py", migration(""));
      r.file("blog/migrations/0002_b.py", migration("(\"blog\", \"0001_initial\")"));
      r.file("blog/migrations/0003_c.py", migration("(\"blog\", \"0002_b\")"));
      r.file("blog/migrations/0001_squashed_0003_c.py", migration("",
          "    replaces = [(\"blog\", \"0001_initial\"), (\"blog\", \"0002_b\"), "
              + "(\"blog\", \"0003_c\")]\n"));
      r.file("blog/migrations/0004_d.py", migration("(\"blog\", \"0003_c\")"));
      r.commit("squashed");
    }
    sqlite(dir.resolve("db.sqlite3"), "blog.0001_initial", "blog.0002_b");
  });

  static final CliCases.Scenario NO_DATABASE = new CliCases.Scenario("db-none", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
  });

  static final CliCases.Scenario NOT_A_DATABASE = new CliCases.Scenario("db-garbage", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
    write(dir.resolve("db.sqlite3"), "this is not a SQLite file, it only has the name of one\n");
  });

  static final CliCases.Scenario NO_TABLE = new CliCases.Scenario("db-no-table", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
    try (Connection c = open(dir.resolve("db.sqlite3")); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE other (id integer)");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  });

  /** DATABASE_URL in .env names a SQLite file elsewhere in the work tree. */
  static final CliCases.Scenario DOTENV = new CliCases.Scenario("db-dotenv", dir -> {
    try (RepoBuilder r = RepoBuilder.init(dir)) {
      twoBranches(r);
    }
    write(dir.resolve(".env"), "# local settings\nexport DATABASE_URL='sqlite:///var/dev.db'\n");
    sqlite(dir.resolve("var/dev.db"), "blog.0001_initial", "blog.0002_post_slug",
        "shop.0001_initial", "blog.0003_feature");
  });

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A django_migrations table as Django's SQLite backend writes it, one second per row. */
  static void sqlite(Path file, String... applied) {
    write(file.resolveSibling(".keep"), "");
    try (Connection c = open(file); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE \"django_migrations\" (\"id\" integer NOT NULL PRIMARY KEY "
          + "AUTOINCREMENT, \"app\" varchar(255) NOT NULL, \"name\" varchar(255) NOT NULL, "
          + "\"applied\" datetime NOT NULL)");
      List<String> rows = new ArrayList<>();
      for (String[] r : CONTRIB) {
        rows.add(r[0] + "." + r[1]);
      }
      rows.addAll(List.of(applied));
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)")) {
        int second = 0;
        for (String row : rows) {
          int dot = row.indexOf('.');
          ps.setString(1, row.substring(0, dot));
          ps.setString(2, row.substring(dot + 1));
          ps.setString(3, String.format("2026-01-02 03:04:%02d.123456", second++));
          ps.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static Connection open(Path file) throws SQLException {
    return new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new Properties());
  }
}
