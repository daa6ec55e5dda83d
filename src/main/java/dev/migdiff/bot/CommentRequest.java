package dev.migdiff.bot;

/**
 * Where the comment goes and what to compare, read from the CI environment: the forge's API,
 * the request, the token, and the two revisions (with the names to show for them).
 */
public record CommentRequest(String forge, String apiUrl, String project, String number,
    String token, String fromRevision, String fromLabel, String toRevision, String toLabel,
    String stepSummary) {

  @Override
  public String toString() {
    return "CommentRequest[" + forge + " " + project + "#" + number + ", token=***]";
  }
}
