package dev.migdiff.cli;

import dev.migdiff.analysis.CompareReport;
import dev.migdiff.analysis.Comparison;
import dev.migdiff.analysis.HeadCollisions;
import dev.migdiff.analysis.OtherHeads;
import dev.migdiff.analysis.Radar;
import dev.migdiff.bot.BotException;
import dev.migdiff.bot.CommentRequest;
import dev.migdiff.bot.GitHubComments;
import dev.migdiff.bot.GitHubPulls;
import dev.migdiff.bot.GitLabMergeRequests;
import dev.migdiff.bot.GitLabNotes;
import dev.migdiff.bot.OpenRequest;
import dev.migdiff.bot.OpenRequests;
import dev.migdiff.bot.Published;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.CompareMarkdownRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff comment github|gitlab}: keep one up-to-date comment on the merge request. */
@Command(name = "comment", mixinStandardHelpOptions = true,
    description = "In CI: compare the request's target branch with its head and keep one "
        + "migdiff comment on the pull/merge request up to date (found by its marker and author).",
    subcommands = {CommentCommand.GitHub.class, CommentCommand.GitLab.class})
final class CommentCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options both forges share. */
  static final class Shared {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FROM",
        description = "The target revision (default: from the CI environment).")
    String from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TO",
        description = "The request's head (default: from the CI environment).")
    String to;

    @Option(names = "--dry-run",
        description = "Send only the reads; print the write request (token masked) instead.")
    boolean dryRun;

    @Option(names = "--other-requests", paramLabel = "N", defaultValue = "50",
        description = "Also check the N most recently updated other open requests into the "
            + "same target for migrations that collide with this one's (0: off; default: "
            + "${DEFAULT-VALUE}).")
    int otherRequests;

    @Option(names = "--list-heads",
        description = "Only print the refspecs that fetch the other open requests' heads "
            + "(what scripts/ci/fetch-heads reads), one a line.")
    boolean listHeads;

    @Mixin RepoOptions repo = new RepoOptions();
  }

  /** Lists the other open requests into {@code base}, at most {@code bound}. */
  interface Lister {
    OpenRequests list(String base, int bound, PrintWriter dryRun);
  }

  /** {@code migdiff comment github}. */
  @Command(name = "github", mixinStandardHelpOptions = true,
      description = "In GitHub Actions (pull_request or pull_request_target): reads "
          + "GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_TOKEN and GITHUB_API_URL; also writes "
          + "the comment to GITHUB_STEP_SUMMARY.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:no conflicts", "1:conflicts (the comment is posted all the same)",
          "2:CI environment, forge or input error", "3:internal error"})
  static final class GitHub implements Callable<Integer> {
    @ParentCommand CommentCommand comment;
    @Mixin Shared shared = new Shared();

    @Override
    public Integer call() throws Exception {
      Map<String, String> env = comment.parent.environment();
      CommentRequest req = GitHubComments.request(env);
      return comment.publish(shared, req, (base, n, dry) -> new GitHubPulls(req, dry)
          .list(base, n), (body, dry) ->
          new GitHubComments(req, dry).publish(body, CompareMarkdownRenderer.MARKER));
    }
  }

  /** {@code migdiff comment gitlab}. */
  @Command(name = "gitlab", mixinStandardHelpOptions = true,
      description = "In a GitLab merge request pipeline: reads CI_API_V4_URL, CI_PROJECT_ID, "
          + "CI_MERGE_REQUEST_IID, CI_MERGE_REQUEST_TARGET_BRANCH_NAME and the token in "
          + "MIGDIFF_GITLAB_TOKEN (or GITLAB_TOKEN).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:no conflicts", "1:conflicts (the note is posted all the same)",
          "2:CI environment, forge or input error", "3:internal error"})
  static final class GitLab implements Callable<Integer> {
    @ParentCommand CommentCommand comment;
    @Mixin Shared shared = new Shared();

    @Override
    public Integer call() throws Exception {
      CommentRequest req = GitLabNotes.request(comment.parent.environment());
      return comment.publish(shared, req, (base, n, dry) -> new GitLabMergeRequests(req, dry)
          .list(base, n), (body, dry) ->
          new GitLabNotes(req, dry).publish(body, CompareMarkdownRenderer.MARKER));
    }
  }

  /** Publishes a rendered body. */
  interface Publisher {
    Published publish(String body, PrintWriter dryRun) throws BotException;
  }

  int publish(Shared s, CommentRequest req, Lister lister, Publisher publisher)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String target = req.fromLabel();
    if (s.listHeads) {
      return listHeads(s, target, lister, out);
    }
    String from = s.from != null ? s.from : req.fromRevision();
    String to = s.to != null ? s.to : req.toRevision();
    if (from == null || to == null) {
      throw new BotException("the CI environment does not say which revisions to compare",
          "pass FROM and TO");
    }
    CompareReport report;
    OtherHeads others = null;
    try (GitRepository git = s.repo.open(parent);
        RunCache cache = s.repo.cache(parent.env, git, spec.commandLine().getErr())) {
      Comparison comparison = new Comparison(git, s.repo.overrides(), cache.view());
      report = comparison.compare(from, to);
      if (s.otherRequests > 0 && target != null) {
        OpenRequests open = lister.list(target, s.otherRequests, s.dryRun ? out : null);
        others = open.failure() != null ? OtherHeads.unlisted(target, open.failure())
            : new HeadCollisions(git, new Radar(git, s.repo.overrides(), cache.view()))
                .check(target, from, to, report,
                OtherHeadOptions.candidates(open), open.bound(), open.truncated());
      }
    }
    report = report.withLabels(s.from == null && target != null ? target : from,
        s.to == null && req.toLabel() != null ? req.toLabel() : to);
    String body = new CompareMarkdownRenderer().render(report, others);
    if (req.stepSummary() != null && !req.stepSummary().isBlank() && !s.dryRun) {
      try {
        Files.writeString(Path.of(req.stepSummary()), body + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new BotException("cannot write GITHUB_STEP_SUMMARY: " + e.getMessage(), null);
      }
    }
    Published p = publisher.publish(body, s.dryRun ? out : null);
    out.println("migdiff: " + req.forge() + " " + req.project() + "#" + req.number() + ": "
        + switch (p.action()) {
          case "printed" -> "dry run, nothing sent";
          case "unchanged" -> "comment already up to date";
          default -> p.action() + " the comment";
        } + (p.url() == null ? "" : " (" + p.url() + ")"));
    out.flush();
    return report.hasConflicts() ? ExitCodes.CONFLICT : ExitCodes.OK;
  }

  /** {@code --list-heads}: the refspecs, or one warning line; never a failure. */
  private int listHeads(Shared s, String target, Lister lister, PrintWriter out) {
    if (target == null || s.otherRequests <= 0) {
      return ExitCodes.OK;
    }
    OpenRequests open = lister.list(target, s.otherRequests, null);
    if (open.failure() != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("migdiff: warning: could not list the other open requests: " + open.failure());
      err.flush();
    }
    for (OpenRequest o : open.requests()) {
      out.println("+" + o.fetchRef() + ":" + o.localRef());
    }
    out.flush();
    return ExitCodes.OK;
  }
}
