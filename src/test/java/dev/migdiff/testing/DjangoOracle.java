package dev.migdiff.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real Django (Debian's python3-django, /usr/bin/python3) on scenario directories. */
public final class DjangoOracle {
  public static final String PYTHON = "/usr/bin/python3";

  private DjangoOracle() {}

  /**
   * Fails the test when Django is missing, unless {@code -Dmigdiff.allowNoDjango=true}, in
   * which case it returns false so the caller can skip.
   */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import django").redirectErrorStream(true).start();
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
        + "(or -Dmigdiff.allowNoDjango=true to skip them)");
    return false;
  }

  /** The oracle's answer per directory, in order. */
  public static Map<Path, Map<String, Object>> run(Path script, List<Path> dirs)
      throws IOException, InterruptedException {
    Path list = Files.createTempFile("oracle", ".txt");
    Files.write(list, dirs.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(PYTHON, script.toString())
        .redirectInput(list.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("the Django oracle failed (exit " + p.exitValue() + ")");
    }
    Files.deleteIfExists(list);
    Map<Path, Map<String, Object>> answers = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        Map<String, Object> a = Json.object(line);
        answers.put(Path.of((String) a.get("dir")), a);
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
