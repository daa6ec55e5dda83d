package dev.migdiff.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real Django on scenario directories: Debian's python3-django 3.2 (/usr/bin/python3) and
 * Django 5.2 in the virtual environment scripts/django-venv makes from the machine's wheels.
 */
public final class DjangoOracle {
  public static final String PYTHON = "/usr/bin/python3";

  /**
   * One Django the differential tests compare against: the {@code X.Y} migdiff is told to apply
   * the rules of ({@code --django-version}), and the interpreter that has it.
   */
  public record Version(String version, String python) {
    /** migdiff's option that selects this version's rules. */
    public List<String> migdiffArgs() {
      return List.of("--django-version", version);
    }

    @Override
    public String toString() {
      return "Django " + version;
    }
  }

  public static final Version DJANGO_32 = new Version("3.2", PYTHON);

  /**
   * Django 5.2: the venv at {@code -Dmigdiff.django52=DIR} (default {@code target/django-5.2},
   * as scripts/django-venv makes it).
   */
  public static final Version DJANGO_52 = new Version("5.2", Path.of(
      System.getProperty("migdiff.django52", "target/django-5.2"), "bin", "python")
      .toAbsolutePath().toString());

  private DjangoOracle() {}

  /** The versions the differential suites run under, for {@code @MethodSource}. */
  public static List<Version> versions() {
    return List.of(DJANGO_32, DJANGO_52);
  }

  /**
   * Whether {@code v} can run. Django 3.2 as {@link #available()}; for 5.2 a missing venv is
   * made with scripts/django-venv (offline, from the local wheels), and when that fails the
   * test fails loudly unless {@code -Dmigdiff.allowNoDjango52=true}, which skips it instead.
   */
  public static boolean available(Version v) {
    if (v.equals(DJANGO_32)) {
      return available();
    }
    String found = versionOf(v.python());
    if (found == null && v.equals(DJANGO_52) && System.getProperty("migdiff.django52") == null) {
      try {
        Process p = new ProcessBuilder("scripts/django-venv").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(10, TimeUnit.MINUTES)) {
          found = versionOf(v.python());
        }
      } catch (IOException | InterruptedException e) {
        // reported below
      }
    }
    if (found != null && (found + ".").startsWith(v.version() + ".")) {
      return true;
    }
    if (Boolean.getBoolean("migdiff.allowNoDjango52")) {
      return false;
    }
    fail("Django " + v.version() + " is needed for the differential tests at " + v.python()
        + (found == null ? " (none found)" : " (found Django " + found + ")")
        + ": run scripts/django-venv, which installs it from /opt/pypi/files "
        + "(or -Dmigdiff.allowNoDjango52=true to skip these runs)");
    return false;
  }

  private static String versionOf(String python) {
    if (!Files.isExecutable(Path.of(python))) {
      return null;
    }
    try {
      Process p = new ProcessBuilder(python, "-c", "import django; print(django.get_version())")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }

  /**
   * Fails the test when Django is missing, unless {@code -Dmigdiff.allowNoDjango=true}, in
   * which case it returns false so the caller can skip.
   */
  public static boolean available() {
    try {
      // (django-environ too: the scenarios' settings read variables through it)
      Process p = new ProcessBuilder(PYTHON, "-c", "import django, environ")
          .redirectErrorStream(true).start();
      if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return true;
      }
    } catch (IOException | InterruptedException e) {
      // handled below
    }
    if (Boolean.getBoolean("migdiff.allowNoDjango")) {
      return false;
    }
    fail("real Django is needed for the differential tests: apt-get install python3-django "
        + "python3-django-environ (or -Dmigdiff.allowNoDjango=true to skip them)");
    return false;
  }

  /** The oracle's answer per directory, in order, under Django 3.2. */
  public static Map<Path, Map<String, Object>> run(Path script, List<Path> dirs)
      throws IOException, InterruptedException {
    return run(DJANGO_32, script, dirs);
  }

  /** The oracle's answer per directory, in order, under {@code v}. */
  public static Map<Path, Map<String, Object>> run(Version v, Path script, List<Path> dirs)
      throws IOException, InterruptedException {
    // Each directory is judged on its own: one oracle per core, the answers put back in the
    // directories' order.
    Map<Path, Map<String, Object>> byDir = new HashMap<>();
    try (OraclePool pool = new OraclePool(v, script, Math.min(OraclePool.SIZE, dirs.size()))) {
      dirs.forEach(dir -> pool.submit(dir.toString()));
      for (String line : pool.answers()) {
        Map<String, Object> a = Json.object(line);
        byDir.put(Path.of((String) a.get("dir")), a);
      }
    }
    Map<Path, Map<String, Object>> answers = new LinkedHashMap<>();
    for (Path dir : dirs) {
      if (byDir.containsKey(dir)) {
        answers.put(dir, byDir.get(dir));
      }
    }
    List<Path> missing = new ArrayList<>(dirs);
    missing.removeAll(answers.keySet());
    if (!missing.isEmpty()) {
      fail("the oracle gave no answer for " + missing);
    }
    return answers;
  }
}
