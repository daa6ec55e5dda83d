package dev.migdiff.analysis;

import java.util.List;

/**
 * The comment's "Also touching these apps" section: the other open requests (or named heads)
 * into the same base whose migrations collide with this request's, the ones that could not be
 * read, and how the list of others was bounded or why it could not be had.
 *
 * @param base the branch the requests go into, as shown
 * @param checked how many other heads were read and compared
 * @param bound the most other requests looked at (0: no bound, e.g. heads given by option)
 * @param truncated more requests were open than the bound
 * @param listingFailure one line when the forge could not list the requests (else null)
 */
public record OtherHeads(String base, List<Collision> collisions, List<Unread> unread,
    int checked, int bound, boolean truncated, String listingFailure) {

  public OtherHeads {
    collisions = List.copyOf(collisions);
    unread = List.copyOf(unread);
  }

  /** The section when the forge could not list the other requests. */
  public static OtherHeads unlisted(String base, String failure) {
    return new OtherHeads(base, List.of(), List.of(), 0, 0, false, failure);
  }

  /**
   * Another head: {@code name} is {@code #12}, {@code !12} or the name given on the command
   * line; {@code title} and {@code branch} are the forge's (null when not known).
   */
  public record Head(String name, String title, String branch, boolean fromFork) {}

  /**
   * One collision of this head with {@code other} in {@code app}, as {@link Radar} judges it:
   * {@code kind} is {@code divergent-leaves} (each merges cleanly alone, both leave the app
   * with several leaves: {@code ours} from this head, {@code theirs} from the other),
   * {@code same-name} (both add the migration {@code path}) or {@code same-edit} (both edit it);
   * {@code gitStops} when git merge stops on that file; {@code command} is the merge migration
   * command whoever merges second runs.
   */
  public record Collision(Head other, String app, String kind, List<String> ours,
      List<String> theirs, String path, boolean gitStops, String command) {

    public Collision {
      ours = List.copyOf(ours);
      theirs = List.copyOf(theirs);
    }
  }

  /** A head that could not be read (not fetched, history cut off, broken objects). */
  public record Unread(Head other, String reason) {}
}
