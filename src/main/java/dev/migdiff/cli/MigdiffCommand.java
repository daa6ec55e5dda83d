package dev.migdiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: lists the subcommands and the exit codes. */
@Command(name = "migdiff", mixinStandardHelpOptions = true,
    versionProvider = MigdiffCommand.Version.class,
    description = "Divergent Django migrations, read straight from Git objects: no checkout, "
        + "no Python, no database.%n%n  migdiff FROM TO      same as 'migdiff diff FROM TO'",
    subcommands = {DiffCommand.class, GraphCommand.class, HookCommand.class, SweepCommand.class, CommandLine.HelpCommand.class,
        picocli.AutoComplete.GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:no app has divergent leaves",
        "1:some app has several leaves (a merge migration is needed)",
        "2:usage or input error (bad option, not a repository, unknown revision, bad config)",
        "3:internal error (a bug: please report it)"})
public final class MigdiffCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "-C", paramLabel = "DIR",
      description = "Run as if started in DIR (like git -C).")
  java.nio.file.Path directory;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = MigdiffCommand.class.getPackage().getImplementationVersion();
      return new String[] {"migdiff " + (v == null ? "dev" : v)};
    }
  }
}
