package dev.migdiff.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the release archive and wheel once for the test run, with scripts/release --no-build
 * over the classes Maven has just compiled (so 'mvn test' needs no 'package'), into
 * target/release-test. A later run whose inputs (classes, runtime class path, release scripts)
 * hash the same reuses them.
 */
final class ReleaseBuild {
  /** The archive and the wheel. */
  record Built(Path archive, Path wheel) {}

  private static final Path OUT = Path.of("target/release-test");
  private static Built built;

  private ReleaseBuild() {}

  static synchronized Built get() throws Exception {
    if (built == null) {
      built = build();
    }
    return built;
  }

  private static Built build() throws Exception {
    String key = inputsHash();
    Path keyFile = OUT.resolve("inputs.sha256");
    if (!(Files.isRegularFile(keyFile) && Files.readString(keyFile).equals(key) && find().isPresent())) {
      deleteTree(OUT);
      Files.createDirectories(OUT);
      Path log = OUT.resolve("release.log");
      Process p = new ProcessBuilder("bash", "scripts/release", "--no-build", "--out",
          OUT.toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new AssertionError("scripts/release failed:\n" + Files.readString(log));
      }
      Files.writeString(keyFile, key);
    }
    return find().orElseThrow(() -> new AssertionError("no archive or wheel in " + OUT));
  }

  private static java.util.Optional<Built> find() throws IOException {
    if (!Files.isDirectory(OUT)) {
      return java.util.Optional.empty();
    }
    Path archive = null;
    Path wheel = null;
    try (Stream<Path> files = Files.list(OUT)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith("-linux-x86_64.tar.gz")) {
          archive = f.toAbsolutePath();
        } else if (n.endsWith(".whl")) {
          wheel = f.toAbsolutePath();
        }
      }
    }
    return archive == null || wheel == null ? java.util.Optional.empty()
        : java.util.Optional.of(new Built(archive, wheel));
  }

  /** A hash of every input of scripts/release: file names and contents. */
  private static String inputsHash() throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (Path root : List.of(Path.of("target/classes"), Path.of("target/runtime-classpath.txt"),
        Path.of("scripts/release"), Path.of("scripts/launcher"), Path.of("scripts/cds-archive"),
        Path.of("scripts/python"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          sha.update(f.toString().getBytes(StandardCharsets.UTF_8));
          sha.update(Files.readAllBytes(f));
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
