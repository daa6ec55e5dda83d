package dev.migdiff.hook;

/**
 * The POSIX sh block migdiff puts into a post-checkout hook. It decides in sh, before any JVM
 * starts, whether the checkout can matter: a branch checkout (flag 1) between two different
 * commits, not a clone, not during a rebase, cherry-pick or bisect, and a migrations directory
 * that differs ({@code git diff --quiet} with pathspecs). Only then does it run migdiff.
 */
public final class HookScript {
  public static final String BEGIN = "# >>> migdiff post-checkout >>>";
  public static final String END = "# <<< migdiff post-checkout <<<";
  /** The pathspecs of migrations directories: {@code migrations/} and {@code *_migrations/}. */
  public static final String PATHSPECS = "':(glob)**/migrations/**' ':(glob)**/*_migrations/**'";

  private HookScript() {}

  /** The block, running {@code migdiff} (an absolute command, quoted for sh). */
  public static String block(String migdiff) {
    return block(migdiff, java.util.List.of());
  }

  /**
   * The block, running {@code migdiff hook post-checkout} with {@code options} (each quoted for
   * sh), e.g. {@code --snapshots --keep 3}.
   */
  public static String block(String migdiff, java.util.List<String> options) {
    StringBuilder opts = new StringBuilder();
    for (String o : options) {
      opts.append(' ').append(o.matches("[A-Za-z0-9_.=+-]+") ? o : shellQuote(o));
    }
    return BEGIN + "\n"
        + "# Managed by 'migdiff hook install'; remove with 'migdiff hook uninstall'.\n"
        + "# Silence it for one command with MIGDIFF_HOOK=off.\n"
        + "migdiff_post_checkout() {\n"
        + "  [ \"$3\" = 1 ] || return 0\n"
        + "  [ \"$1\" != \"$2\" ] || return 0\n"
        + "  case \"$1\" in *[!0]*) ;; *) return 0 ;; esac\n"
        + "  [ \"${MIGDIFF_HOOK:-on}\" != off ] || return 0\n"
        + "  migdiff_git_dir=${GIT_DIR:-.git}\n"
        + "  [ -d \"$migdiff_git_dir\" ] || migdiff_git_dir=$(git rev-parse --git-dir 2>/dev/null) || return 0\n"
        + "  for migdiff_f in rebase-merge rebase-apply CHERRY_PICK_HEAD BISECT_LOG; do\n"
        + "    [ ! -e \"$migdiff_git_dir/$migdiff_f\" ] || return 0\n"
        + "  done\n"
        + "  git diff --quiet \"$1\" \"$2\" -- " + PATHSPECS + " 2>/dev/null\n"
        + "  [ $? -eq 1 ] || return 0\n"
        + "  " + shellQuote(migdiff) + " hook post-checkout" + opts
        + " \"$1\" \"$2\" \"$3\" || true\n"
        + "}\n"
        + "migdiff_post_checkout \"$@\"\n"
        + END + "\n";
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
