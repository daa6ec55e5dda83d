package dev.migdiff.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A database named the way Django developers write it (dj-database-url): {@code sqlite:///rel},
 * {@code sqlite:////abs/path}, {@code postgres://user:pass@host:port/name?sslmode=require}.
 * {@link #toString()} never shows the password.
 */
public record DatabaseUrl(Engine engine, Path path, String host, int port, String name,
    String user, String password, Map<String, String> options) {

  /** The databases migdiff reads. */
  public enum Engine { SQLITE, POSTGRESQL }

  /** A SQLite file. */
  public static DatabaseUrl sqlite(Path file) {
    return new DatabaseUrl(Engine.SQLITE, file, null, 0, null, null, null, Map.of());
  }

  /**
   * Parses a URL; relative SQLite paths are resolved against {@code base} (where
   * {@code manage.py} runs).
   */
  public static DatabaseUrl parse(String url, Path base) throws DatabaseException {
    String hint = "write it as sqlite:///db.sqlite3, sqlite:////absolute/path or "
        + "postgres://user:password@host:5432/name";
    int colon = url.indexOf("://");
    if (colon <= 0) {
      throw new DatabaseException("not a database URL: '" + redact(url) + "'", hint);
    }
    String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = url.substring(colon + 3);
    switch (scheme) {
      case "sqlite", "spatialite" -> {
        String p = rest.startsWith("/") ? rest.substring(1) : rest;
        int q = p.indexOf('?');
        if (q >= 0) {
          p = p.substring(0, q);
        }
        if (p.isEmpty() || p.equals(":memory:")) {
          throw new DatabaseException("an in-memory SQLite database has no migrations to read",
              "point --database at the SQLite file Django uses");
        }
        Path file = Path.of(decode(p));
        return sqlite(file.isAbsolute() ? file : base.resolve(file).normalize());
      }
      case "postgres", "postgresql", "pgsql", "postgis" -> {
        return postgres(rest, hint);
      }
      case "mysql", "mysql2", "mysqlgis", "oracle", "mssql", "cockroach", "timescale" -> throw
          new DatabaseException("migdiff reads SQLite and PostgreSQL; " + scheme
              + " is not supported yet", "pass --no-database to plan from the files alone");
      default -> throw new DatabaseException("unknown database scheme '" + scheme + "'", hint);
    }
  }

  private static DatabaseUrl postgres(String rest, String hint) throws DatabaseException {
    Map<String, String> options = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String kv : rest.substring(q + 1).split("&")) {
        if (!kv.isEmpty()) {
          int eq = kv.indexOf('=');
          options.put(decode(eq < 0 ? kv : kv.substring(0, eq)),
              eq < 0 ? "" : decode(kv.substring(eq + 1)));
        }
      }
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String name = slash < 0 ? "" : decode(rest.substring(slash + 1));
    String user = null;
    String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int c = userInfo.indexOf(':');
      user = decode(c < 0 ? userInfo : userInfo.substring(0, c));
      password = c < 0 ? null : decode(userInfo.substring(c + 1));
    }
    String host = authority;
    int port = 5432;
    int c = authority.lastIndexOf(':');
    if (c >= 0 && !authority.endsWith("]")) {
      host = authority.substring(0, c);
      try {
        port = Integer.parseInt(authority.substring(c + 1));
      } catch (NumberFormatException e) {
        throw new DatabaseException("bad port in database URL: '"
            + authority.substring(c + 1) + "'", hint);
      }
    }
    host = decode(host);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "localhost";
    }
    if (host.startsWith("/")) {
      throw new DatabaseException("PostgreSQL over a Unix socket (" + host
          + ") is not supported", "use TCP: postgres://user:password@127.0.0.1:5432/" + name);
    }
    if (name.isEmpty()) {
      throw new DatabaseException("the database URL names no database", hint);
    }
    return new DatabaseUrl(Engine.POSTGRESQL, null, host, port, name, user, password,
        Map.copyOf(options));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code url} with any password replaced by {@code ***}, for messages about bad URLs. */
  static String redact(String url) {
    return url.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
  }

  /** The URL without its password. */
  @Override
  public String toString() {
    if (engine == Engine.SQLITE) {
      return "sqlite://" + (path.isAbsolute() ? "" : "/") + path;
    }
    return "postgres://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
        + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + name;
  }

  /**
   * The PostgreSQL driver's login properties for this URL: TLS options, user, password, and
   * connect and login timeouts of {@code timeout} (at least a second).
   */
  public java.util.Properties postgresLogin(java.time.Duration timeout) {
    java.util.Properties p = new java.util.Properties();
    options.forEach((k, v) -> {
      if (k.equals("sslmode") || k.equals("sslrootcert")) {
        p.setProperty(k, v);
      }
    });
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    int seconds = (int) Math.max(1, timeout.toSeconds());
    p.setProperty("connectTimeout", Integer.toString(seconds));
    p.setProperty("loginTimeout", Integer.toString(seconds));
    return p;
  }
}
