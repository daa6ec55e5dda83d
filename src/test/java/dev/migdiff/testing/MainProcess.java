package dev.migdiff.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code dev.migdiff.cli.Main} in a new JVM (as the launcher runs it), with only {@code env}. */
public final class MainProcess {
  /** What it printed, and how it ended. */
  public record Result(int exitCode, String out, String err) {}

  private MainProcess() {}

  /** Runs {@code args} in {@code dir} (null: this directory); fails when it takes over 120 s. */
  public static Result run(Path dir, Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "dev.migdiff.cli.Main"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getInputStream().readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("migdiff " + String.join(" ", args) + " did not end in 120 s");
    }
    return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), err);
  }
}
