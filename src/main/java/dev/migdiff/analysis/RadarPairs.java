package dev.migdiff.analysis;

import dev.migdiff.django.Migration;
import dev.migdiff.django.MigrationKey;
import dev.migdiff.django.SourceTree;
import dev.migdiff.git.GitException;
import dev.migdiff.git.Revision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether two branches collide, modelling what git does when A merges into BASE and then
 * B merges into that result: the second merge is a three-way merge of "BASE with A" and B over
 * their merge base (B's merge base with BASE, or with A when B builds on A). Divergent leaves
 * count only in apps that neither merge alone leaves divergent.
 */
final class RadarPairs {
  private final RadarReading reading;

  RadarPairs(RadarReading reading) {
    this.reading = reading;
  }

  /** The collisions of merging {@code a}, then {@code b}, into BASE; sorted by app and kind. */
  List<RadarReport.Collision> collisions(RadarReading.State a, RadarReading.State b)
      throws GitException, ConfigException, IOException {
    Set<String> shared = new HashSet<>(a.touched());
    shared.retainAll(b.touched());
    if (shared.isEmpty() || a.withBase == null || b.withBase == null) {
      return List.of();
    }
    PairBase pb = pairBase(a, b);
    MergedSourceTree tree = new MergedSourceTree(pb.tree(), a.withBase, b.tree,
        RadarReading::mergeNow, reading.loader().store());
    // Only the apps both change can newly have several leaves (an app's leaves depend on its own
    // migrations alone), so only they are read, unless a branch changes which apps there are.
    boolean all = a.layoutChanged || b.layoutChanged;
    Snapshot merged = reading.load(new Revision("merge", b.commit), tree,
        a.stable && b.stable ? a.layout : null, all ? null : shared);
    Set<String> stops = new HashSet<>(RadarReading.migrationConflicts(tree));
    String manage = reading.base.config().manageCommand();
    List<RadarReport.Collision> out = new ArrayList<>();
    merged.graph().conflicts(Comparison.appLabels(merged)).forEach((app, leaves) -> {
      if ((all || shared.contains(app)) && !a.conflictsAfterMerge.contains(app)
          && !b.conflictsAfterMerge.contains(app)) {
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (String leaf : leaves) {
          (a.tipKeys.containsKey(new MigrationKey(app, leaf)) ? ours : theirs).add(leaf);
        }
        out.add(new RadarReport.Collision(app, RadarReport.Kind.DIVERGENT_LEAVES, ours, theirs,
            null, false, "whichever merges second runs `" + manage + " makemigrations --merge "
                + ShellWords.quote(app) + "`"));
      }
    });
    // Both tips have nearly every migration of the apps they share, mostly alike: only those
    // whose content differs are sorted and looked at.
    List<MigrationKey> keys = new ArrayList<>();
    b.tipKeys.forEach((k, y) -> {
      Migration x = a.tipKeys.get(k);
      if (x != null && shared.contains(k.app()) && !Objects.equals(x.blobId(), y.blobId())) {
        keys.add(k);
      }
    });
    keys.sort(null);
    for (MigrationKey k : keys) {
      Migration x = a.tipKeys.get(k);
      Migration y = b.tipKeys.get(k);
      SourceTree.Entry atBase = pb.tree().entry(y.path()).orElse(null);
      boolean stop = stops.contains(y.path()) || stops.contains(x.path());
      if (a.added(k) && b.added(k) && atBase == null) {
        out.add(new RadarReport.Collision(k.app(), RadarReport.Kind.SAME_NAME,
            List.of(k.name()), List.of(k.name()), y.path(), stop,
            "both add " + y.path() + (stop ? " and git merge stops on it" : "")
                + ": whichever merges second renames its migration (and the dependencies on"
                + " it), then runs `" + manage + " makemigrations --merge "
                + ShellWords.quote(k.app()) + "` if the app still has two leaves"));
      } else if (a.edited(k) && b.edited(k) && atBase != null
          && !Objects.equals(atBase.id(), x.blobId())
          && !Objects.equals(atBase.id(), y.blobId())) {
        out.add(new RadarReport.Collision(k.app(), RadarReport.Kind.SAME_EDIT,
            List.of(k.name()), List.of(k.name()), y.path(), stop,
            "both edit " + y.path() + ", which '" + reading.baseRev.spelling() + "' has"
                + (stop ? "; git merge stops on it: whichever merges second resolves it by hand"
                    : ": whichever merges second checks that the edits agree (databases that "
                        + "applied it never run it again)")));
      }
    }
    out.sort(java.util.Comparator.comparing(RadarReport.Collision::app,
        MigrationKey.PYTHON_ORDER).thenComparing(RadarReport.Collision::kind)
        .thenComparing(c -> String.valueOf(c.path())));
    return out;
  }

  /** The base of the second merge: its tree. */
  private record PairBase(SourceTree tree) {}

  /**
   * git's merge base of "BASE with A merged" and B: the later of B's merge base with BASE and B's
   * merge base with A. When neither is an ancestor of the other (a criss-cross), git's recursive
   * strategy merges the two first; so does this.
   */
  private PairBase pairBase(RadarReading.State a, RadarReading.State b)
      throws GitException, ConfigException, IOException {
    String withBase = b.mergeBase;
    if (reading.apart(a, b)) {
      return new PairBase(reading.tree(withBase));
    }
    Optional<String> withA = reading.repo().mergeBase(new Revision(a.commit, a.commit),
        new Revision(b.commit, b.commit));
    String chosen;
    if (withA.isEmpty() || withA.get().equals(withBase)
        || reading.repo().isAncestor(withA.get(), withBase)) {
      chosen = withBase;
    } else if (reading.repo().isAncestor(withBase, withA.get())) {
      chosen = withA.get();
    } else {
      Optional<String> deeper = reading.repo().mergeBase(new Revision(withBase, withBase),
          new Revision(withA.get(), withA.get()));
      SourceTree virtual = new MergedSourceTree(
          deeper.isPresent() ? reading.tree(deeper.get()) : null, reading.tree(withBase),
          reading.tree(withA.get()));
      return new PairBase(virtual);
    }
    return new PairBase(reading.tree(chosen));
  }
}
