package dev.migdiff.cli;

import dev.migdiff.analysis.HeadCollisions;
import dev.migdiff.analysis.OtherHeads;
import dev.migdiff.bot.OpenRequest;
import dev.migdiff.bot.OpenRequests;
import java.util.List;
import java.util.Map;

/** Turns {@code --other-head NAME=REF} options and forge listings into heads to check. */
final class OtherHeadOptions {
  private OtherHeadOptions() {}

  /** {@code NAME=REF}; a bare {@code REF} is its own name. */
  static List<HeadCollisions.Candidate> candidates(Map<String, String> heads) {
    return heads.entrySet().stream().map(e -> {
      String ref = e.getValue().isEmpty() ? e.getKey() : e.getValue();
      return new HeadCollisions.Candidate(new OtherHeads.Head(e.getKey(), null,
          ref.equals(e.getKey()) ? null : ref, false), List.of(ref),
          "'" + ref + "' is not a revision of this repository");
    }).toList();
  }

  /** The forge's open requests: the head commit it names, else the ref the CI fetched. */
  static List<HeadCollisions.Candidate> candidates(OpenRequests open) {
    return open.requests().stream().map(OtherHeadOptions::candidate).toList();
  }

  private static HeadCollisions.Candidate candidate(OpenRequest o) {
    return new HeadCollisions.Candidate(new OtherHeads.Head(o.reference(), o.title(),
        o.headRef(), o.fromFork()), List.of(o.headSha(), o.localRef()),
        "its head " + o.headSha().substring(0, Math.min(12, o.headSha().length()))
            + " is not in this clone (scripts/ci/fetch-heads fetches " + o.fetchRef() + " to "
            + o.localRef() + ")");
  }
}
