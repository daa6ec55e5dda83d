package dev.migdiff.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code migdiff generate-man-page}: the manual page (troff, section 1), made from the same
 * picocli model as {@code --help}, so the two never disagree. The release archive ships it as
 * share/man/man1/migdiff.1. (picocli-codegen's ManPageGenerator writes AsciiDoc, which needs
 * Asciidoctor to become troff, and sees only subcommands declared in annotations; migdiff adds
 * them in {@link Main}.)
 */
@Command(name = "generate-man-page", hidden = true,
    description = "Write migdiff's manual page (troff) to standard output.")
final class ManPageCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine top = spec.parent().commandLine();
    PrintWriter out = spec.commandLine().getOut();
    String version = MigdiffCommand.Version.lines().get(0);
    out.println(".TH MIGDIFF 1 \"\" \"" + version + "\" \"User Commands\"");
    out.println(".SH NAME");
    out.println("migdiff \\- divergent Django migrations and branch-switch plans, read from Git objects");
    out.println(".SH SYNOPSIS");
    out.println(".B migdiff");
    out.println("[\\fIOPTIONS\\fR] \\fIFROM\\fR \\fITO\\fR");
    out.println(".br");
    out.println(".B migdiff");
    out.println("\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]");
    out.println(".SH DESCRIPTION");
    block(out, top.getUsageMessage(CommandLine.Help.Ansi.OFF));
    out.println(".SH COMMANDS");
    for (CommandLine sub : commands(top)) {
      if (sub == top) {
        continue;
      }
      out.println(".SS \"" + escape(sub.getCommandSpec().qualifiedName()) + "\"");
      block(out, sub.getUsageMessage(CommandLine.Help.Ansi.OFF));
    }
    out.println(".SH ENVIRONMENT");
    out.println(".TP\n.B DATABASE_URL\nThe database whose django_migrations migdiff reads (read-only).");
    out.println(".TP\n.B MIGDIFF_HOOK\nSet to off to silence the post-checkout hook for one command.");
    out.println(".TP\n.B NO_COLOR\nNo colour, even on a terminal.");
    out.println(".SH SEE ALSO");
    out.println(".BR git (1),");
    out.println(".BR git-switch (1);");
    out.println("the documentation in the docs/ folder of migdiff's repository.");
    out.flush();
    return ExitCodes.OK;
  }

  /** Every command below {@code c}, depth first, without hidden ones and the help command. */
  private static List<CommandLine> commands(CommandLine c) {
    List<CommandLine> all = new ArrayList<>();
    all.add(c);
    for (CommandLine sub : c.getSubcommands().values()) {
      CommandLine.Model.CommandSpec s = sub.getCommandSpec();
      if (!s.usageMessage().hidden() && !s.name().equals("help")
          && !all.contains(sub) && s.parent() == c.getCommandSpec()) {
        all.addAll(commands(sub));
      }
    }
    return all;
  }

  /** Help text as a no-fill block, so that its columns stay as --help shows them. */
  private static void block(PrintWriter out, String text) {
    out.println(".nf");
    for (String line : text.split("\n", -1)) {
      out.println(line.isEmpty() ? "" : escape(line));
    }
    out.println(".fi");
  }

  private static String escape(String line) {
    String s = line.replace("\\", "\\e").replace("-", "\\-");
    return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
  }
}
