package dev.migdiff.cli;

import dev.migdiff.analysis.Radar;
import dev.migdiff.analysis.RadarReport;
import dev.migdiff.git.GitException;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.RadarJsonRenderer;
import dev.migdiff.report.RadarMarkdownRenderer;
import dev.migdiff.report.RadarTextRenderer;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff radar [BASE]}: collisions between open branches before either merges. */
@Command(name = "radar", mixinStandardHelpOptions = true,
    description = "Find the branches that collide before either merges: for every branch ahead "
        + "of BASE, the migrations it adds per app, whether merging it now leaves divergent "
        + "leaves, and every pair that is clean alone but leaves divergent leaves when both "
        + "merge (or adds the same migration name, or edits the same migration).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no collision of a --fail-on kind (default: pairs and base)",
        "1:a pair collides, or a branch conflicts with BASE already (as --fail-on chooses)",
        "2:usage or input error (unknown BASE, bad --since, not a repository)",
        "3:internal error"})
final class RadarCommand implements Callable<Integer> {
  /** Output formats of this command. */
  enum Format { TEXT, JSON, MARKDOWN }

  /** Which findings make the exit code 1. */
  enum FailOn { PAIRS, BASE, NONE }

  /** The formats as typed, for help and completion. */
  static final class Formats extends ArrayList<String> {
    Formats() {
      super(List.of("text", "json", "markdown"));
    }
  }

  /** The --fail-on values as typed. */
  static final class FailOns extends ArrayList<String> {
    FailOns() {
      super(List.of("pairs", "base", "none"));
    }
  }

  @Parameters(index = "0", arity = "0..1", paramLabel = "BASE",
      description = "The branch others merge into (default: origin/HEAD's branch, else main, "
          + "else master).")
  String base;

  @Option(names = "--branches", paramLabel = "GLOB", arity = "1..*",
      description = "Only branches whose name matches (* and ? as in shell globs; * also "
          + "matches '/'); local and remote-tracking names, e.g. 'origin/feature/*'.")
  List<String> globs = new ArrayList<>();

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Skip branches whose tip is older: N.days, N.weeks, N.months, N.years, or an "
          + "ISO date (2026-01-31).")
  String since;

  @Option(names = "--include-merged",
      description = "Also list branches already merged into BASE.")
  boolean includeMerged;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      completionCandidates = Formats.class, description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--fail-on", paramLabel = "WHAT", split = ",",
      completionCandidates = FailOns.class, description = "Exit 1 when: ${COMPLETION-CANDIDATES} (comma-separated; default: pairs,base).")
  Set<FailOn> failOn = EnumSet.of(FailOn.PAIRS, FailOn.BASE);

  @Mixin RepoOptions repo = new RepoOptions();
  @Mixin OutputOptions output = new OutputOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  @Override
  public Integer call() throws Exception {
    Instant cutoff;
    try {
      cutoff = since == null ? null : Since.parse(since, Instant.now());
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    RadarReport report;
    try (GitRepository git = repo.open(parent);
        RunCache cache = repo.cache(parent.env, git, spec.commandLine().getErr())) {
      String b = base != null ? base : defaultBase(git);
      // BASE itself, by both of its names (main and origin/main), is not a branch to compare.
      String local = b.startsWith("origin/") ? b.substring("origin/".length()) : b;
      Set<String> baseNames = Set.of(local, "origin/" + local);
      List<Radar.Head> heads = new ArrayList<>();
      for (GitRepository.Branch br : git.branches()) {
        if (baseNames.contains(br.name()) || !globs.isEmpty() && globs.stream()
            .noneMatch(g -> Since.glob(g, br.name()))) {
          continue;
        }
        Instant when = cutoff == null ? null : git.commitTime(br.commit());
        if (cutoff == null || when != null && !when.isBefore(cutoff)) {
          heads.add(Radar.Head.branch(br.name()));
        }
      }
      report = new Radar(git, repo.overrides(), cache.view()).run(b, heads, includeMerged);
    }
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case TEXT -> new RadarTextRenderer(output.terminal()).render(report, out);
      case JSON -> new RadarJsonRenderer().render(report, out);
      case MARKDOWN -> new RadarMarkdownRenderer().render(report, out);
    }
    out.flush();
    boolean fail = failOn.contains(FailOn.PAIRS) && report.hasPairs()
        || failOn.contains(FailOn.BASE) && report.hasBaseConflicts();
    return fail ? ExitCodes.CONFLICT : ExitCodes.OK;
  }

  /** origin/HEAD's branch, else main, else master (as typed: a name git resolves). */
  static String defaultBase(GitRepository git) throws GitException {
    java.util.Optional<String> remote = git.remoteDefaultBranch();
    if (remote.isPresent()) {
      return remote.get();
    }
    for (String name : List.of("main", "master")) {
      try {
        git.resolve(name);
        return name;
      } catch (GitException e) {
        // try the next
      }
    }
    throw new GitException("no BASE given, and there is no origin/HEAD, 'main' or 'master'",
        "name the branch others merge into: 'migdiff radar develop'");
  }
}
