package dev.migdiff.bot;

/**
 * Another open pull/merge request, as the forge lists it: its reference ({@code #12} on GitHub,
 * {@code !12} on GitLab), title, head branch and commit, target branch, whether it comes from a
 * fork, and the ref the forge keeps its head under ({@code refs/pull/12/head},
 * {@code refs/merge-requests/12/head}).
 */
public record OpenRequest(String reference, String title, String headRef, String headSha,
    String baseRef, boolean fromFork, String fetchRef, String updatedAt) {

  /** Where {@code scripts/ci/fetch-heads} puts the head: {@code refs/migdiff/pull/12/head}. */
  public String localRef() {
    return "refs/migdiff/" + fetchRef.substring("refs/".length());
  }
}
