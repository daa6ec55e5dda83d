package dev.migdiff.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level command: lists the subcommands and the exit codes. The subcommands are added by
 * {@link Main} (only the one a run needs: building picocli's model of all of them costs more than
 * some whole runs).
 */
@Command(name = "migdiff", mixinStandardHelpOptions = true,
    versionProvider = MigdiffCommand.Version.class,
    description = "Divergent Django migrations, read straight from Git objects: no checkout, "
        + "no Python. A local database, when one is found, tells what is really applied "
        + "(read-only).%n%n  migdiff FROM TO      same as 'migdiff diff FROM TO'",
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

  /** The environment (injected so that tests control it, and point the bot at a local server). */
  java.util.Map<String, String> env = System.getenv();

  java.util.Map<String, String> environment() {
    return env;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * What {@code --version} prints: migdiff's version and commit (from the jar's manifest) and
   * the Java runtime it runs on.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return lines().toArray(String[]::new);
    }

    static java.util.List<String> lines() {
      String v = MigdiffCommand.class.getPackage().getImplementationVersion();
      return java.util.List.of("migdiff " + (v == null ? "dev" : v), "commit: " + commit(),
          "runtime: " + runtime());
    }

    /** The commit scripts/migdiff or scripts/release built from ("unknown" otherwise). */
    static String commit() {
      try (java.io.InputStream in = MigdiffCommand.class.getResourceAsStream(
          "/META-INF/MANIFEST.MF")) {
        if (in != null) {
          String c = new java.util.jar.Manifest(in).getMainAttributes().getValue("Migdiff-Commit");
          if (c != null && !c.isBlank()) {
            return c;
          }
        }
      } catch (java.io.IOException e) {
        // no manifest: a build from the class files
      }
      return "unknown";
    }

    /** e.g. "Java 17.0.13+11-Debian-2deb12u1 (OpenJDK 64-Bit Server VM), bundled at DIR". */
    static String runtime() {
      String home = System.getProperty("java.home");
      return "Java " + System.getProperty("java.runtime.version") + " ("
          + System.getProperty("java.vm.name") + "), "
          + ("bundled".equals(System.getProperty("migdiff.runtime")) ? "bundled at " : "at ")
          + home;
    }
  }
}
