package dev.migdiff.cli;

import dev.migdiff.analysis.ConfigException;
import dev.migdiff.git.GitException;
import dev.migdiff.git.UnreadableObjectException;
import dev.migdiff.report.Terminal;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point: wires {@code main(args)} to {@link #run}, and maps failures to exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs migdiff with the given arguments and streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    CommandLine cli = new CommandLine(new MigdiffCommand());
    cli.setOut(o);
    cli.setErr(e);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler((ex, line, parsed) -> failure(ex, line));
    try {
      return cli.execute(withDefaultSubcommand(args, cli));
    } catch (OutOfMemoryError | StackOverflowError ex) {
      // picocli hands only Exceptions to the handler; these are bugs too, reported the same way.
      e.println("migdiff: internal error: " + ex);
      ex.printStackTrace(e);
      e.println("This is a bug in migdiff; please report it with the output above.");
      return ExitCodes.INTERNAL;
    } finally {
      o.flush();
      e.flush();
    }
  }

  /** {@code migdiff FROM TO} means {@code migdiff diff FROM TO}. */
  static String[] withDefaultSubcommand(String[] args, CommandLine cli) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-C")) {
        i++;
        continue;
      }
      if (a.startsWith("-")) {
        return args;
      }
      if (cli.getSubcommands().containsKey(a)) {
        return args;
      }
      java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(args));
      out.add(i, "diff");
      return out.toArray(String[]::new);
    }
    return args;
  }

  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    PrintWriter err = ex.getCommandLine().getErr();
    err.println("migdiff: error: " + Terminal.safe(ex.getMessage()));
    err.println("hint: see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
    return ExitCodes.USAGE;
  }

  private static int failure(Exception ex, CommandLine line) {
    PrintWriter err = line.getErr();
    if (ex instanceof GitException g) {
      err.println("migdiff: error: " + Terminal.safe(g.getMessage()));
      if (g.hint() != null) {
        err.println("hint: " + Terminal.safe(g.hint()));
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof dev.migdiff.hook.HookException h) {
      err.println("migdiff: error: " + Terminal.safe(h.getMessage()));
      if (h.hint() != null) {
        err.println("hint: " + Terminal.safe(h.hint()));
      }
      return ExitCodes.USAGE;
    }
    if (ex instanceof ConfigException c) {
      err.println("migdiff: error: " + Terminal.safe(c.getMessage()));
      err.println("hint: see the configuration section of the README");
      return ExitCodes.USAGE;
    }
    if (isBrokenPipe(ex)) {
      return ExitCodes.OK;
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof UnreadableObjectException u) {
        err.println("migdiff: error: cannot read the repository: " + Terminal.safe(u.getMessage()));
        err.println("hint: " + Terminal.safe(u.hint()));
        return ExitCodes.USAGE;
      }
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      err.println("migdiff: error: cannot read the repository: " + Terminal.safe(ex.getMessage()));
      err.println("hint: run 'git fsck' to check the repository");
      return ExitCodes.USAGE;
    }
    err.println("migdiff: internal error: " + Terminal.safe(ex.toString()));
    ex.printStackTrace(err);
    err.println("This is a bug in migdiff; please report it with the output above.");
    return ExitCodes.INTERNAL;
  }

  private static boolean isBrokenPipe(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof IOException && String.valueOf(t.getMessage()).contains("Broken pipe")) {
        return true;
      }
    }
    return false;
  }
}
