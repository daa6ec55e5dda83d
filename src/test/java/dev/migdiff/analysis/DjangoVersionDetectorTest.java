package dev.migdiff.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.migdiff.testing.MapSourceTree;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Django version a project pins, from lock files first, then requirement specifiers. */
class DjangoVersionDetectorTest {
  private static Optional<String> detect(Map<String, String> files, String root) throws Exception {
    return DjangoVersionDetector.detect(MapSourceTree.of(files), root);
  }

  @Test
  void lockFilesWinOverRequirements() throws Exception {
    assertEquals(Optional.of("5.1"), detect(Map.of(
        "uv.lock", "[[package]]\nname = \"django\"\nversion = \"5.1.4\"\n",
        "requirements.txt", "Django==4.2.1\n"), ""));
    assertEquals(Optional.of("4.2"), detect(Map.of(
        "poetry.lock", "[[package]]\nname = \"django\"\nversion = \"4.2.16\"\n"), ""));
    assertEquals(Optional.of("3.2"), detect(Map.of(
        "Pipfile.lock", "{\"default\": {\"django\": {\"hashes\": [], \"version\": \"==3.2.25\"}}}"), ""));
  }

  @Test
  void requirementSpecifiers() throws Exception {
    assertEquals(Optional.of("4.2"), detect(Map.of("requirements.txt", "psycopg2\nDjango~=4.2.0\n"), ""));
    assertEquals(Optional.of("5.0"), detect(Map.of("requirements/base.txt", "django[argon2]>=5.0,<5.1\n"), ""));
    assertEquals(Optional.of("4.1"), detect(Map.of("pyproject.toml",
        "[project]\ndependencies = [\n  \"Django==4.1.13\",\n]\n"), ""));
    // wagtail's setup.py (found by the history sweep)
    assertEquals(Optional.of("2.1"), detect(Map.of("setup.py",
        "install_requires = [\n    \"Django>=2.1,<3.1\",\n    \"django-taggit>=1.0\",\n]\n"), ""));
  }

  @Test
  void projectRootFirstThenRepositoryRoot() throws Exception {
    assertEquals(Optional.of("4.0"), detect(Map.of("backend/requirements.txt", "Django==4.0\n",
        "requirements.txt", "Django==3.2\n"), "backend"));
    assertEquals(Optional.of("3.2"), detect(Map.of("requirements.txt", "Django==3.2\n"), "backend"));
  }

  @Test
  void nothingPinned() throws Exception {
    assertEquals(Optional.empty(), detect(Map.of("requirements.txt", "django-filter==23.1\n"), ""));
  }
}
