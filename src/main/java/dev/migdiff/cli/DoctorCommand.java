package dev.migdiff.cli;

import dev.migdiff.analysis.Diagnosis;
import dev.migdiff.git.GitRepository;
import dev.migdiff.report.DiagnosisTextRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code migdiff doctor}: what migdiff would use here, for a bug report. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Show what migdiff would use here, and where each choice came from: its "
        + "version and Java runtime, the repository, manage.py, the settings module, the Django "
        + "version whose rules apply, the database (not connected to) and the cache directory. "
        + "Paste it into bug reports.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:shown", "2:not a repository"})
final class DoctorCommand implements Callable<Integer> {
  @Mixin RepoOptions repo = new RepoOptions();
  @Mixin DatabaseOptions database = new DatabaseOptions();
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @ParentCommand MigdiffCommand parent;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    java.util.List<String> version = MigdiffCommand.Version.lines();
    GitRepository git;
    try {
      git = repo.open(parent);
    } catch (dev.migdiff.git.GitException e) {
      version.forEach(out::println); // still worth pasting: then the error
      out.flush();
      throw e;
    }
    Diagnosis d;
    try (git) {
      d = Diagnosis.of(git, repo.overrides(), database.none ? null : database.url, parent.env,
          dev.migdiff.cache.CacheLocation.describe(parent.env));
    }
    new DiagnosisTextRenderer().render(version, d, out);
    out.flush();
    return ExitCodes.OK;
  }
}
