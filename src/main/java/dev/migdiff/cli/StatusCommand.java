package dev.migdiff.cli;

import dev.migdiff.analysis.StatusCheck;
import dev.migdiff.analysis.StatusReport;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.StatusJsonRenderer;
import dev.migdiff.report.StatusTextRenderer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff status [REF]}: what the local database has applied, against REF. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Compare what the database has applied (django_migrations, read-only) with "
        + "REF's migrations: phantoms left over from other branches (and where their files "
        + "still are), edited ones, unapplied ones, an inconsistent history, and the commands "
        + "that bring the database in line.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the database is in line with REF (unapplied migrations aside)",
        "1:phantoms, edited migrations or an inconsistent history",
        "2:usage or input error (no database found, unreadable database, unknown revision)",
        "3:internal error"})
final class StatusCommand implements Callable<Integer> {
  /** Output formats of this command. */
  enum Format { TEXT, JSON }

  @Parameters(index = "0", arity = "0..1", paramLabel = "REF", defaultValue = "HEAD",
      description = "The revision to compare the database with (default: HEAD).")
  String ref;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Give up connecting to the database after this long (default: ${DEFAULT-VALUE}).")
  int timeout;

  @Mixin RepoOptions repo = new RepoOptions();
  @Mixin DatabaseOptions database = new DatabaseOptions();
  @Mixin OutputOptions output = new OutputOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  @Override
  public Integer call() throws Exception {
    if (database.none) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--no-database makes no sense for status: it reads the database");
    }
    StatusReport report;
    try (GitRepository git = repo.open(parent);
        RunCache cache = repo.cache(parent.env, git, spec.commandLine().getErr())) {
      report = new StatusCheck(git, repo.overrides(), cache.view())
          .withSnapshots(SnapshotCommand.candidates(git)).check(ref,
          database.source(git, parent.env, Duration.ofSeconds(Math.max(1, timeout))));
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case TEXT -> new StatusTextRenderer(output.terminal()).render(report, out);
      case JSON -> new StatusJsonRenderer().render(report, out);
    }
    out.flush();
    return report.inLine() ? ExitCodes.OK : ExitCodes.CONFLICT;
  }
}
