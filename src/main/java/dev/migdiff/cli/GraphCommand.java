package dev.migdiff.cli;

import dev.migdiff.analysis.GraphReport;
import dev.migdiff.analysis.Snapshot;
import dev.migdiff.analysis.SnapshotLoader;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.GraphDotRenderer;
import dev.migdiff.report.GraphJsonRenderer;
import dev.migdiff.report.GraphMermaidRenderer;
import dev.migdiff.report.GraphTextRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migdiff graph REF}: one revision's migration graph, leaves and conflicts. */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Show the migration graph of one revision as Django builds it: per app its "
        + "migrations, their dependencies and resolved parents, its leaves, and conflicts.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no conflict", "1:some app has several leaves", "2:usage or input error",
        "3:internal error"})
final class GraphCommand implements Callable<Integer> {
  /** Output formats of this command. */
  enum Format { TEXT, JSON, DOT, MERMAID }

  @Parameters(index = "0", arity = "0..1", paramLabel = "REF", defaultValue = "HEAD",
      description = "Any revision git accepts (default: ${DEFAULT-VALUE}).")
  String ref;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Mixin RepoOptions repo = new RepoOptions();
  @Mixin OutputOptions output = new OutputOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @picocli.CommandLine.ParentCommand MigdiffCommand parent;

  /** The command {@code args} spell when {@link FastArgs#graph} reads them, else null. */
  static GraphCommand fast(String[] args, java.util.Map<String, String> env) {
    FastArgs a = FastArgs.graph(args);
    if (a == null) {
      return null;
    }
    GraphCommand g = new GraphCommand();
    g.ref = a.positionals.isEmpty() ? "HEAD" : a.positionals.get(0);
    g.format = a.format == null ? Format.TEXT
        : Format.valueOf(a.format.toUpperCase(java.util.Locale.ROOT));
    g.repo = a.repo();
    g.output = a.output();
    g.parent = a.parent(env);
    return g;
  }

  @Override
  public Integer call() throws Exception {
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Reads the revision and prints its graph to {@code out}; errors and progress to {@code err}. */
  int run(PrintWriter out, PrintWriter err) throws Exception {
    GraphReport report;
    String manage;
    try (GitRepository git = repo.open(parent);
        RunCache cache = repo.cache(parent.env, git, err);
        ProgressLine progress = ProgressLine.start(err, parent.env, format == Format.TEXT)) {
      Snapshot s = new SnapshotLoader(git, repo.overrides(), cache.view()).withProgress(progress)
          .load(ref);
      report = GraphReport.of(s);
      manage = s.config().manageCommand();
    }
    switch (format) {
      case TEXT -> new GraphTextRenderer(output.terminal(), manage).render(report, out);
      case JSON -> new GraphJsonRenderer().render(report, out);
      case DOT -> new GraphDotRenderer().render(report, out);
      case MERMAID -> new GraphMermaidRenderer().render(report, out);
    }
    out.flush();
    return report.hasConflicts() ? ExitCodes.CONFLICT : ExitCodes.OK;
  }
}
