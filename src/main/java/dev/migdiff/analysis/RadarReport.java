package dev.migdiff.analysis;

import java.util.List;

/**
 * The result of {@code migdiff radar}: each open branch's migrations since its merge base with
 * BASE, what merging it into BASE now does, the pairs of branches that collide only when both
 * merge, the apps several branches touch, and an order of merging that needs the fewest merge
 * migrations.
 */
public record RadarReport(Side base, List<Branch> branches, List<Unreadable> unreadable,
    int skippedMerged, List<Pair> pairs, List<HotApp> hotApps, Order order) {

  /** BASE as typed and its commit (40 hex). */
  public record Side(String ref, String commit) {}

  /**
   * One branch (or several refs at one commit: {@code aliases}) ahead of BASE. {@code apps}
   * lists the apps whose migrations changed since {@code mergeBase}; {@code againstBase} the
   * apps that have divergent leaves if it merges into BASE now (what {@code migdiff BASE BR}
   * says); {@code textConflicts} the migration files git merge would stop on.
   */
  public record Branch(Radar.Head head, List<String> aliases, String commit, String mergeBase,
      List<AppChange> apps, List<BaseConflict> againstBase, List<String> textConflicts) {
    /** Whether merging it into BASE now needs work. */
    public boolean conflictsWithBase() {
      return !againstBase.isEmpty() || !textConflicts.isEmpty();
    }
  }

  /** One app's migrations a branch added, edited (existing at the merge base) and removed. */
  public record AppChange(String app, List<String> added, List<String> edited,
      List<String> removed) {}

  /** An app with divergent leaves once the branch merges into BASE, and what to run. */
  public record BaseConflict(String app, List<String> leaves, String action) {}

  /** Two branches that collide: merging {@code first} and then {@code second} into BASE. */
  public record Pair(Radar.Head first, Radar.Head second, List<Collision> collisions) {}

  /** What kind of collision. */
  public enum Kind {
    /** Each merges cleanly alone, both leave the app with several leaves. */
    DIVERGENT_LEAVES,
    /** Both add a migration of the same name with different content. */
    SAME_NAME,
    /** Both edit the same migration that exists at BASE. */
    SAME_EDIT;

    /** The stable code: {@code divergent-leaves}, {@code same-name}, {@code same-edit}. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One collision in one app. {@code ours}/{@code theirs}: the app's leaves after both merges
   * that come from the first / the second branch (DIVERGENT_LEAVES), or the migration's name
   * (SAME_NAME, SAME_EDIT, with its {@code path}); {@code gitStops}: git merge stops on that
   * file with a textual conflict; {@code action}: who does what.
   */
  public record Collision(String app, Kind kind, List<String> ours, List<String> theirs,
      String path, boolean gitStops, String action) {}

  /** An app that several branches change, with their labels. */
  public record HotApp(String app, List<String> branches) {}

  /**
   * An order of merging the colliding branches that needs {@code mergeMigrations} merge
   * migrations, where the worst order needs {@code worst}; null in the report when every order
   * needs the same.
   */
  public record Order(List<String> branches, int mergeMigrations, int worst) {}

  /** A head that could not be read (unknown ref, missing objects, no merge base): why. */
  public record Unreadable(Radar.Head head, String message, String hint) {}

  /** The collisions of one head with other heads (what the bot's comment shows). */
  public record Neighbours(Radar.Head head, List<Neighbour> collisions,
      List<Unreadable> unreadable) {}

  /** One collision of the head with {@code other}; {@code ours} is the head's side. */
  public record Neighbour(Radar.Head other, Collision collision) {}

  /** Whether any pair collides. */
  public boolean hasPairs() {
    return !pairs.isEmpty();
  }

  /** Whether any branch conflicts with BASE already. */
  public boolean hasBaseConflicts() {
    return branches.stream().anyMatch(Branch::conflictsWithBase);
  }
}
