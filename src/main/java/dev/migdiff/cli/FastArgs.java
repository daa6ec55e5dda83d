package dev.migdiff.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The everyday command lines of {@code diff} and {@code graph}, read without picocli's model: on
 * a warm run, building that model (the reflection over the commands' annotations, whose first use
 * generates a proxy class per annotation type) costs about twice the JVM's own start. Only
 * spellings that picocli reads one way are taken here, each option at most once:
 *
 * <pre>
 *   [-C DIR] [diff] FROM TO [-C DIR] [--format F] [--no-database] [--no-cache] [--color W]
 *                           [--stacktrace]
 *   [-C DIR] graph [REF]    [-C DIR] [--format F] [--no-cache] [--color W] [--stacktrace]
 * </pre>
 *
 * ({@code --format=F} and {@code --color=W} too; F and W in lower case, as the help spells
 * them). Anything else, an unknown or repeated option, {@code --help}, a value or argument that
 * starts with {@code -} or {@code @} (picocli's argument files), {@code --}, gets null: picocli
 * then parses the arguments, so its errors, help and every other option behave as they always
 * did. {@code FastArgsTest} checks, vector by vector, that what is taken here is what picocli
 * reads, and that whatever picocli refuses is not taken here.
 */
final class FastArgs {
  /** {@code -C} before the subcommand (migdiff's own), or null. */
  Path topDirectory;
  /** {@code -C} after it (the subcommand's), or null. */
  Path directory;
  final List<String> positionals = new ArrayList<>();
  /** The {@code --format} spelling, or null. */
  String format;
  boolean noDatabase;
  boolean noCache;
  /** The {@code --color} spelling, or null. */
  String color;
  boolean stacktrace;

  private FastArgs() {}

  /** {@code args} as a comparison ({@code migdiff [diff] FROM TO ...}), or null. */
  static FastArgs diff(String[] args) {
    FastArgs a = parse(args, "diff", DIFF_FORMATS, true);
    return a == null || a.positionals.size() != 2 ? null : a;
  }

  /** {@code args} as {@code migdiff graph [REF] ...}, or null. */
  static FastArgs graph(String[] args) {
    FastArgs a = parse(args, "graph", GRAPH_FORMATS, false);
    return a == null || a.positionals.size() > 1 ? null : a;
  }

  /** The commands' own spellings (as their help lists them), so that none is missed here. */
  private static final Set<String> DIFF_FORMATS = Set.copyOf(new DiffCommand.Formats());
  private static final Set<String> GRAPH_FORMATS = lowerCase(GraphCommand.Format.values());
  private static final Set<String> COLORS = lowerCase(OutputOptions.ColorMode.values());

  private static Set<String> lowerCase(Enum<?>[] values) {
    Set<String> out = new java.util.HashSet<>();
    for (Enum<?> v : values) {
      out.add(v.name().toLowerCase(java.util.Locale.ROOT));
    }
    return Set.copyOf(out);
  }

  private static FastArgs parse(String[] args, String command, Set<String> formats,
      boolean database) {
    FastArgs a = new FastArgs();
    int i = 0;
    // migdiff's own -C, before the subcommand: once (picocli refuses it twice)
    if (i + 1 < args.length && args[i].equals("-C")) {
      if (!plain(args[i + 1])) {
        return null;
      }
      a.topDirectory = Path.of(args[i + 1]);
      i += 2;
    }
    if (i < args.length && args[i].equals(command)) {
      i++;
    } else if (!command.equals("diff") || i >= args.length || Main.isSubcommand(args[i])
        || args[i].startsWith("-")) {
      // (an option first is picocli's to place: "migdiff --format json A B" is diff's, "-h"
      // migdiff's; the default subcommand only for a first argument that is a revision)
      return null;
    }
    boolean seenDirectory = false;
    for (; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      String name = arg;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-C" -> {
          if (value != null || seenDirectory || i + 1 >= args.length || !plain(args[i + 1])) {
            return null;
          }
          seenDirectory = true;
          a.directory = Path.of(args[++i]);
        }
        case "--format", "--color" -> {
          boolean format = name.equals("--format");
          if (format ? a.format != null : a.color != null) {
            return null;
          }
          if (value == null) {
            if (i + 1 >= args.length) {
              return null;
            }
            value = args[++i];
          }
          if (!(format ? formats : COLORS).contains(value)) {
            return null;
          }
          if (format) {
            a.format = value;
          } else {
            a.color = value;
          }
        }
        case "--no-database" -> {
          if (!database || value != null || a.noDatabase) {
            return null;
          }
          a.noDatabase = true;
        }
        case "--no-cache" -> {
          if (value != null || a.noCache) {
            return null;
          }
          a.noCache = true;
        }
        case "--stacktrace" -> {
          if (value != null || a.stacktrace) {
            return null;
          }
          a.stacktrace = true;
        }
        default -> {
          if (!plain(arg)) {
            return null;
          }
          a.positionals.add(arg);
        }
      }
    }
    return a;
  }

  /** An argument picocli reads as a plain value: not empty, no option, no argument file. */
  private static boolean plain(String arg) {
    return !arg.isEmpty() && arg.charAt(0) != '-' && arg.charAt(0) != '@';
  }

  /** The parent command these arguments give (the first {@code -C}, the environment). */
  MigdiffCommand parent(java.util.Map<String, String> env) {
    MigdiffCommand top = new MigdiffCommand();
    top.directory = topDirectory;
    top.env = env;
    return top;
  }

  /** The repository options these arguments give. */
  RepoOptions repo() {
    RepoOptions r = new RepoOptions();
    r.directory = directory;
    r.noCache = noCache;
    return r;
  }

  /** The output options these arguments give. */
  OutputOptions output() {
    OutputOptions o = new OutputOptions();
    o.color = color == null ? OutputOptions.ColorMode.AUTO
        : OutputOptions.ColorMode.valueOf(color.toUpperCase(java.util.Locale.ROOT));
    o.stacktrace = stacktrace;
    return o;
  }
}
