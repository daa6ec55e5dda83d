package dev.migdiff.cli;

import dev.migdiff.analysis.Sweep;
import dev.migdiff.analysis.SweepSummary;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.SweepTextRenderer;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code migdiff sweep [REF]} (hidden, for scripts/sweep): replays the newest merge commits of a
 * repository in this one JVM and prints the counts; exits 3 when any case hit an internal error.
 */
@Command(name = "sweep", hidden = true, mixinStandardHelpOptions = true,
    description = "Run 'graph MERGE' and 'MERGE^1 MERGE^2' for the newest merge commits reachable "
        + "from REF and print cases, internal errors, findings by code and times.")
final class SweepCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "REF", defaultValue = "HEAD")
  String ref;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
      description = "At most N merge commits, newest first (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--details", paramLabel = "FILE",
      description = "Write every finding and failure, one per line, to FILE.")
  Path details;

  @Option(names = "--name", paramLabel = "NAME", description = "The repository's name in the summary.")
  String name;

  @Mixin RepoOptions repo = new RepoOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  @Override
  public Integer call() throws Exception {
    List<Sweep.Case> cases = new ArrayList<>();
    SweepTextRenderer renderer = new SweepTextRenderer();
    PrintWriter err = spec.commandLine().getErr();
    int merges;
    try (GitRepository git = repo.open(parent);
        RunCache cache = repo.cache(parent.env, git, err);
        PrintWriter log = details == null ? new PrintWriter(PrintWriter.nullWriter())
            : new PrintWriter(new OutputStreamWriter(Files.newOutputStream(details),
                StandardCharsets.UTF_8))) {
      merges = new Sweep(git, repo.overrides(), cache.view()).run(ref, limit, c -> {
        cases.add(new Sweep.Case(c.kind(), c.merge(), c.args(), c.nanos(), c.conflict(),
            c.codes(), List.of(), c.failure(), c.internal(), null));
        renderer.details(c, log);
        if (cases.size() % 200 == 0) {
          err.println("migdiff sweep: " + cases.size() + " cases");
        }
      });
    }
    SweepSummary summary = SweepSummary.of(merges, cases);
    renderer.render(summary, name != null ? name : String.valueOf(ref), spec.commandLine().getOut());
    boolean internal = cases.stream().anyMatch(c -> c.failure() != null && c.internal());
    return internal ? ExitCodes.INTERNAL : ExitCodes.OK;
  }
}
