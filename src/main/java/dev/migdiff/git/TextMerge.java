package dev.migdiff.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeFormatter;
import org.eclipse.jgit.merge.MergeResult;

/** A line-level three-way merge of one file's contents, as {@code git merge} does it. */
public final class TextMerge {
  private TextMerge() {}

  /** The merged content, or empty when the two sides change the same lines (a conflict). */
  public static Optional<byte[]> merge(byte[] base, byte[] ours, byte[] theirs) {
    if (RawText.isBinary(base) || RawText.isBinary(ours) || RawText.isBinary(theirs)) {
      return Optional.empty();
    }
    MergeResult<RawText> r = new MergeAlgorithm().merge(RawTextComparator.DEFAULT,
        new RawText(base), new RawText(ours), new RawText(theirs));
    if (r.containsConflicts()) {
      return Optional.empty();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new MergeFormatter().formatMerge(out, r, List.of("base", "ours", "theirs"),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(out.toByteArray());
  }
}
