package dev.migdiff.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.Test;

/** "Did you mean": the distance, the bound, and a mistyped revision among thousands of refs. */
class RefSuggestionsTest {
  @Test
  void distanceCountsAnAdjacentSwapAsOneEdit() {
    assertEquals(0, RefSuggestions.distance("main", "main", 3));
    assertEquals(1, RefSuggestions.distance("featur-x", "feature-x", 3));
    assertEquals(1, RefSuggestions.distance("mian", "main", 3));
    assertEquals(1, RefSuggestions.distance("develp", "develop", 3));
    assertEquals(2, RefSuggestions.distance("ab", "ba1", 3));
    assertEquals(2, RefSuggestions.distance("main", "xxxxxxxxxxxxxxxxxxxx", 1), "cut off at limit + 1");
  }

  @Test
  void anUnknownRevisionNamesTheNearestBranchesAndTags() throws Exception {
    InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
    ObjectId commit = commit(repo);
    org.eclipse.jgit.lib.BatchRefUpdate batch = repo.getRefDatabase().newBatchUpdate();
    for (int i = 0; i < 5000; i++) {
      batch.addCommand(new org.eclipse.jgit.transport.ReceiveCommand(ObjectId.zeroId(), commit,
          "refs/heads/topic/" + i));
    }
    try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
      batch.execute(walk, org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE);
    }
    ref(repo, "refs/heads/feature-x", commit);
    ref(repo, "refs/heads/feature-y", commit);
    ref(repo, "refs/tags/v1.0", commit);
    ref(repo, "refs/remotes/origin/main", commit);
    repo.updateRef("HEAD").link("refs/heads/feature-x");
    GitRepository git = GitRepository.wrap(repo);
    long start = System.nanoTime();
    GitException e = assertThrows(GitException.class, () -> git.resolve("featur-x"));
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "5000 refs must stay fast");
    assertEquals("unknown revision 'featur-x'; did you mean 'feature-x'?", e.getMessage());
    assertEquals(List.of("feature-x", "feature-y"), RefSuggestions.near(repo, "feature-z"));
    assertEquals(List.of("origin/main"), RefSuggestions.near(repo, "origin/mian"));
    assertEquals(List.of("v1.0"), RefSuggestions.near(repo, "v1.O"));
    GitException far = assertThrows(GitException.class, () -> git.resolve("nothing-like-it"));
    assertEquals("unknown revision 'nothing-like-it'", far.getMessage());
    assertEquals(List.of(), RefSuggestions.near(repo, "x".repeat(10_000)));
    assertEquals(List.of(), RefSuggestions.near(repo, "nope"), "same length, nothing alike");
    assertEquals(List.of(), RefSuggestions.near(repo, "v2.1"), "two edits in four letters: too far");
  }

  private static ObjectId commit(InMemoryRepository repo) throws Exception {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      ObjectId tree = ins.insert(new TreeFormatter());
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(tree);
      PersonIdent who = new PersonIdent("t", "t@example.com", 0, 0);
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage("m");
      ObjectId id = ins.insert(c);
      ins.flush();
      return id;
    }
  }

  private static void ref(InMemoryRepository repo, String name, ObjectId id) throws Exception {
    RefUpdate u = repo.updateRef(name);
    u.setNewObjectId(id);
    u.forceUpdate();
  }
}
