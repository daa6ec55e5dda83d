package dev.migdiff.cli;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.analysis.Comparison;
import dev.migdiff.analysis.HeadCollisions;
import dev.migdiff.analysis.OtherHeads;
import dev.migdiff.analysis.Radar;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.CodeQualityRenderer;
import dev.migdiff.report.CompareJsonRenderer;
import dev.migdiff.report.CompareMarkdownRenderer;
import dev.migdiff.report.GithubAnnotationsRenderer;
import dev.migdiff.report.CompareTextRenderer;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff [diff] FROM TO}: merge preview and the rollback plan for a branch switch. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare two revisions: which apps would have divergent leaves after merging "
        + "them (and the merge command), and which migrations to unapply, with which commands, "
        + "before switching from FROM to TO. Also spelled 'migdiff FROM TO'.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the merge has no conflicts (and no --fail-on condition holds)",
        "1:the merge has conflicts, or a --fail-on condition holds",
        "2:usage or input error (unknown revision, unrelated histories, shallow clone, config,"
            + " unreadable database)",
        "3:internal error"})
final class DiffCommand implements Callable<Integer> {
  /** Output formats of this command, spelled in lower case with hyphens. */
  enum Format {
    TEXT, JSON, MARKDOWN, GITHUB, GITLAB_CODEQUALITY;

    String spelling() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** The spellings, for help and completion. */
  static final class Formats extends java.util.ArrayList<String> {
    Formats() {
      for (Format f : Format.values()) {
        add(f.spelling());
      }
    }
  }

  /** Reads a format's spelling. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      for (Format f : Format.values()) {
        if (f.spelling().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("expected one of "
          + String.join(", ", new Formats()) + " but was '" + value + "'");
    }
  }

  /** Extra conditions that make the exit code 1. */
  enum FailOn { UNAPPLY, IRREVERSIBLE, CHANGED, UNSAFE }

  @Parameters(index = "0", paramLabel = "FROM", description = "The revision you are on (or the target branch).")
  String from;

  @Parameters(index = "1", paramLabel = "TO", description = "The revision to switch to (or merge in).")
  String to;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      converter = FormatConverter.class, completionCandidates = Formats.class,
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--fail-on", paramLabel = "WHAT", split = ",",
      description = "Also exit 1 when: ${COMPLETION-CANDIDATES} (comma-separated).")
  Set<FailOn> failOn = EnumSet.noneOf(FailOn.class);

  @Option(names = "--other-head", paramLabel = "NAME=REF", mapFallbackValue = "",
      description = "With --format markdown: another open branch or request into FROM; the "
          + "comment's 'Also touching these apps' section names the apps where TO and it "
          + "collide (repeatable).")
  java.util.LinkedHashMap<String, String> otherHeads = new java.util.LinkedHashMap<>();

  @Mixin RepoOptions repo = new RepoOptions();
  @Mixin DatabaseOptions database = new DatabaseOptions();
  @Mixin OutputOptions output = new OutputOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  /** The command {@code args} spell when {@link FastArgs#diff} reads them, else null. */
  static DiffCommand fast(String[] args, java.util.Map<String, String> env) {
    FastArgs a = FastArgs.diff(args);
    if (a == null) {
      return null;
    }
    DiffCommand d = new DiffCommand();
    d.from = a.positionals.get(0);
    d.to = a.positionals.get(1);
    d.format = a.format == null ? Format.TEXT : new FormatConverter().convert(a.format);
    d.repo = a.repo();
    d.database.none = a.noDatabase;
    d.output = a.output();
    d.parent = a.parent(env);
    return d;
  }

  @Override
  public Integer call() throws Exception {
    if (!otherHeads.isEmpty() && format != Format.MARKDOWN) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--other-head works with --format markdown only");
    }
    return run(spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Compares and prints the report to {@code out}; errors and progress go to {@code err}. */
  int run(PrintWriter out, PrintWriter err) throws Exception {
    CompareReport report;
    OtherHeads others = null;
    try (GitRepository git = repo.open(parent);
        RunCache cache = repo.cache(parent.env, git, err)) {
      try (ProgressLine progress = ProgressLine.start(err, parent.env, format == Format.TEXT)) {
        report = new Comparison(git, repo.overrides(), cache.view()).withProgress(progress)
            .withSnapshots(SnapshotCommand.candidates(git)).compare(from, to,
            database.source(git, parent.env, java.time.Duration.ofSeconds(10)));
      }
      if (!otherHeads.isEmpty()) {
        others = new HeadCollisions(git, new Radar(git, repo.overrides(), cache.view()))
            .check(from, from, to, report,
            OtherHeadOptions.candidates(otherHeads), 0, false);
      }
      cache.flushSoon(); // the cache's last writes overlap the rendering
      switch (format) {
        case TEXT -> new CompareTextRenderer(output.terminal()).render(report, out);
        case JSON -> new CompareJsonRenderer().render(report, out);
        case MARKDOWN -> new CompareMarkdownRenderer().render(report, others, out);
        case GITHUB -> new GithubAnnotationsRenderer().render(report, out);
        case GITLAB_CODEQUALITY -> new CodeQualityRenderer().render(report, out);
      }
      out.flush();
    }
    return failed(report) ? ExitCodes.CONFLICT : ExitCodes.OK;
  }

  private boolean failed(CompareReport r) {
    if (r.hasConflicts()) {
      return true;
    }
    CompareReport.Switch s = r.switchPlan();
    return failOn.contains(FailOn.UNAPPLY) && !s.unapply().isEmpty()
        || failOn.contains(FailOn.IRREVERSIBLE)
            && s.unapply().stream().anyMatch(CompareReport.Unapply::irreversible)
        || failOn.contains(FailOn.CHANGED) && r.apps().stream().anyMatch(a -> !a.changed().isEmpty())
        || failOn.contains(FailOn.UNSAFE) && r.deploy().stream().anyMatch(CompareReport.Deploy::unsafe);
  }
}
