package dev.migdiff.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Oracle processes side by side, one per core, for oracles that judge each job (a line on their
 * standard input) on its own and print one answer line per job: jobs are dealt out in turn as
 * they are submitted, so the oracles judge while the caller makes the next ones, and the
 * answers come back, in no particular order, once all are in.
 */
public final class OraclePool implements AutoCloseable {
  /** The machines this suite runs on have two cores. */
  public static final int SIZE = 2;

  private final List<Process> running = new ArrayList<>();
  private final List<Writer> inputs = new ArrayList<>();
  private final List<Path> outputs = new ArrayList<>();
  private int submitted;

  /** Starts {@code size} (at least one) processes of {@code script} under {@code v}. */
  public OraclePool(DjangoOracle.Version v, Path script, int size) throws IOException {
    for (int part = 0; part < Math.max(1, size); part++) {
      Path output = Files.createTempFile("oracle", ".jsonl");
      outputs.add(output);
      Process p = new ProcessBuilder(v.python(), script.toString())
          .redirectOutput(output.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      running.add(p);
      inputs.add(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    }
  }

  /** Hands one job (a line) to the next oracle. */
  public void submit(String job) {
    try {
      Writer in = inputs.get(submitted++ % inputs.size());
      in.write(job + "\n");
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("an oracle stopped reading its jobs", e);
    }
  }

  /** Every answer line (blank lines left out), once each oracle has finished its jobs. */
  public List<String> answers() throws IOException, InterruptedException {
    for (Writer in : inputs) {
      in.close();
    }
    List<String> all = new ArrayList<>();
    for (int part = 0; part < running.size(); part++) {
      Process p = running.get(part);
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
        fail("the Django oracle failed (" + (p.isAlive() ? "timed out" : "exit " + p.exitValue())
            + ")");
      }
      for (String line : Files.readAllLines(outputs.get(part), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          all.add(line);
        }
      }
    }
    return all;
  }

  @Override
  public void close() throws IOException {
    running.forEach(Process::destroyForcibly);
    for (Path output : outputs) {
      Files.deleteIfExists(output);
    }
  }
}
